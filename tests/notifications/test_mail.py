"""Mail: sent by the task worker after the commit, never in the request; in the member's
language; with a one-click unsubscribe (RFC 8058); retried and logged when the server fails;
a daily digest for who wants one."""

import email.policy
import logging
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from debates.services import argument_rebut
from notifications.models import Notification, Preferences
from notifications.tasks import send_digest, send_notification
from notifications.text import unsubscribe_token
from tests.factories import CLAIMS

REBUTTAL = "Luisteren is niet genoeg zolang niemand er iets mee doet."
# Nothing listens on port 1: a real SMTP connection that is refused.
BROKEN_SMTP = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
    }
}


def queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at"))


def test_a_notification_is_queued_after_the_commit_not_sent_in_the_request(
    bram, annas_argument, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    assert mail.outbox == []
    (task,) = queued(send_notification)
    note = Notification.objects.get()
    assert task.args_kwargs["args"] == [note.pk]


def test_the_mail_says_what_happened_and_how_to_stop_it(anna, bram, annas_argument):
    argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    note = Notification.objects.get()
    assert send_notification.call(note.pk) == "sent"

    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert "bram" in message.subject
    assert REBUTTAL in message.body and annas_argument.text in message.body
    assert f"http://127.0.0.1:8000{note.argument.get_absolute_url()}" in message.body
    unsubscribe = (
        f"http://127.0.0.1:8000/accounts/notifications/unsubscribe/{unsubscribe_token(anna)}/"
    )
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    # As written to the wire: the URL in plain text on one line, where mail clients look.
    raw = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: <{unsubscribe}>\r\n" in raw
    note.refresh_from_db()
    assert note.mailed_at is not None
    # Sent once: a second run of the same task sends nothing.
    assert send_notification.call(note.pk) == "already mailed or gone"


def test_the_mail_comes_in_the_members_language(anna, bram, annas_argument):
    Preferences.objects.create(user=anna, language="en")
    argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    send_notification.call(Notification.objects.get().pk)
    assert "attacked your argument" in mail.outbox[0].subject
    assert "Hello anna" in mail.outbox[0].body

    Preferences.objects.filter(user=anna).update(language="nl")
    argument_rebut(
        bram, annas_argument, "Een bedrijf dat luistert, hoort vooral klachten.", "attack"
    )
    send_notification.call(Notification.objects.order_by("-pk").first().pk)
    assert "viel je argument aan" in mail.outbox[1].subject
    assert "Hallo anna" in mail.outbox[1].body


def test_no_mail_for_a_topic_turned_off_or_without_an_address(
    anna, bram, annas_argument, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=anna, email_answers=False)
    with django_capture_on_commit_callbacks(execute=True):
        argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    assert queued(send_notification) == []

    anna.email = ""
    anna.save()
    Preferences.objects.filter(user=anna).update(email_answers=True)
    assert send_notification.call(Notification.objects.get().pk) == "not wanted"
    assert mail.outbox == []


def test_a_failed_send_is_logged_and_tried_again_later(
    settings, anna, bram, annas_argument, caplog
):
    argument_rebut(bram, annas_argument, REBUTTAL, "attack")
    note = Notification.objects.get()
    settings.MAILERS = BROKEN_SMTP

    with caplog.at_level(logging.WARNING, logger="notifications.tasks"):
        assert send_notification.call(note.pk) == "retrying"
    assert "anna@example.org failed (try 1)" in caplog.text
    (retry,) = queued(send_notification)
    assert retry.args_kwargs == {"args": [note.pk], "kwargs": {"attempt": 2}}
    assert retry.run_after > timezone.now()

    last = len(settings.MAIL_RETRY_SECONDS) + 1
    with caplog.at_level(logging.ERROR), pytest.raises((SMTPException, OSError)):
        send_notification.call(note.pk, attempt=last)
    assert f"failed {last} times; giving up" in caplog.text
    note.refresh_from_db()
    assert note.mailed_at is None

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_notification.call(note.pk, attempt=2) == "sent"


def test_a_digest_collects_the_days_notifications_in_one_mail(
    anna, bram, annas_argument, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=anna, digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            argument_rebut(bram, annas_argument, f"Reden {n}: {CLAIMS[n]}.", "attack")
    assert queued(send_notification) == []
    (digest,) = queued(send_digest)  # one, however many notifications
    assert digest.run_after > timezone.now()
    assert Preferences.objects.get(user=anna).digest_due_at == digest.run_after

    assert send_digest.call(anna.pk) == "sent"
    (message,) = mail.outbox
    assert "3 meldingen" in message.subject
    for n in range(3):
        assert f"Reden {n}: {CLAIMS[n]}." in message.body
    assert not Notification.objects.filter(recipient=anna, mailed_at=None).exists()
    assert Preferences.objects.get(user=anna).digest_due_at is None


def test_one_click_unsubscribe_needs_no_login_and_no_csrf_token(anna):
    url = reverse("accounts:unsubscribe", args=[unsubscribe_token(anna)])
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(url)  # link scanners only look
    assert page.status_code == 200 and "Geen e-mail meer" in page.content.decode()
    assert not Preferences.objects.filter(user=anna).exists()

    response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    preferences = Preferences.objects.get(user=anna)
    assert not preferences.emails_anything


def test_a_forged_unsubscribe_token_changes_nothing(anna):
    forged = unsubscribe_token(anna)[:-3] + "abc"
    response = Client().post(reverse("accounts:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert not Preferences.objects.filter(user=anna).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_a_request_queued(client, anna, bram, annas_argument):
    client.force_login(bram)
    response = client.post(
        reverse("debates:replies", args=[annas_argument.pk]),
        {"text": REBUTTAL, "relation": "attack"},
    )
    assert response.status_code == 302
    assert mail.outbox == []  # the request only queued it

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    (message,) = mail.outbox
    assert message.to == ["anna@example.org"] and REBUTTAL in message.body
