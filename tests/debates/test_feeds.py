"""Atom feeds of a debate and of an article, read by a real feed parser: valid, newest first,
published arguments only (hidden and waiting posts never appear)."""

import feedparser
import pytest
from django.urls import reverse

from debates.models import Argument, Link
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, UserFactory


@pytest.fixture
def debate(db):
    return DebateFactory(slug="klant-feed", title="Moet de klant centraal staan?")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_a_debate_feed_holds_its_published_arguments_newest_first(client, debate):
    member = UserFactory(username="carla")
    older = ArgumentFactory(text="Oudere reactie: de klant is niet altijd koning.", author=member)
    newer = ArgumentFactory(text="Nieuwere reactie: medewerkers eerst, dan de klant.")
    LinkFactory(source=older, target=debate.thesis)
    LinkFactory(source=newer, target=older, relation=Link.Relation.SUPPORT)
    hidden = ArgumentFactory(
        text="Verborgen reactie die niemand mag lezen.", status=Argument.Status.HIDDEN
    )
    pending = ArgumentFactory(
        text="Wachtende reactie die nog niet goedgekeurd is.", status=Argument.Status.PENDING
    )
    LinkFactory(source=hidden, target=debate.thesis)
    LinkFactory(source=pending, target=debate.thesis)

    feed = parse(client, reverse("debates:feed", args=[debate.slug]))

    assert feed.version == "atom10"
    assert feed.feed.title == "Tegenspraak: Moet de klant centraal staan?"
    texts = [entry.summary for entry in feed.entries]
    assert texts == [newer.text, older.text, debate.thesis.text]
    assert feed.entries[1].author == "carla"
    assert feed.entries[0].link == f"http://testserver{newer.get_absolute_url()}"
    body = client.get(reverse("debates:feed", args=[debate.slug])).content.decode()
    assert "Verborgen" not in body and "Wachtende" not in body


def test_an_argument_hidden_later_drops_out_of_the_feed(client, debate):
    answer = ArgumentFactory(text="Deze reactie wordt later verborgen.")
    LinkFactory(source=answer, target=debate.thesis)
    Argument.objects.filter(pk=answer.pk).update(status=Argument.Status.HIDDEN)
    feed = parse(client, reverse("debates:feed", args=[debate.slug]))
    assert [entry.summary for entry in feed.entries] == [debate.thesis.text]


def test_an_unknown_debate_has_no_feed(client, db):
    assert client.get(reverse("debates:feed", args=["bestaat-niet"])).status_code == 404


def test_an_article_feed_holds_its_arguments_and_the_answers_to_them(client, graph):
    extracted = Argument.objects.published().exclude(article=None).first()
    article = extracted.article
    answer = ArgumentFactory(text="Een antwoord op een argument uit dit artikel.")
    LinkFactory(source=answer, target=extracted)
    hidden = ArgumentFactory(
        text="Een verborgen antwoord uit het artikel.", status=Argument.Status.HIDDEN
    )
    LinkFactory(source=hidden, target=extracted)

    feed = parse(client, reverse("articles:feed", args=[article.slug]))

    texts = [entry.summary for entry in feed.entries]
    assert texts[0] == answer.text
    assert extracted.text in texts
    assert hidden.text not in texts
    published = Argument.objects.published().filter(article=article).count()
    assert len(texts) >= published + 1
