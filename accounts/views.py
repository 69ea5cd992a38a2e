"""Account pages: sign up, log in (throttled), log out, change password.

A member's contributions are arguments and votes: debates/reading_views.py shows them.
"""

import unicodedata

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db import IntegrityError, transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import ratelimit
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


def _login_counters(username: str, address: str) -> list[tuple[str, str, Limit]]:
    counters = [("login-address", address, Limit.named("login-address"))]
    if username:
        counters += [
            ("login-pair", f"{username}|{address}", Limit.named("login-pair")),
            ("login-username", username, Limit.named("login-username")),
        ]
    return counters


def _login_attempt(counters) -> bool:
    """Count this attempt first, then check (atomic under parallel requests: each attempt gets
    its own count from one upsert); False, and nothing counted, once a limit is used up."""
    within = [ratelimit.hit(scope, who, limit) for scope, who, limit in counters]
    if all(within):
        return True
    for scope, who, limit in counters:
        ratelimit.refund(scope, who, limit)
    return False


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
    counters = _login_counters(username, address)
    if not _login_attempt(counters):
        # An unbound form: rendering a bound one would authenticate, i.e. check the password.
        form = AuthenticationForm(request, initial={"username": raw_username})
        refusal = _("Too many failed attempts. Try again in 15 minutes.")
        return _form_page(request, "accounts/login.html", form, next_url, refusal, 429)

    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():  # the attempt stays counted
        return _form_page(request, "accounts/login.html", form, next_url)

    # A success clears this username's failures and does not count against the address.
    ratelimit.reset("login-username", username)
    ratelimit.reset("login-pair", f"{username}|{address}")
    ratelimit.refund("login-address", address, Limit.named("login-address"))
    user = form.get_user()
    auth.login(request, user)
    messages.success(request, _("You are logged in as %(name)s.") % {"name": user.get_username()})
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


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
