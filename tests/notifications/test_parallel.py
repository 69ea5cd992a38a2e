"""A followed debate counts every new argument exactly once under parallel posts against a real
server: one unread notification, counted by one upsert per post."""

import secrets
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.test import Client

from debates.models import Link
from notifications.models import Follow, Kind, Notification
from tests.factories import CLAIMS, ArgumentFactory, DebateFactory, LinkFactory, UserFactory


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post(url: str, session: str, data: dict) -> int:
    csrf = secrets.token_hex(16)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode(),
        method="POST",
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_eight_members_answering_at_once_count_eight_in_one_notification(live_server):
    debate = DebateFactory()
    claim = ArgumentFactory()
    LinkFactory(source=claim, target=debate.thesis, relation=Link.Relation.SUPPORT)
    follower = UserFactory(username="volger")
    Follow.objects.create(user=follower, debate=debate)
    members = [UserFactory() for _ in range(8)]
    sessions = [session_cookie(member) for member in members]
    url = f"{live_server.url}/arguments/{claim.pk}/replies/"

    def answer(n: int) -> int:
        text = f"Parallel antwoord {n}: {CLAIMS[n % len(CLAIMS)]}."
        return post(url, sessions[n], {"text": text, "relation": "attack"})

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(answer, range(8)))

    assert statuses == [302] * 8
    note = Notification.objects.get(recipient=follower)
    assert (note.kind, note.count, note.read_at) == (Kind.DEBATE, 8, None)
