"""The inbox, marking read, the e-mail settings, one-click unsubscribe, following a debate."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import member_required, safe_next
from debates.models import Debate
from notifications import services
from notifications.forms import PreferencesForm
from notifications.models import Follow, Notification, Preferences
from notifications.text import describe, user_of_token

PER_PAGE = 50


def _inbox_context(request: HttpRequest) -> dict:
    page = Paginator(Notification.objects.for_inbox(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    lines = [describe(note, request.user) for note in page]
    return {"page": page, "lines": lines, "any_unread": any(line.note.is_unread for line in lines)}


@require_safe
@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The member's notifications, newest first, fifty a page, unread ones marked."""
    return render(request, "notifications/inbox.html", _inbox_context(request))


def _after_read(request: HttpRequest, note: Notification | None) -> HttpResponse:
    """A plain POST goes back (PRG); HTMX gets the line (or the list) read, and the header's
    count out of band."""
    if not request.htmx:
        return redirect(safe_next(request, reverse("accounts:notifications")))
    context = {"unread_notifications": services.unread_count(request.user), "oob": True}
    if note is None:
        context |= _inbox_context(request)
        context["announce"] = _("All notifications are marked read.")
        return render(request, "notifications/inbox.html#inbox", context)
    context["line"] = describe(note, request.user)
    context["announce"] = _("Marked read.")
    return render(request, "notifications/inbox.html#line", context)


@require_POST
@member_required
def read_one(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(request.user, pk)
    note = get_object_or_404(Notification.objects.for_inbox(request.user), pk=pk)
    return _after_read(request, note)


@require_POST
@member_required
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.user)
    if not request.htmx:
        messages.success(request, _("All notifications are marked read."))
    return _after_read(request, None)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Which notifications come by e-mail, a daily digest, the mails' language; the debates
    the member follows, each with its unfollow button."""
    instance = Preferences.objects.filter(user=request.user).first() or Preferences(
        user=request.user, language=request.LANGUAGE_CODE
    )
    form = PreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:notification-settings")
    followed = Debate.objects.filter(
        pk__in=Follow.objects.filter(user=request.user, active=True).values("debate")
    )
    context = {"form": form, "followed": followed, "has_email": bool(request.user.email)}
    return render(request, "notifications/settings.html", context)


@csrf_exempt  # the signed token is the authority, not a session: mail clients POST it (RFC 8058)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from a mail, no log-in: GET asks to confirm (link scanners only look), POST
    (the button, or the mail client's List-Unsubscribe-Post) turns every e-mail off."""
    user = user_of_token(token)
    if user is None:
        context = {"invalid": True}
        return render(request, "notifications/unsubscribe.html", context, status=400)
    done = request.method == "POST"
    if done:
        services.unsubscribe(user)
    return render(request, "notifications/unsubscribe.html", {"done": done, "token": token})


@require_POST
@member_required
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow a debate (`follow=1`) or stop following it (`follow=0`)."""
    debate = get_object_or_404(Debate, slug=slug)
    following = request.POST.get("follow") == "1"
    services.set_following(request.user, debate, following)
    if request.htmx:
        context = {"debate": debate, "following": following, "announce": True}
        return render(request, "notifications/includes/follow.html", context)
    if following:
        messages.success(request, _("You follow this debate."))
    else:
        messages.success(request, _("You no longer follow this debate."))
    return redirect(safe_next(request, debate.get_absolute_url()))
