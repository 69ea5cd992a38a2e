"""The benchmark's corpus (manage.py bench_data) at a small size, and what a debate page costs at
100 arguments against 10,000: the same queries."""

import hashlib

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from debates.management.commands.bench_data import generate
from debates.models import Argument, Debate, Link, Strength, Vote, arguments_reaching
from debates.services import vote_cast

SMALL = {"small": 100, "large": 10_000, "total": 10_300, "votes": 2_000, "members": 20}


def digest() -> str:
    """What the benchmark's data holds, ids left out."""
    rows = []
    with connection.cursor() as cursor:
        for sql in (
            "SELECT key, text, up_votes, down_votes FROM debates_argument "
            "WHERE key LIKE 'bench-%%' ORDER BY key",
            "SELECT s.key, t.key, relation FROM debates_link JOIN debates_argument s ON "
            "s.id = source_id JOIN debates_argument t ON t.id = target_id ORDER BY 1, 2",
            "SELECT username, a.key, value FROM debates_vote JOIN auth_user u ON u.id = user_id "
            "JOIN debates_argument a ON a.id = argument_id ORDER BY 1, 2",
            "SELECT slug, title, a.key FROM debates_debate JOIN debates_argument a "
            "ON a.id = thesis_id ORDER BY slug",
        ):
            cursor.execute(sql)
            rows.append(cursor.fetchall())
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def bench(db):
    call_command("bench_data", *(f"--{key}={value}" for key, value in SMALL.items()))
    return {debate.slug: debate for debate in Debate.objects.filter(slug__startswith="bench-")}


def test_the_same_seed_makes_the_same_corpus_once(bench, capsys):
    before = digest()
    call_command("bench_data")  # there already: nothing changes, whatever the sizes asked
    assert "unchanged" in capsys.readouterr().out
    assert digest() == before
    assert generate(10, **SMALL) == generate(10, **SMALL)
    assert generate(10, **SMALL) != generate(11, **SMALL)

    assert Argument.objects.filter(key__startswith="bench-").count() == 10_300
    assert len(arguments_reaching(bench["bench-1k"].thesis_id)) == 100
    assert len(arguments_reaching(bench["bench-10k"].thesis_id)) == 10_000
    assert Vote.objects.count() == 2_000
    assert len(bench) == 11
    # The large debate has cycles: an older argument answers a newer one.
    assert Link.objects.filter(source_id__lt=F("target_id")).count() >= 10_000 // 20
    # Every counter equals its votes, and every argument has its strength.
    call_command("verify_counts")
    assert Strength.objects.filter(argument__key__startswith="bench-").count() == 10_300


def test_a_debate_page_costs_the_same_queries_at_100_and_10000_arguments(bench, client):
    member = User.objects.get(username="bench-member-00000")
    for slug in ("bench-1k", "bench-10k"):  # the member votes on the thesis of each
        vote_cast(member, bench[slug].thesis, "up")
    costs = {}
    for slug in ("bench-1k", "bench-10k"):
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(f"/debates/{slug}/").status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(f"/debates/{slug}/").status_code == 200
        client.force_login(member)
        with CaptureQueriesContext(connection) as signed_in:
            html = client.get(f"/debates/{slug}/").content.decode()
        client.logout()
        assert 'aria-pressed="true"' in html  # the member's own vote, laid over the shared page
        costs[slug] = (len(cold), len(warm), len(signed_in))
    assert costs["bench-1k"] == costs["bench-10k"]
    cold, warm, signed_in = costs["bench-1k"]
    assert (cold, warm) == (5, 1)
    # session, user with whether they moderate (for the menu), own posts, version, the
    # member's votes, the header's unread notifications and whether the member follows it
    assert signed_in == 7


def test_the_floor_of_a_members_post_is_served_by_the_benchmark_only(client, django_user_model):
    member = django_user_model.objects.create_user("bench-floor", password="een-lang-wachtwoord-9")
    client.force_login(member)
    assert client.post("/bench/floor/").status_code == 404  # the site never serves it
    with override_settings(ROOT_URLCONF="bench.urls"):
        assert client.post("/bench/floor/").status_code == 204
        assert client.get("/bench/floor/").status_code == 405
        client.logout()
        assert client.post("/bench/floor/")["Location"].startswith("/accounts/login/")
