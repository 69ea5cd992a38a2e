"""Which members' posts wait for a moderator, and which go out at once."""

import pytest
from django.contrib.auth import get_user_model

from debates.models import Argument, Link
from debates.moderation.services import moderators_group, set_debate_status
from debates.services import argument_rebut
from tests.factories import DebateFactory, LinkFactory, UserFactory

LONG = "Wie de klant centraal zet moet ook durven kiezen welke klanten de organisatie niet bedient"


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def debate(db):
    return DebateFactory()


@pytest.fixture
def target(debate):
    """What the member answers: an argument for the debate's thesis."""
    return LinkFactory(target=debate.thesis, relation=Link.Relation.SUPPORT).source


def post(member, target, text):
    return argument_rebut(member, target, text, "attack")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Lees https://a.example, https://b.example en https://c.example voor bewijs.",
            "meer dan twee links",
        ),
        ("KLANTGERICHTHEID IS GEWOON ALTIJD GOED, PUNT UIT", "hoofdletters"),
    ],
)
def test_posts_that_look_like_spam_wait(member, target, text, reason):
    held = post(member, target, text)

    assert held.status == Argument.Status.PENDING
    assert reason in held.moderation_reason


def test_a_near_repeat_of_an_earlier_post_waits_but_a_new_thought_does_not(member, target):
    first = post(member, target, LONG + ".")
    repeat = post(member, target, LONG + " echt.")
    different = post(member, target, "Kodak laat zien dat wegkijken van klanten duur uitvalt.")
    similar_but_new = post(member, target, "Dit is mijn eerste weerlegging van deze stelling.")
    second_of_a_series = post(member, target, "Dit is mijn tweede weerlegging van deze stelling.")

    assert first.status == Argument.Status.PUBLISHED
    assert repeat.status == Argument.Status.PENDING
    assert "herhaalt een van je eerdere bijdragen" in repeat.moderation_reason
    assert different.status == similar_but_new.status == Argument.Status.PUBLISHED
    assert second_of_a_series.status == Argument.Status.PUBLISHED


def test_a_premoderated_debate_holds_every_members_post_but_not_a_moderators(
    member, debate, target
):
    moderator = UserFactory()
    moderator.groups.add(moderators_group())
    set_debate_status(moderator, debate, "premoderate", "Veel reclame de laatste dagen")

    held = post(member, target, "Een gewone, rustige weerlegging van dit argument.")
    moderators = argument_rebut(
        get_user_model().objects.get(pk=moderator.pk),
        target,
        "Een moderator plaatst dit en het gaat meteen uit.",
        "support",
    )

    assert held.status == Argument.Status.PENDING
    assert "voormoderatie" in held.moderation_reason or "wachten" in held.moderation_reason
    assert moderators.status == Argument.Status.PUBLISHED
