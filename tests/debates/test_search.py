"""Search over many arguments (debates/search.py): the best ranked matches first, for a common
word as for a rare one, an honest count, and the same queries however many arguments match."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debates import search
from debates.models import Argument

pytestmark = pytest.mark.django_db


def plain(word: str, count: int, start: int = 0) -> list[Argument]:
    """`count` new published arguments that mention `word` once, in order of posting."""
    return Argument.objects.bulk_create(
        Argument(text=f"Bewering {start + n}: de {word} bij het loket is te lang.")
        for n in range(count)
    )


def emphatic(word: str, count: int) -> list[Argument]:
    """Arguments about nothing but `word`: full-text ranking puts them first."""
    return Argument.objects.bulk_create(
        Argument(text=f"Nadruk {n}: {word}, {word} en nog eens {word}.") for n in range(count)
    )


def results(client, q: str) -> tuple[str, list[int]]:
    """The page, and the ids of the arguments it shows, in its order."""
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    section = re.split(r"<h2>Argument(?:en|s)</h2>", html)[1].split("</ol>", 1)[0]
    return html, [int(pk) for pk in re.findall(r'<a href="/arguments/(\d+)/">', section)]


def test_a_common_word_shows_its_best_matches_and_says_there_are_more(client):
    plain("wachtrij", search.RANKED + 20)
    best = emphatic("wachtrij", 3)  # newer than most, not the newest
    plain("wachtrij", 30, start=10_000)

    html, shown = results(client, "wachtrij")

    assert shown[:3] == [argument.pk for argument in best]
    assert len(shown) == 20
    assert "Meer dan 500 resultaten voor „wachtrij”" in html
    assert "dit zijn de beste van de nieuwste 500. Maak je zoekopdracht preciezer" in html

    client.cookies["django_language"] = "en"
    html, _shown = results(client, "wachtrij")
    assert "More than 500 results for “wachtrij”" in html
    assert "Make your search more precise" in html


def test_fewer_matches_are_counted_exactly(client):
    plain("wachtrij", 37)

    html, shown = results(client, "wachtrij")

    assert len(shown) == 20
    assert "37 resultaten voor „wachtrij”" in html
    assert "De 20 beste van 37." in html
    assert "preciezer" not in html


def test_a_rare_word_is_found_under_many_newer_arguments(client, monkeypatch):
    # The rare word's one argument lies beyond the newest arguments that are read first.
    monkeypatch.setattr(search, "WINDOW", 50)
    rare = Argument.objects.create(text="Zwembadverwarming is geen dienst aan de klant.")
    plain("wachtrij", 200)

    html, shown = results(client, "zwembadverw")  # still typing

    assert shown == [rare.pk]
    assert "1 resultaat voor „zwembadverw”" in html


def test_of_a_word_rare_among_the_newest_the_newest_matches_are_ranked(monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 50)
    monkeypatch.setattr(search, "RANKED", 30)
    older = plain("wachtrij", 60)
    plain("telefoon", 100, start=1000)

    found = search.search_arguments("wachtrij", 20)

    assert found.more
    newest = {argument.pk for argument in older[-30:]}
    assert {argument.pk for argument in found.arguments} <= newest


def test_hidden_and_waiting_arguments_are_not_found(client):
    shown, hidden, waiting = plain("wachtrij", 3)
    Argument.objects.filter(pk=hidden.pk).update(status=Argument.Status.HIDDEN)
    Argument.objects.filter(pk=waiting.pk).update(status=Argument.Status.PENDING)

    html, found = results(client, "wachtrij")

    assert found == [shown.pk]
    assert "1 resultaat" in html


def test_posts_by_moderators_are_marked(client, people):
    by_moderator = Argument.objects.create(
        text="De wachtrij wordt korter met een terugbelknop.", author=people["moderator"]
    )
    by_member = Argument.objects.create(
        text="De wachtrij is het visitekaartje van de gemeente.", author=people["member"]
    )

    html, shown = results(client, "wachtrij")

    assert set(shown) == {by_moderator.pk, by_member.pk}
    moderator_item = html.split(f'<a href="/arguments/{by_moderator.pk}/">')[1].split("</li>")[0]
    member_item = html.split(f'<a href="/arguments/{by_member.pk}/">')[1].split("</li>")[0]
    assert '<span class="badge">moderator</span>' in moderator_item
    assert "geplaatst door lid" in member_item
    assert '<span class="badge">moderator</span>' not in member_item


def test_the_queries_do_not_grow_with_the_matches(client, people):
    def queries(q: str) -> int:
        with CaptureQueriesContext(connection) as context:
            results(client, q)
        return len(context.captured_queries)

    # Members' posts among the results: whether their authors moderate is one query more.
    for word, count in (("wachtrij", 25), ("telefoon", search.RANKED + 20)):
        plain(word, count, start=len(word) * 10_000)
        Argument.objects.create(text=f"Een lid: {word}, {word}, {word}!", author=people["member"])

    few, many = queries("wachtrij"), queries("telefoon")

    # articles, comments, arguments, and which of their authors moderate
    assert few == many == 4


def test_the_link_pickers_offer_the_most_voted_newest_matches_but_the_excluded(monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 50)
    monkeypatch.setattr(search, "RANKED", 30)
    older = plain("wachtrij", 40)  # beyond the newest 30 matches, however voted
    newer = plain("wachtrij", 40, start=1000)
    for votes, argument in enumerate([*older, *newer]):
        argument.up_votes = votes % 7 if argument in newer else 50
        argument.save(update_fields=["up_votes"])
    newest = newer[-30:]
    left_out = max(newest, key=lambda argument: (argument.up_votes, -argument.pk))

    picked = search.pick_arguments("wachtr", 8, exclude=[left_out.pk])  # still typing

    expected = sorted(
        (argument for argument in newest if argument != left_out),
        key=lambda argument: (-argument.up_votes, argument.pk),
    )[:8]
    assert [argument.pk for argument in picked] == [argument.pk for argument in expected]
    assert picked[0].text == expected[0].text  # the whole claim, for the picker to show
    assert search.pick_arguments("", 8) == []
