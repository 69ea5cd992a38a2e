"""The shared page cache (debates/pagecache.py): what it keeps, and how often it renders."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from debates import pagecache
from debates.services import vote_cast
from tests.factories import UserFactory

SLUG = "moet-de-klant-centraal-staan"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def pages_cached() -> int:
    return sum(":votes" not in key and ":page:" in key for key in cache._cache)


def test_only_the_addresses_pages_link_to_are_kept(client, graph, django_assert_num_queries):
    for sort in ("", "?sort=newest"):
        client.get(f"/debates/{SLUG}/{sort}")
        with django_assert_num_queries(1):  # the version: the rest from the cache
            assert client.get(f"/debates/{SLUG}/{sort}").status_code == 200
    assert pages_cached() == 2

    for n in range(5):  # made-up query strings are rendered for the asker, not kept
        response = client.get(f"/debates/{SLUG}/?utm={n}&sort=newest")
        assert response.status_code == 200
        assert "Moet de klant centraal staan?" in response.content.decode()
    client.get(f"/debates/{SLUG}/?sort=bogus")
    assert pages_cached() == 2


def test_a_page_rendered_for_a_new_version_replaces_the_old_one(client, graph):
    member = UserFactory()
    client.get(f"/debates/{SLUG}/")
    client.get("/debates/")
    assert pages_cached() == 2

    for value in ("up", "down", "clear"):  # each vote is a new version of every page
        vote_cast(member, graph["konrad-geen-vrijbrief"], value)
        page = client.get(f"/debates/{SLUG}/").content.decode()
        client.get("/debates/")
        assert pages_cached() == 2
    assert "Moet de klant centraal staan?" in page


@pytest.mark.django_db(transaction=True)
def test_readers_who_miss_a_page_together_wait_for_one_rendering(graph):
    builds, barrier = [], threading.Barrier(6)
    seen = []

    def build(viewer):
        builds.append(viewer)
        threading.Event().wait(0.3)  # a slow rendering: the others arrive meanwhile
        return pagecache.Part(html="<p>de pagina</p>", title="Titel")

    def reader():
        try:
            barrier.wait()
            request = RequestFactory().get("/debates/een-debat/")
            request.user = pagecache.AnonymousUser()
            seen.append(pagecache.shared(request, "test-page", build).html)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == ["<p>de pagina</p>"] * 6
    assert len(builds) == 1
