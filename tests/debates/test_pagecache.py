"""The shared page cache (debates/pagecache.py): what it keeps, and how often it renders."""

import re
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from articles.models import Article
from debates import pagecache, strength
from debates.models import Debate
from debates.services import vote_cast
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, UserFactory

SLUG = "moet-de-klant-centraal-staan"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def pages_cached(kind: str = "") -> int:
    """Parts of pages in the cache (kind ""), or the members' (":member", with the widgets) or
    the plain readers' whole pages (":whole") kept beside them."""
    return sum(
        ":page:" in key
        and (key.endswith(kind) if kind else not key.endswith((":member", ":whole")))
        for key in cache._cache
    )


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
    # Nor the same addresses written otherwise: each would be a page of its own.
    for odd in ("?&", "?&&", "?sort=%6Eewest", "?sort=newest&", "?sort=newest&sort=newest"):
        assert client.get(f"/debates/{SLUG}/{odd}").status_code == 200
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


def unmasked(html: str) -> str:
    """The page without what differs per response: the CSRF token (masked anew each time)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", html.split("<main")[1])


def page(client, debate) -> str:
    response = client.get(f"/debates/{debate.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_write_renews_the_debates_it_reaches_and_leaves_the_others_kept(
    client, db, django_assert_num_queries
):
    """Two debates share one argument: a vote on it renews both pages; a vote on an argument of
    one debate only renews that one, and the other is still served from the cache."""
    first, second = DebateFactory(), DebateFactory()
    shared_argument, own = ArgumentFactory(), ArgumentFactory()
    LinkFactory(source=shared_argument, target=first.thesis)
    LinkFactory(source=shared_argument, target=second.thesis, relation="support")
    LinkFactory(source=own, target=first.thesis)
    strength.refresh_all()
    member = UserFactory()
    for debate in (first, second):
        page(client, debate)

    vote_cast(member, own, "up")
    with django_assert_num_queries(1):  # the debate's version: the page is kept
        page(client, second)
    assert "1 stem" in page(client, first)  # renewed: the vote is there

    vote_cast(member, shared_argument, "down")
    for debate in (first, second):
        html = page(client, debate)
        assert html.count("1 stem") >= 1
        with django_assert_num_queries(1):  # kept again after the renewal
            again = page(client, debate)
        assert unmasked(again) == unmasked(html)


def test_a_source_renamed_renews_every_debate(client, graph, django_assert_num_queries):
    debates = list(Debate.objects.all())
    for debate in debates:
        page(client, debate)
    article = Article.objects.get(slug__contains="ivoren")
    Article.objects.filter(pk=article.pk).update(title="Een nieuwe titel voor de ivoren toren")

    for debate in debates:
        with django_assert_num_queries(5):  # rendered anew, with the new title where it quotes
            page(client, debate)


def test_strengths_recomputed_from_scratch_renew_every_debate(
    client, db, django_assert_num_queries
):
    """refresh_all has no write of an argument before it to move the debates on (a strength
    row walks up to the theses no more): when it changes a row, it moves every debate on
    itself; when it changes nothing, the pages are kept."""
    first, second = DebateFactory(), DebateFactory()
    argument = ArgumentFactory()
    LinkFactory(source=argument, target=first.thesis, relation="support")
    strength.refresh_all()
    for debate in (first, second):
        page(client, debate)
    strength.refresh_all()  # nothing changed
    for debate in (first, second):
        with django_assert_num_queries(1):  # the debate's version: kept
            page(client, debate)

    # A strength left behind (as a changed formula would leave them all), then recomputed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE debates_strength SET strength = 0.1 WHERE argument_id = %s", [first.thesis_id]
        )
    with django_assert_num_queries(1):  # that write alone moves nothing on
        assert 'data-strength="0.7500"' in page(client, first)
    assert strength.refresh_all().written == 1
    for debate in (first, second):
        with django_assert_num_queries(5):  # rendered anew: every debate moved on
            page(client, debate)


def test_a_reader_revisiting_an_unchanged_page_gets_304(client, graph, django_assert_num_queries):
    client.cookies["csrftoken"] = "a" * 32
    tags = {}
    for address in (f"/debates/{SLUG}/", f"/debates/{SLUG}/map/", "/debates/"):
        first = client.get(address)
        tag = tags[address] = first.headers["ETag"]
        assert "no-cache" in first.headers["Cache-Control"]

        with django_assert_num_queries(1):  # the version
            again = client.get(address, headers={"if-none-match": f"W/{tag}"})
        assert again.status_code == 304 and again.content == b""

    vote_cast(UserFactory(), graph["konrad-geen-vrijbrief"], "up")
    for address, tag in tags.items():  # a new version of each: sent in full, a new tag
        changed = client.get(address, headers={"if-none-match": tag})
        assert changed.status_code == 200 and changed.headers["ETag"] != tag
    # A member's page holds their own votes: always sent in full, without a tag.
    client.force_login(UserFactory())
    member = client.get("/debates/", headers={"if-none-match": changed.headers["ETag"]})
    assert member.status_code == 200 and "ETag" not in member.headers


def test_a_plain_readers_whole_page_is_kept_with_their_own_token_and_nonce(
    graph, django_assert_num_queries
):
    from django.test import Client

    def tokens(response) -> tuple[set[str], str, str]:
        html = response.content.decode()
        csrf = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        nonce = re.search(r'<script [^>]*nonce="([^"]+)"', html)[1]
        return csrf, nonce, response.headers["Content-Security-Policy"]

    address = f"/debates/{SLUG}/"
    Client().get(address)  # renders the part and the whole page
    assert pages_cached(":whole") == 1
    seen = []
    for cookie in ("", "b" * 32, "c" * 32):  # a first visit, and two readers with a cookie
        reader = Client(enforce_csrf_checks=True)
        if cookie:
            reader.cookies["csrftoken"] = cookie
        with django_assert_num_queries(1):  # the version: the whole page from the cache
            response = reader.get(address)
        csrf, nonce, policy = tokens(response)
        assert "tegenspraak-" not in response.content.decode()  # no placeholder left
        assert len(csrf) == 1 and f"'nonce-{nonce}'" in policy
        seen.append((csrf.pop(), nonce))
        # The page's token is good for this reader's forms: the vote form sends them to log in.
        vote = reader.post(
            f"/arguments/{graph['konrad-geen-vrijbrief'].pk}/vote/",
            {"csrfmiddlewaretoken": seen[-1][0], "value": "up"},
        )
        assert vote.status_code == 302 and "/accounts/login/" in vote.headers["Location"]
    assert len({token for token, _ in seen}) == 3 and len({nonce for _, nonce in seen}) == 3

    vote_cast(UserFactory(), graph["konrad-geen-vrijbrief"], "up")  # a new version
    Client().get(address)
    assert pages_cached(":whole") == 1  # the old whole page dropped


def test_a_members_votes_are_laid_over_the_shared_page_where_they_belong(client, graph):
    voter, other = UserFactory(), UserFactory()
    client.force_login(other)
    client.get(f"/debates/{SLUG}/")  # the shared page kept, rendered for nobody's votes
    pressed_at = re.compile(
        r'action="/arguments/(\d+)/vote/".*?class="vote vote-(up|down)"\s+aria-pressed="true"',
        re.S,
    )
    debate = Debate.objects.get(slug=SLUG)
    shown = [int(pk) for pk in re.findall(r'action="/arguments/(\d+)/vote/"', page(client, debate))]
    up, down = shown[0], shown[-1]  # the thesis, and the last argument on the page
    vote_cast(voter, up, "up")
    vote_cast(voter, down, "down")
    client.force_login(voter)
    html = page(client, debate)
    widgets = html.split('<div class="votes">')[1:]
    pressed = {int(m[1]): m[2] for w in widgets if (m := pressed_at.search(w))}
    assert pressed == {up: "up", down: "down"}
    assert len(widgets) == len(shown)  # every other widget as it was


def test_a_members_widget_shows_the_counts_now_and_speaks_their_language(client, graph):
    # The voted-up and voted-down widgets are kept per process (pagecache._variants): after
    # another member's vote the member's own widget shows the new count, and an English page
    # gets English widgets.
    member, others = UserFactory(), [UserFactory() for _ in range(2)]
    debate = Debate.objects.get(slug=SLUG)
    client.force_login(member)
    thesis = int(re.search(r'action="/arguments/(\d+)/vote/"', page(client, debate))[1])
    vote_cast(member, thesis, "up")

    def widget() -> str:
        html = page(client, debate)
        return html.split(f'action="/arguments/{thesis}/vote/"')[1].split("</form>")[0]

    pressed = r'aria-pressed="true">.*? {} <span class="visually-hidden">{}'
    assert re.search(pressed.format(1, "stemmen voor"), widget(), re.S)
    for other in others:
        vote_cast(other, thesis, "up")
        assert f" {2 + others.index(other)} <span" in widget().split("vote-down")[0]
    client.cookies["django_language"] = "en"
    english = widget()
    assert re.search(pressed.format(3, "up votes: withdraw yours"), english, re.S)
    assert "stemmen" not in english


def test_a_made_up_address_does_not_fill_the_widgets_cache(client, graph):
    member = UserFactory()
    debate = Debate.objects.get(slug=SLUG)
    vote_cast(member, debate.thesis, "up")
    client.force_login(member)
    pagecache._variants.cache_clear()
    client.get(f"/debates/{SLUG}/")
    kept = pagecache._variants.cache_info().currsize
    assert kept > 0
    html = client.get(f"/debates/{SLUG}/?utm=aanval").content.decode()
    assert pagecache._variants.cache_info().currsize == kept
    widget = html.split(f'action="/arguments/{debate.thesis_id}/vote/"')[1].split("</form>")[0]
    assert 'vote-up"\n            aria-pressed="true"' in widget  # still laid over


def test_a_level_expanded_in_place_is_kept_per_version_with_the_members_votes(
    client, graph, django_assert_num_queries
):
    slug = "is-klantgerichtheid-het-slechtste-idee"
    node = f"/debates/{slug}/arguments/{graph['dejong-vrijbrief'].pk}/"
    answer = graph["konrad-geen-vrijbrief"]
    htmx = {"HX-Request": "true"}
    assert answer.text in client.get(node, headers=htmx).content.decode()
    with django_assert_num_queries(1):  # the debate's version: the rest from the cache
        client.get(node, headers=htmx)
    outside = f"/debates/{slug}/arguments/{graph['ivorentoren-forrester'].pk}/"
    assert client.get(outside, headers=htmx).status_code == 404

    member = UserFactory()
    client.force_login(member)
    pressed = f'action="/arguments/{answer.pk}/vote/"'

    def voted_up() -> bool:
        fragment = client.get(node, headers=htmx).content.decode()
        widget = fragment.split(pressed)[1].split("</form>")[0]
        return 'class="vote vote-up"\n            aria-pressed="true"' in widget

    assert not voted_up()
    vote_cast(member, answer, "up")  # a new version of the debate: the level rendered anew
    assert voted_up()
    client.force_login(UserFactory())  # another member shares the rendering, not the vote
    assert not voted_up()


def test_a_new_csrf_cookie_gets_the_page_anew_not_304(client, graph):
    # A log-in gives the browser a new CSRF cookie: the page it holds has forms for the old one.
    client.cookies["csrftoken"] = "a" * 32
    first = client.get(f"/debates/{SLUG}/")
    client.cookies["csrftoken"] = "z" * 32
    again = client.get(f"/debates/{SLUG}/", headers={"if-none-match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert "private" in again.headers["Cache-Control"]  # no shared cache keeps one reader's token


def test_a_claim_cannot_spell_out_a_readers_token(client, db):
    text = "Zie tegenspraak-csrf-placeholder en tegenspraak-nonce-placeholder hier, klant."
    claim = ArgumentFactory(text=text)
    debate = DebateFactory(thesis=claim)
    client.get(f"/debates/{debate.slug}/")
    for _ in range(2):  # rendered, then the whole page from the cache
        html = client.get(f"/debates/{debate.slug}/").content.decode()
        assert text in html
    assert pagecache.CSRF_PLACEHOLDER not in html and pagecache.NONCE_PLACEHOLDER not in html


@pytest.mark.django_db(transaction=True)
def test_a_page_that_asks_for_values_never_waits_on_its_own_lock(graph, monkeypatch):
    # Every page and every value on one lock: the debate list's build asks for the standings.
    monkeypatch.setattr(pagecache, "_page_locks", [threading.RLock()])
    monkeypatch.setattr(pagecache, "_value_locks", [threading.RLock()])
    from django.test import Client

    done = []

    def read():
        try:
            done.append(Client().get("/debates/").status_code)
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=30)
    assert done == [200]
