from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from debates import pagecache
from debates.models import Argument
from debates.views import debates_standing


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.with_comment_count())
    with pagecache.one_version():  # kept once per version of the content
        debates = debates_standing()
        disputed = pagecache.per_version("most-disputed", _most_disputed)
    # "Read a column" starts at the one with the liveliest thread.
    first_article = max(articles, key=lambda article: article.comment_count, default=None)
    context = {
        "articles": articles,
        "first_article": first_article,
        "debates": debates,
        "disputed": disputed,
    }
    return render(request, "home.html", context)


def _most_disputed() -> list[Argument]:
    return list(Argument.objects.most_disputed().with_source()[:5])


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the app answers and its database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Drop the broken connection so the next request reconnects.
        connection.close()
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
