"""Account pages: sign up, log in (throttled), log out, change password.

A member's contributions are arguments and votes: debates/reading_views.py shows them.
"""

import secrets
import unicodedata

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core import signing
from django.db import IntegrityError, transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import backoff, ratelimit
from accounts.access import member_required, safe_next
from accounts.forms import SignupForm
from accounts.ratelimit import Limit


def _client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost of them put into X-Forwarded-For (a client cannot forge what they add after it)."""
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if trusted and len(forwarded) >= trusted:
        return forwarded[-trusted][:100]
    return request.META.get("REMOTE_ADDR", "")


def _form_page(
    request: HttpRequest,
    template: str,
    form: Form,
    next_url: str = "",
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "next": next_url, "refusal": refusal}
    return render(request, template, context, status=status)


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = safe_next(request)
    if request.method == "GET":
        return _form_page(request, "accounts/signup.html", SignupForm(), next_url)

    address = _client_address(request)
    limit = Limit.named("signup")
    refusal = _("Too many accounts were created from your network. Try again in an hour.")
    if ratelimit.exceeded("signup", address, limit):
        # Said before the form is checked: no point in fixing a password that will be refused.
        form = SignupForm(initial={key: request.POST.get(key, "") for key in ("username", "email")})
        return _form_page(request, "accounts/signup.html", form, next_url, refusal, 429)

    form = SignupForm(request.POST)
    if not form.is_valid():
        return _form_page(request, "accounts/signup.html", form, next_url)
    # hit() counts atomically, so parallel sign-ups cannot all slip under the limit.
    if not ratelimit.hit("signup", address, limit):
        return _form_page(request, "accounts/signup.html", form, next_url, refusal, 429)
    try:
        with transaction.atomic():
            user = form.save()
    except IntegrityError:
        # Someone took the name between the form's check and the insert.
        form.add_error(
            "username", form.instance.unique_error_message(type(form.instance), ["username"])
        )
        return _form_page(request, "accounts/signup.html", form, next_url)

    auth.login(request, user)
    messages.success(
        request,
        _("Welcome, %(name)s! Your account is ready.") % {"name": user.get_username()},
    )
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _username_key(raw: str) -> str:
    # The same normalisation as the username field, then case-folded: "Anna" and "anna " are one.
    return unicodedata.normalize("NFKC", raw).strip().lower()


# A browser its member logged in from before: a signed cookie naming the member and the device.
# Failures from it count on their own key, so nobody else's guessing locks the member out there.
DEVICE_COOKIE = "tegenspraak_device"
DEVICE_SALT = "accounts.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _known_device(request: HttpRequest, username: str) -> str:
    """The device id if this browser's cookie says its member is `username`, else ""."""
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        return ""
    if isinstance(value, dict) and value.get("u") == username and username:
        return str(value.get("d", ""))[:64]
    return ""


def _remember_device(response: HttpResponse, username: str) -> None:
    value = signing.dumps({"u": username, "d": secrets.token_urlsafe(16)}, salt=DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def _login_keys(username: str, address: str, device: str) -> list[tuple[str, str]]:
    if device:
        return [("login-device", f"{username}|{device}")]
    keys = [("login-address", address)]
    if username:
        keys += [("login-pair", f"{username}|{address}"), ("login-username", username)]
    return keys


def _delay(scope: str) -> backoff.Delay:
    return backoff.Delay(
        free=settings.LOGIN_FREE_ATTEMPTS[scope],
        base=settings.LOGIN_DELAY_SECONDS,
        cap=settings.LOGIN_DELAY_MAX_SECONDS,
    )


def _login_attempt(keys) -> int:
    """Count this attempt first, then check, in one statement per key (parallel attempts each get
    their own count). 0 when it may go ahead; else the seconds to wait, with nothing counted."""
    allowed = [backoff.attempt(scope, who, _delay(scope)) for scope, who in keys]
    if all(allowed):
        return 0
    for (scope, who), counted in zip(keys, allowed, strict=True):
        if counted:
            backoff.refund(scope, who)
    return max(1, *(backoff.wait(scope, who, _delay(scope)) for scope, who in keys))


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    else:
        minutes = -(-seconds // 60)
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _("Too many failed attempts. Try again in %(wait)s.") % {"wait": wait}


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    if request.method == "GET":
        return _form_page(request, "accounts/login.html", AuthenticationForm(request), next_url)

    raw_username = request.POST.get("username", "")
    username, address = _username_key(raw_username), _client_address(request)
    keys = _login_keys(username, address, _known_device(request, username))
    if wait := _login_attempt(keys):
        # An unbound form: rendering a bound one would authenticate, i.e. check the password.
        form = AuthenticationForm(request, initial={"username": raw_username})
        refused = _form_page(
            request, "accounts/login.html", form, next_url, _wait_message(wait), 429
        )
        refused["Retry-After"] = str(wait)
        return refused

    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():  # the attempt stays counted
        return _form_page(request, "accounts/login.html", form, next_url)

    # A success clears this member's failures and does not count against the address.
    for scope, who in keys:
        if scope == "login-address":
            backoff.refund(scope, who)
        else:
            backoff.clear(scope, who)
    user = form.get_user()
    auth.login(request, user)
    messages.success(request, _("You are logged in as %(name)s.") % {"name": user.get_username()})
    response = redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    _remember_device(response, username)
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    was_member = request.user.is_authenticated
    auth.logout(request)
    if was_member:
        messages.success(request, _("You are logged out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters()
@never_cache
@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(
            request, "accounts/password_change.html", PasswordChangeForm(request.user)
        )

    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _form_page(request, "accounts/password_change.html", form)
    form.save()
    # Changing the password would otherwise end this session too; the others do end.
    auth.update_session_auth_hash(request, form.user)
    messages.success(request, _("Your password has been changed."))
    return redirect("accounts:contributions")
