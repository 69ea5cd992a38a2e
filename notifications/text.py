"""A notification in words, as its reader may see it now; the signed unsubscribe link.

Shared by the inbox and the mails (notifications.tasks renders them in the worker, in the
member's language). Texts are read from the arguments as they stand, never stored: a post
hidden after the notification was made shows as hidden, a merged one as what it was merged into.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from debates import policy
from debates.models import Argument
from debates.policy import Appearance
from debates.vocabulary import ArgumentStatus
from notifications.models import Kind, Notification

_UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user) -> str:
    """The member's id, signed: the same token in every mail (no timestamp), good until the
    SECRET_KEY changes."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object(user.pk)


def unsubscribe_url(user) -> str:
    path = reverse("accounts:unsubscribe", args=[unsubscribe_token(user)])
    return settings.SITE_ROOT.rstrip("/") + path


def user_of_token(token: str):
    """The member a token names, or None for a token this site did not sign."""
    try:
        pk = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()


@dataclass(frozen=True)
class Line:
    """One notification as its reader may see it now: a sentence, the claim it is about (""
    when the reader may not read it) and where it leads ("" for nowhere)."""

    note: Notification
    sentence: str
    claim: str
    url: str


def _seen(viewer, argument: Argument | None) -> tuple[Argument | None, bool]:
    """The argument to show for `argument` (a merged one shows what it was merged into) and
    whether the viewer may read its text."""
    if argument is None:
        return None, False
    if argument.status == ArgumentStatus.MERGED and argument.merged_into is not None:
        argument = argument.merged_into
    seen = policy.appearance(viewer, argument)
    return (argument if seen != Appearance.ABSENT else None), seen == Appearance.SHOWN


def describe(note: Notification, viewer) -> Line:
    """What the reader is told, from the arguments as they stand now: a hidden argument shows
    as hidden (its page shows the placeholder), a merged one as what it was merged into."""
    shown, readable = _seen(viewer, note.argument)
    mine, _mine_readable = _seen(viewer, note.target)
    claim = shown.text if shown is not None and readable else ""
    url = shown.get_absolute_url() if shown is not None else ""
    if not url and mine is not None:
        url = mine.get_absolute_url()
    actor = note.actor.get_username() if note.actor else _("A moderator")
    reason = note.reason
    if note.kind == Kind.DEBATE:
        sentence = ngettext(
            "A new argument in the debate “%(title)s” that you follow:",
            "%(count)s new arguments in the debate “%(title)s” that you follow; the latest:",
            note.count,
        ) % {"count": note.count, "title": note.debate.title}
        url = note.debate.get_absolute_url() + (f"#{shown.anchor}" if readable else "")
    elif note.kind in (Kind.ATTACKED, Kind.SUPPORTED):
        mine_text = mine.text if mine is not None else ""
        if note.kind == Kind.ATTACKED:
            sentence = _("%(name)s attacked your argument “%(mine)s”:")
        else:
            sentence = _("%(name)s supported your argument “%(mine)s”:")
        sentence %= {"name": actor, "mine": mine_text}
    else:
        sentence = {
            Kind.APPROVED: _("A moderator approved your post."),
            Kind.REJECTED: _("A moderator rejected your post: %(reason)s"),
            Kind.HIDDEN: _("Your post was hidden: %(reason)s"),
            Kind.RESTORED: _("Your post is shown again: %(reason)s"),
            Kind.MERGED: _("Your post was merged into an argument that says the same: %(reason)s"),
            Kind.EDITED: _("A moderator edited your post: %(reason)s"),
        }[note.kind]
        if "%(reason)s" in sentence:
            sentence %= {"reason": reason}
    if shown is None:
        claim = _("(an argument that is no longer shown)")
    elif not readable:
        claim = _("(a hidden argument)")
    return Line(note=note, sentence=sentence, claim=claim, url=url)
