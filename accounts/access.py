"""Who someone is to the site: a member, a moderator. The one pair of access decorators and the
one safe-redirect helper every app uses.

Moderating is the `debates.moderate` permission, held by superusers, by the "Moderators" group
or by a member directly; `is_moderator` (Python, reading `MODERATES_SQL`) and `moderator_q` (a
filter on users) give the same answer. The permission is named by string so that this lowest
layer imports no app above it.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

MODERATE = "debates.moderate"
MODERATORS = "Moderators"
# Whether the user row `member` moderates, as a column (with MODERATES_PARAMS):
# `moderator_q`'s three ways. The permission's two are asked of a PL/pgSQL function
# (accounts/migrations/0003), planned once per connection. accounts.backends loads it with the
# signed-in member.
MODERATES_PARAMS = dict(zip(("app", "codename"), MODERATE.split("."), strict=True))
MODERATES_SQL = (
    "(member.is_active AND (member.is_superuser"
    " OR accounts_moderates(member.id, %(app)s, %(codename)s)))"
)


def is_moderator(user) -> bool:
    """Whether `user` moderates: read with the signed-in member (accounts.backends), else asked
    once per user object (one query, where `has_perm` loads every permission in two), then
    remembered on it for the request."""
    if user is None or not user.is_authenticated:
        return False
    known = getattr(user, "_moderates", None)
    if known is None and not (user.is_active and not user.is_superuser):
        known = user._moderates = user.is_active  # a superuser, or an inactive user
    if known is None:
        model = get_user_model()
        table = model._meta.db_table
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(
                f'SELECT {MODERATES_SQL} FROM "{table}" member WHERE member.id = %(user)s',
                {"user": user.pk, **MODERATES_PARAMS},
            )
            row = cursor.fetchone()
        known = user._moderates = bool(row and row[0])
    return known


def moderator_q(prefix: str = "") -> Q:
    """The users who moderate, as a filter on the user model (or on `prefix` + its fields).

    The same three ways as Django's ModelBackend: superuser, a group's permission, one's own.
    Active users only, as `has_perm` answers.
    """
    app, codename = MODERATE.split(".")
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}is_superuser": True})
        | Q(
            **{
                f"{prefix}groups__permissions__codename": codename,
                f"{prefix}groups__permissions__content_type__app_label": app,
            }
        )
        | Q(
            **{
                f"{prefix}user_permissions__codename": codename,
                f"{prefix}user_permissions__content_type__app_label": app,
            }
        )
    )


def require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators can do this."))


def safe_next(request: HttpRequest, fallback: str = "") -> str:
    """The `next` of the form or the query string when it is a path on this site, else
    `fallback` ("0" or "debates:list" would be taken for a view's name by `redirect`)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _to_login(request: HttpRequest):
    """To the login page and back: a GET returns to itself, a POST to the page it came from.

    An HTMX request gets an HX-Redirect, so the browser navigates instead of swapping the login
    page into a fragment.
    """
    back = request.get_full_path() if request.method == "GET" else safe_next(request, "")
    if not back:
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
    login = f"{reverse('accounts:login')}?{urlencode({'next': back})}"
    if request.htmx:
        return HttpResponseClientRedirect(login)
    return redirect(login)


def member_required(view):
    """Anonymous visitors go to the login page and come back to where they were."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return _to_login(request)
        return view(request, *args, **kwargs)

    return wrapper


def moderator_required(view):
    """Anonymous visitors go to the login page (and come back); members who do not moderate
    get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return _to_login(request)
        require_moderator(request.user)
        return view(request, *args, **kwargs)

    return wrapper
