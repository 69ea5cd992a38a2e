"""Votes, replies and links as services: the rules, whatever the view."""

import pytest
from django.core.exceptions import ValidationError

from debates.models import Argument, Link, Vote
from debates.services import RateLimited, argument_link, argument_rebut, vote_cast
from tests.factories import ArgumentFactory, LinkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def target():
    return ArgumentFactory(text="De klant moet altijd centraal staan, wat het ook kost.")


def counts(argument):
    argument.refresh_from_db()
    return argument.up_votes, argument.down_votes


def test_a_vote_counts_once_changes_and_clears(member, target):
    vote_cast(member, target, "up")
    vote_cast(member, target, "up")
    assert counts(target) == (1, 0)
    vote_cast(member, target, "down")
    assert counts(target) == (0, 1)
    assert Vote.objects.get(user=member, argument=target).value == Vote.DOWN
    vote_cast(member, target, "clear")
    assert counts(target) == (0, 0)
    assert not Vote.objects.filter(user=member).exists()


def test_counts_equal_the_votes_of_many_members(target):
    for n, user in enumerate(UserFactory.create_batch(7)):
        vote_cast(user, target, "up" if n % 3 else "down")
    assert counts(target) == (4, 3)
    assert Vote.objects.filter(argument=target, value=1).count() == 4


def test_no_votes_on_hidden_arguments(member, target):
    target.status = Argument.Status.HIDDEN
    target.save()
    with pytest.raises(ValidationError):
        vote_cast(member, target, "up")
    assert counts(target) == (0, 0)


def test_a_vote_is_up_down_or_clear(member, target):
    with pytest.raises(ValidationError):
        vote_cast(member, target, "sideways")


def test_a_rebuttal_is_a_new_argument_attacking_its_target(member, target):
    posted = argument_rebut(
        member, target, "  Dat kost soms   te veel: kiezen is ook nee zeggen. ", "attack"
    )

    assert posted.text == "Dat kost soms te veel: kiezen is ook nee zeggen."
    assert posted.author == member and posted.status == Argument.Status.PUBLISHED
    link = Link.objects.get(source=posted)
    assert (link.target, link.relation, link.author) == (target, "attack", member)


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "required"), ("   \n  ", "required"), ("Te kort.", "short"), ("x" * 501, "long")],
)
def test_bad_texts_are_refused_and_nothing_is_stored(member, target, text, code):
    before = Argument.objects.count(), Link.objects.count()
    with pytest.raises(ValidationError) as refused:
        argument_rebut(member, target, text, "attack")
    assert refused.value.code == code
    assert (Argument.objects.count(), Link.objects.count()) == before


def test_the_same_text_as_an_existing_argument_is_refused(member, target):
    before = Argument.objects.count()
    with pytest.raises(ValidationError, match="bestaat al"):
        argument_rebut(member, target, target.text.upper(), "support")
    assert Argument.objects.count() == before


def test_linking_an_existing_argument(member, target):
    other = ArgumentFactory()

    link = argument_link(member, target, other.pk, "attack")

    assert (link.source, link.target, link.relation) == (other, target, "attack")


def test_links_that_cannot_be_are_refused_clearly(member, target):
    other = LinkFactory(target=target).source
    hidden = ArgumentFactory(status=Argument.Status.HIDDEN)
    links = Link.objects.count()

    cases = [
        (target.pk, "kan zichzelf niet aanvallen of steunen"),
        (other.pk, "al gekoppeld"),
        (hidden.pk, "verborgen of wacht op moderatie"),
        ("abc", "Kies een bestaand argument"),
        (999999, "Kies een bestaand argument"),
    ]
    for source_id, message in cases:
        with pytest.raises(ValidationError, match=message):
            argument_link(member, target, source_id, "support")
    with pytest.raises(ValidationError, match="al gekoppeld"):
        argument_link(member, other, target.pk, "support")  # the other way round
    assert Link.objects.count() == links


def test_posting_is_limited_per_member(member, target, settings, steady_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (2, 600)}
    argument_rebut(member, target, "Eerste weerlegging van deze stelling hier.", "attack")
    argument_rebut(member, target, "Tweede weerlegging van deze stelling hier.", "attack")

    with pytest.raises(RateLimited, match="2 keer iets geplaatst of gekoppeld in 10 minuten"):
        argument_rebut(member, target, "Derde weerlegging van deze stelling hier.", "attack")

    assert Argument.objects.filter(author=member).count() == 2
    argument_rebut(UserFactory(), target, "Een ander lid mag nog wel posten hier.", "support")


def test_voting_is_limited_per_member(member, settings, steady_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "vote": (3, 60)}
    arguments = ArgumentFactory.create_batch(4)
    for argument in arguments[:3]:
        vote_cast(member, argument, "up")

    with pytest.raises(RateLimited):
        vote_cast(member, arguments[3], "up")
    assert counts(arguments[3]) == (0, 0)
