"""Odd input gets a clear answer and changes nothing: never a 500."""

import pytest
from django.contrib.auth import get_user_model

from debates.models import Argument, ModerationAction
from tests.factories import ArgumentFactory, LinkFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("lid", password="een-lang-wachtwoord-2")


@pytest.mark.parametrize("slug", ["²", "a b", "'\"<", "\u202e", "x" * 300])
def test_a_debate_that_is_no_slug_is_ignored_on_the_reply_forms(client, member, slug):
    target = ArgumentFactory()
    assert client.get(f"/arguments/{target.pk}/reply/", {"debate": slug}).status_code == 200
    client.force_login(member)
    for headers in ({}, HX):
        refused = client.post(
            f"/arguments/{target.pk}/replies/",
            {"text": "kort", "relation": "attack", "debate": slug},
            headers=headers,
        )
        assert refused.status_code == 200
        assert "Schrijf minstens 15 tekens" in refused.content.decode()
    assert client.get(f"/arguments/{target.pk}/link/", {"debate": slug}).status_code == 200


@pytest.mark.parametrize("into", ["²", "٣", "1.5", "-3", "9" * 40])
def test_merge_takes_only_ascii_digits(client, db, into):
    moderator = get_user_model().objects.create_superuser("mod", password="een-lang-wachtwoord-3")
    duplicate, other = ArgumentFactory(), ArgumentFactory()
    LinkFactory(source=duplicate, target=other)
    client.force_login(moderator)
    before = ModerationAction.objects.count()

    response = client.post(
        f"/moderation/arguments/{duplicate.pk}/merge/", {"into": into, "reason": "x"}
    )

    assert response.status_code == 302
    assert Argument.objects.get(pk=duplicate.pk).status == Argument.Status.PUBLISHED
    assert ModerationAction.objects.count() == before


@pytest.mark.parametrize("steering", ["\u202e", "\u2066", "\ufeff", "\u200f"])
def test_a_claim_with_invisible_steering_characters_is_refused(client, member, steering):
    target = ArgumentFactory()
    client.force_login(member)
    text = f"Een bewering die {steering}anders leest dan ze zegt."
    response = client.post(f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack"})
    assert "Haal de onzichtbare stuurtekens uit je tekst." in response.content.decode()
    assert not Argument.objects.filter(text__contains="anders leest").exists()


def test_control_characters_are_refused_everywhere_with_a_clear_400(client, member, graph):
    target = graph["dejong-vrijbrief"]
    moderator = get_user_model().objects.create_superuser("mod", password="een-lang-wachtwoord-3")
    before = (Argument.objects.count(), ModerationAction.objects.count())
    client.force_login(moderator)
    requests = [
        ("get", f"/arguments/{target.pk}/similar/", {"text": "klant\x00centraal staan"}),
        ("get", "/moderation/log/", {"moderator": "\x00"}),
        ("get", "/search/", {"q": "klant\x00"}),
        ("post", f"/moderation/arguments/{target.pk}/hide/", {"reason": "spam\x00"}),
        ("post", f"/moderation/arguments/{target.pk}/edit/", {"text": "A\x00" * 10, "reason": "x"}),
        ("post", f"/arguments/{target.pk}/flag/", {"reason": "spam", "note": "\x00"}),
        ("post", f"/arguments/{target.pk}/replies/", {"text": "Een\x07 bel", "relation": "attack"}),
        ("post", "/accounts/login/", {"username": "mod\x00", "password": "x"}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 400, url
        assert "stuurtekens" in response.content.decode(), url
    assert (Argument.objects.count(), ModerationAction.objects.count()) == before
