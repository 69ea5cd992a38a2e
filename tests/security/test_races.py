"""Races over real HTTP against the live server: the checks that guard a write hold when the same
request arrives many times at once. After each, `manage.py verify_counts` finds no drift.

(Sixty parallel wrong passwords: tests/accounts/test_login.py. Sixteen members voting at once:
tests/debates/test_parallel_votes.py.)"""

import io
import random
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from debates.models import Argument, Debate, ModerationAction, Vote
from debates.moderation.services import moderate_argument, moderators_group
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory

pytestmark = pytest.mark.django_db(transaction=True)


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class _Stay(urllib.request.HTTPRedirectHandler):
    """Report a redirect as it is, as a browser's network panel would, without following it."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_Stay)


def post(url: str, data: dict, session: str = "") -> tuple[int, str]:
    """A browser's form POST with its CSRF cookie and token: (status, body)."""
    csrf = secrets.token_hex(16)
    cookies = f"csrftoken={csrf}" + (
        f"; {settings.SESSION_COOKIE_NAME}={session}" if session else ""
    )
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode(),
        method="POST",
        headers={
            "Cookie": cookies,
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def at_once(count: int, call) -> list:
    """`call(n)` for n in range(count), all released together."""
    barrier = threading.Barrier(count)

    def run(n):
        barrier.wait()
        return call(n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def counts_are_exact() -> None:
    out = io.StringIO()
    call_command("verify_counts", stdout=out)  # raises CommandError on drift
    assert "All vote counts match their votes." in out.getvalue()


def test_one_member_voting_up_twenty_times_at_once_counts_once(live_server):
    target = ArgumentFactory()
    session = session_of(get_user_model().objects.create_user("stemmer"))
    url = f"{live_server.url}/arguments/{target.pk}/vote/"

    statuses = at_once(20, lambda n: post(url, {"value": "up"}, session)[0])

    assert statuses == [302] * 20
    target.refresh_from_db()
    assert (target.up_votes, target.down_votes) == (1, 0)
    assert Vote.objects.filter(argument=target).count() == 1
    counts_are_exact()


def test_no_reply_commits_after_the_lock_that_closed_the_debate(live_server, settings):
    """The lock waits for the replies that found the debate open (they hold its row FOR SHARE);
    every later one is refused. So no reply was written after the lock was."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (100, 600)}
    debate = DebateFactory()
    answer = ArgumentFactory()
    LinkFactory(source=answer, target=debate.thesis)
    users = get_user_model().objects
    moderator = users.create_user("moderator")
    moderator.groups.add(moderators_group())
    sessions = [session_of(users.create_user(f"schrijver{n}")) for n in range(16)]
    lock_session = session_of(moderator)

    def reply_or_lock(n: int):
        if n == 16:  # the moderator, a moment into the replies
            time.sleep(random.uniform(0.01, 0.08))
            url = f"{live_server.url}/moderation/debates/{debate.slug}/lock/"
            return post(url, {"reason": "Even afkoelen."}, lock_session)
        text = f"Antwoord nummer {n} van schrijver {n} in de race."
        url = f"{live_server.url}/arguments/{answer.pk}/replies/"
        return post(url, {"text": text, "relation": "attack"}, sessions[n])

    answers = at_once(17, reply_or_lock)

    assert answers[16][0] == 302
    lock = ModerationAction.objects.get(action="lock", debate=debate)
    replies = Argument.objects.filter(text__contains="in de race")
    posted = [status for status, _body in answers[:16] if status == 302]
    refused = [body for status, body in answers[:16] if status == 200]
    assert len(posted) + len(refused) == 16
    # Usually the lock lands mid-race (some replies refused); however it fell, a reply after it
    # is refused as well.
    late = post(
        f"{live_server.url}/arguments/{answer.pk}/replies/",
        {"text": "Een laat antwoord, na de vergrendeling.", "relation": "attack"},
        sessions[0],
    )
    assert late[0] == 200 and ("is gesloten" in late[1] or "vergrendeld" in late[1])
    assert all("is gesloten" in body or "vergrendeld" in body for body in refused), refused[:1]
    assert replies.count() == len(posted)
    assert not replies.filter(created_at__gt=lock.created_at).exists()
    assert Debate.objects.get(pk=debate.pk).status == "locked"
    counts_are_exact()


def test_four_parallel_undos_of_one_action_make_one_undo(live_server):
    moderator = get_user_model().objects.create_user("moderator")
    moderator.groups.add(moderators_group())
    pin = moderate_argument(moderator, ArgumentFactory(), "pin", "Belangrijk.")
    session = session_of(moderator)
    url = f"{live_server.url}/moderation/log/{pin.pk}/undo/"

    answers = at_once(4, lambda n: post(url, {"reason": "Toch niet."}, session)[0])

    assert answers == [302] * 4  # each comes back to the log, with its message
    assert ModerationAction.objects.filter(undoes=pin).count() == 1
    assert not Argument.objects.get(pk=pin.argument_id).pinned
    counts_are_exact()


def test_ten_parallel_sign_ups_for_one_name_make_one_account(live_server):
    url = f"{live_server.url}/accounts/signup/"
    form = {"username": "tweeling", "password1": "Een-lang-wachtwoord-7"}
    form["password2"] = form["password1"]

    answers = at_once(10, lambda n: post(url, form))

    assert sorted(status for status, _body in answers) == [200] * 9 + [302]
    assert get_user_model().objects.filter(username__iexact="tweeling").count() == 1
