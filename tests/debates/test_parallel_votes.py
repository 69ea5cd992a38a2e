"""Votes stay exact under parallel requests against a real server."""

import secrets
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from debates.models import Vote


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post_vote(url: str, session: str) -> int:
    csrf = secrets.token_hex(16)  # a 32-character secret: the cookie and the header agree
    request = urllib.request.Request(
        url,
        data=b"value=up",
        method="POST",
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_sixteen_members_voting_up_three_times_each_in_parallel_add_exactly_sixteen(
    live_server, graph
):
    target = graph["dejong-vrijbrief"]
    members = [get_user_model().objects.create_user(f"stemmer{n}") for n in range(16)]
    sessions = [session_cookie(member) for member in members]
    url = f"{live_server.url}/arguments/{target.pk}/vote/"

    with ThreadPoolExecutor(max_workers=48) as pool:
        statuses = list(pool.map(lambda session: post_vote(url, session), sessions * 3))

    assert statuses == [200] * 48
    target.refresh_from_db()
    assert (target.up_votes, target.down_votes) == (16, 0)
    assert Vote.objects.filter(argument=target).count() == 16
    data = Client().get("/debates/is-klantgerichtheid-het-slechtste-idee/export.json").json()
    exported = next(a for a in data["arguments"] if a["id"] == target.pk)
    assert exported["votes"] == {"up": 16, "down": 0}
