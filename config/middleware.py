import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Dutch for everyone unless they chose English with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: the
    debate is Dutch, and an English browser should not silently get a mixed page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


# NUL and the other C0 control characters but tab, line feed and carriage return: no form
# field or query parameter of this site takes them, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharacterMiddleware:
    """Refuse a request whose parameters hold control characters: 400 with a plain message,
    before any view can stumble over them (a NUL in a search, a reason or a log filter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            fields = [*request.GET.lists()]
            if request.method == "POST":
                fields += request.POST.lists()
        except RequestDataTooBig:
            return self.get_response(request)  # Django answers that one itself
        for key, values in fields:
            if any(_CONTROL.search(text) for text in (key, *values)):
                message = _("Your input holds control characters (such as NUL): remove them.")
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """With the database down, a page answers 503 with a short page and Retry-After instead of a
    500, wherever the failure happened: in a view, in a middleware loading the session or the
    member, or saving the session on the way out. Django turns each of those into a 500 response
    on the spot (with the technical page under DEBUG); `_note_database_failure` marks the request,
    and this middleware, outside the session, swaps the answer. The broken connection is dropped,
    so the next request reconnects by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "database_unavailable", False):
            return response
        connection.close()
        # A page of its own that needs no database: no member, no messages, no session.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


@receiver(got_request_exception)
def _note_database_failure(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        request.database_unavailable = True


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY on every response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
