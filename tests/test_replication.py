"""More than one machine: two app servers on two ports share one primary and read from a real
streaming standby (bin/localdb replica), with read-your-writes for a member who just wrote.

The servers are real gunicorn processes on the test database; the standby replicates it like
every database of the local cluster.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from debates.models import Argument, Debate, Vote
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

STANDBY = Path(settings.BASE_DIR) / "var" / "postgres-replica"
SLUG = "moet-de-klant-centraal-staan"
CSRF = "a" * 32
PASSWORD = "Tegenspraak-wachtwoord-2025"


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is the answer


NO_REDIRECTS = urllib.request.build_opener(_Keep)


def url_for(host: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@/{db['NAME']}?host={host}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def standby():
    """A superuser connection to the standby (to pause its replay, as lag would)."""
    assert (STANDBY / "PG_VERSION").exists(), "no standby: start it with `bin/localdb replica`"
    with psycopg.connect(host=str(STANDBY), user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        # Caught up with everything the primary wrote so far (the test database's corpus among
        # it): a standby just started may still be replaying a backlog.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (written,) = cursor.fetchone()
        for _attempt in range(600):
            caught_up = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]
            ).fetchone()
            if caught_up == (True,):
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the standby did not replay up to {written} in a minute")
        yield conn
        conn.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture
def servers(graph):
    """Two app servers, production-configured, on the primary with the standby as replica."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "replication-test-" + "x" * 32,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": url_for(settings.DATABASE_APP["HOST"]),
        "DATABASE_REPLICA_URLS": url_for(str(STANDBY)),
        "RATE_LIMIT_VOTES": "6",
        "RATE_LIMIT_VOTES_SECONDS": "3600",
        "REPLICA_PIN_SECONDS": "30",
    }
    env.pop("DATABASE_OWNER_URL", None)
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--threads", "8"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        for port in ports
    ]  # fmt: skip
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            for _attempt in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError(f"{base} did not start")
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def member(base: str, username: str) -> str:
    """A member logged in through `base` (the servers sign sessions with their own key)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        UserFactory(username=username, password=PASSWORD)
    status, _body, cookie = request(
        base, "/accounts/login/", data={"username": username, "password": PASSWORD}, htmx=False
    )
    assert status == 302, status
    return re.search(rf"{settings.SESSION_COOKIE_NAME}=([^;]+)", cookie).group(1)


def request(base, path, *, session="", pin=False, data=None, htmx=True) -> tuple[int, str, str]:
    """(status, body, Set-Cookie) of one request, as a browser with those cookies."""
    cookies = [f"csrftoken={CSRF}"]
    if session:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    if pin:
        cookies.append("tegenspraak_primary=1")
    headers = {"Cookie": "; ".join(cookies), "X-CSRFToken": CSRF}
    body = None
    if data is not None:
        body = "&".join(f"{key}={value}" for key, value in data.items()).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
    req = urllib.request.Request(f"{base}{path}", data=body, headers=headers)
    try:
        with NO_REDIRECTS.open(req, timeout=30) as response:
            return response.status, response.read().decode(), cookies_set(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), cookies_set(error.headers)


def cookies_set(headers) -> str:
    return "; ".join(headers.get_all("Set-Cookie") or [])


def test_readers_read_the_replica_and_a_member_reads_her_own_writes(servers, standby, graph):
    first, second = servers
    anna = member(first, "anna")
    argument = graph["konrad-geen-vrijbrief"]
    page = f"/debates/{SLUG}/"
    assert "Moet de klant centraal staan?" in request(second, page)[1]

    # The standby falls behind (replay paused); the primary moves on.
    standby.execute("SELECT pg_wal_replay_pause()")
    Debate.objects.filter(slug=SLUG).update(title="Staat de klant nog centraal?")

    # A reader is served by the replica: the old title, from either server.
    for base in servers:
        html = request(base, page)[1]
        assert "Moet de klant centraal staan?" in html and "Staat de klant nog" not in html

    # Anna votes on one server; her next page, from the other, comes from the primary.
    status, _body, cookie = request(first, f"/arguments/{argument.pk}/vote/", session=anna,
                                    data={"value": "up"})  # fmt: skip
    assert status == 200 and "tegenspraak_primary=1" in cookie, _body[:2000]
    html = request(second, page, session=anna, pin=True)[1]
    assert "Staat de klant nog centraal?" in html
    assert Vote.objects.filter(argument=argument).count() == 1, _body[:3000]

    # Once the standby replays again, readers see it too, without any restart.
    standby.execute("SELECT pg_wal_replay_resume()")
    for _attempt in range(50):
        if "Staat de klant nog centraal?" in request(first, page)[1]:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the replica did not catch up")


def test_two_servers_share_one_count_and_one_limit(servers, graph):
    members = [member(servers[0], f"stemmer{number}") for number in range(3)]
    arguments = list(
        Argument.objects.filter(status="published", key__isnull=False).order_by("pk")[:10]
    )

    def vote(job):
        member, argument, base = job
        return request(base, f"/arguments/{argument.pk}/vote/", session=member,
                       data={"value": "up"})[0]  # fmt: skip

    left = 3600 - time.time() % 3600  # one limit window for the whole burst
    if left < 15:
        time.sleep(left + 0.1)
    # Every member votes up 10 arguments, alternating between the servers, all at once.
    jobs = [
        (member, argument, servers[number % 2])
        for member in members
        for number, argument in enumerate(arguments)
    ]
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(vote, jobs))

    # 6 votes per member per minute, whichever server took them.
    assert sorted(statuses) == [200] * 18 + [429] * 12
    assert Vote.objects.count() == 18
    for argument in Argument.objects.filter(pk__in=[a.pk for a in arguments]):
        assert argument.up_votes == Vote.objects.filter(argument=argument, value=1).count()
    call_command("verify_counts")  # exits non-zero on drift
