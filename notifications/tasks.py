"""Mail, sent by the task worker (`manage.py db_worker`), never in a request.

A send that fails (the mail server refuses or cannot be reached) is logged and tried again
later, MAIL_RETRY_SECONDS apart; after the last try the task fails with the error, which the
log and the task's row (django_tasks_db) keep. Every mail is rendered in the member's language
at the moment it is sent, from the arguments as they stand then (notifications.text).
"""

import email.policy
import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import ngettext

from notifications.models import Notification, Preferences
from notifications.text import describe, unsubscribe_url

logger = logging.getLogger(__name__)


class _Verbatim(str):
    """A header written as it is. Python's email package turns a long value without spaces
    into RFC 2047 encoded words, and a mail client would not find the URL of an encoded
    List-Unsubscribe; one long line is allowed (RFC 5322: up to 998 characters)."""

    def __new__(cls, name: str, value: str):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


class NotificationMail(EmailMessage):
    VERBATIM = ("List-Unsubscribe",)

    def message(self, *, policy=email.policy.default):
        message = super().message(policy=policy)
        for name in self.VERBATIM:
            value = str(message[name])
            del message[name]
            message[name] = _Verbatim(name, value)
        return message


def _preferences(user) -> Preferences:
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


def _message(user, subject: str, lines) -> NotificationMail:
    """One mail with the notifications' lines, a one-click unsubscribe link (RFC 8058) in its
    text and its headers."""
    site = settings.SITE_ROOT.rstrip("/")
    unsubscribe = unsubscribe_url(user)
    context = {"user": user, "lines": lines, "site": site, "unsubscribe": unsubscribe}
    return NotificationMail(
        subject=" ".join(subject.split()),
        body=render_to_string("notifications/mail/notifications.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send(message: EmailMessage, again, args: list, attempt: int) -> bool:
    """Send; on failure log it and enqueue `again` for later, or fail for good at the end."""
    try:
        message.send()
    except (SMTPException, OSError) as error:
        delays = settings.MAIL_RETRY_SECONDS
        if attempt > len(delays):
            logger.error("Mail to %s failed %s times; giving up: %s", message.to[0], attempt, error)
            raise
        delay = delays[attempt - 1]
        logger.warning(
            "Mail to %s failed (try %s), trying again in %s s: %s",
            message.to[0],
            attempt,
            delay,
            error,
        )
        run_after = timezone.now() + timedelta(seconds=delay)
        again.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
        return False
    return True


@task()
def send_notification(notification_id: int, attempt: int = 1) -> str:
    """One notification by mail, if its member still wants it so."""
    note = (
        Notification.objects.described().filter(pk=notification_id, mailed_at__isnull=True).first()
    )
    if note is None:
        return "already mailed or gone"
    user = note.recipient
    preferences = _preferences(user)
    if not (user.email and user.is_active and preferences.wants_email(note.kind)):
        return "not wanted"
    if preferences.digest:
        return "left for the digest"
    with translation.override(preferences.language):
        line = describe(note, user)
        subject = "Tegenspraak: " + Truncator(line.sentence).chars(120)
        message = _message(user, subject, [line])
    if not _send(message, send_notification, [notification_id], attempt):
        return "retrying"
    Notification.objects.filter(pk=note.pk).update(mailed_at=timezone.now())
    return "sent"


@task()
def send_digest(user_id: int, attempt: int = 1) -> str:
    """Everything not yet mailed that the member wants by e-mail, in one mail."""
    with transaction.atomic():
        preferences = Preferences.objects.select_for_update().filter(pk=user_id).first()
        if preferences is None:
            return "no preferences"
        # From here on new notifications schedule the next digest.
        Preferences.objects.filter(pk=user_id).update(digest_due_at=None)
    user = preferences.user
    notes = [
        note
        for note in Notification.objects.for_inbox(user).filter(mailed_at__isnull=True)
        if preferences.wants_email(note.kind)
    ]
    if not notes or not user.email or not user.is_active:
        return "nothing to send"
    with translation.override(preferences.language):
        lines = [describe(note, user) for note in notes]
        subject = "Tegenspraak: " + ngettext(
            "%(count)s notification", "%(count)s notifications", len(lines)
        ) % {"count": len(lines)}
        message = _message(user, subject, lines)
    if not _send(message, send_digest, [user_id], attempt):
        return "retrying"
    Notification.objects.filter(pk__in=[note.pk for note in notes]).update(mailed_at=timezone.now())
    return "sent"
