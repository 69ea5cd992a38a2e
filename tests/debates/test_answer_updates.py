"""Answers appear where they were posted: after an htmx reply or link, the response carries,
out of band, the list the new argument belongs to and every count it changes on that page."""

import re

import pytest
from django.urls import reverse

from debates.models import Link
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, UserFactory

NEW = "Een nieuw tegenargument: luisteren zonder doen is zinloos."


@pytest.fixture
def debate(db):
    return DebateFactory(slug="waar-het-staat")


@pytest.fixture
def card(debate):
    """An argument against the thesis, shown as a card on the debate page."""
    argument = ArgumentFactory(text="Klanten weten zelf niet wat ze willen.")
    LinkFactory(source=argument, target=debate.thesis)
    return argument


@pytest.fixture
def member_client(client, db):
    client.force_login(UserFactory())
    return client


def htmx_from(page: str) -> dict:
    return {"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}


def oob(body: str, element_id: str) -> str:
    """The out-of-band element with this id (up to the next top-level OOB element)."""
    match = re.search(rf'<[^>]* id="{element_id}"[^>]*hx-swap-oob="true"', body)
    assert match, f"no out-of-band #{element_id}"
    rest = body[match.start() :]
    end = rest.find('hx-swap-oob="true"', len(match.group(0)))
    return rest if end == -1 else rest[:end]


def test_an_answer_to_a_card_shows_in_its_answers_with_the_counts(member_client, debate, card):
    response = member_client.post(
        reverse("debates:replies", args=[card.pk]),
        {"text": NEW, "relation": "attack", "debate": debate.slug},
        headers=htmx_from(debate.get_absolute_url()),
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'role="status"' in body and "data-autofocus" in body  # the message, focused
    answers = oob(body, f"card-answers-{card.pk}")
    assert NEW in answers and "1 antwoord" in answers
    assert "2 argumenten onder de stelling" in oob(body, "debate-size")
    assert f'id="standing-{debate.slug}"' in body
    # The strengths it moves: the card's and the thesis's, swapped wherever they stand.
    assert f'hx-swap-oob="outerHTML:.strength-{card.pk}"' in body
    assert f'hx-swap-oob="outerHTML:.strength-{debate.thesis.pk}"' in body


def test_an_answer_to_the_thesis_shows_on_its_side_with_the_sides_counts(
    member_client, debate, card
):
    response = member_client.post(
        reverse("debates:replies", args=[debate.thesis.pk]),
        {"text": NEW, "relation": "support", "debate": debate.slug},
        headers=htmx_from(debate.get_absolute_url()),
    )
    sides = oob(response.content.decode(), "sides")
    assert NEW in sides
    assert "1 argument voor" in sides and "1 argument tegen" in sides


def test_a_link_on_the_argument_page_shows_in_what_supports_it(member_client, card):
    other = ArgumentFactory(text="Wie klanten volgt, loopt achter de feiten aan.")
    response = member_client.post(
        reverse("debates:links", args=[card.pk]),
        {"argument": other.pk, "relation": Link.Relation.SUPPORT},
        headers=htmx_from(card.get_absolute_url()),
    )
    relations = oob(response.content.decode(), "relations")
    supported = relations[relations.index("supported-by-heading") :]
    assert other.text in supported[: supported.index("attacks-heading")]


def test_elsewhere_the_answer_brings_only_its_message(member_client, card):
    response = member_client.post(
        reverse("debates:replies", args=[card.pk]),
        {"text": NEW, "relation": "attack"},
        headers=htmx_from("/search/?q=klant"),
    )
    body = response.content.decode()
    assert NEW in body and "hx-swap-oob" not in body


def test_in_the_reading_panel_the_answer_has_the_panel_fetch_its_lists_again(member_client, graph):
    extracted = next(a for a in graph.values() if a.article_id and a.is_published)
    article = extracted.article.get_absolute_url()
    response = member_client.post(
        reverse("debates:replies", args=[extracted.pk]),
        {"text": NEW, "relation": "attack"},
        headers=htmx_from(article),
    )
    assert response["HX-Trigger"] == "argument-answered"

    panel = member_client.get(
        reverse("debates:argument-panel", args=[extracted.pk]) + "?part=relations",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert panel.lstrip().startswith('<div class="panel-relations" id="panel-relations"')
    assert "<aside" not in panel and NEW in panel
    attacked = panel[: panel.index("panel-supporters-heading")]
    counted = extracted.incoming.filter(relation="attack", source__status="published").count()
    assert f'<span class="panel-count">({counted})</span>' in attacked


@pytest.mark.parametrize("current", ["http://[", "http://elders.example/debates/x/", "\u202e", ""])
def test_an_odd_or_foreign_current_url_brings_only_the_message(member_client, card, current):
    response = member_client.post(
        reverse("debates:replies", args=[card.pk]),
        {"text": NEW, "relation": "attack"},
        headers={"HX-Request": "true", "HX-Current-URL": current},
    )
    assert response.status_code == 200
    assert "hx-swap-oob" not in response.content.decode()
