"""The benchmark's addresses: the site's, and one that only `make bench` serves
(bench/settings.py)."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from accounts.access import member_required


@require_POST
@member_required
def floor(request):
    """A signed-in member's POST that does nothing: what every write pays before it writes (the
    middleware, the session, the member, the CSRF check). B2's floor, measured beside the votes."""
    return HttpResponse(status=204)


urlpatterns = [path("bench/floor/", floor), path("", include("config.urls"))]
