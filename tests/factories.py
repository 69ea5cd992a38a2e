"""Test data in one line each: members, arguments, links, debates and votes.

A test that needs a few arguments makes them here; only tests about the real texts read the
seed corpus (the `corpus` and `graph` fixtures). Factories write rows, not rules: they skip the
services' checks (rate limits, pre-moderation, the debate's state) and the derived strengths.
A test about those goes through debates.services, or calls debates.strength.refresh itself.
"""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from debates.models import Argument, Debate, Link, Vote

PASSWORD = "een-lang-wachtwoord-9"

# Claims people might make about customer focus; the sequence number keeps each text unique
# (the database refuses two arguments with the same text, whatever the case).
CLAIMS = [
    "de klant centraal zetten maakt een organisatie wendbaar",
    "wie alle klanten bedient, bedient uiteindelijk niemand goed",
    "klantgerichtheid is vooral een slogan voor in het jaarverslag",
    "medewerkers die gehoord worden, luisteren beter naar klanten",
    "een chatbot bespaart kosten maar kost vertrouwen",
    "de klant weet vaak niet wat hij over vijf jaar wil",
]


class UserFactory(factory.django.DjangoModelFactory):
    """A member who can log in with PASSWORD (or be let in with `client.force_login`)."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"deelnemer{n}")
    password = factory.django.Password(PASSWORD)


class ArgumentFactory(factory.django.DjangoModelFactory):
    """A published argument of 15 to 500 characters, posted by nobody (editorial) unless an
    `author` is given."""

    class Meta:
        model = Argument

    text = factory.Sequence(lambda n: f"Stelling {n}: {CLAIMS[n % len(CLAIMS)]}.")


class TrustedUserFactory(UserFactory):
    """A member whose flags count towards hiding: joined a month ago, one published post."""

    class Meta:
        skip_postgeneration_save = True  # the post points at the member, not the other way

    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    post = factory.RelatedFactory(ArgumentFactory, factory_related_name="author")


class LinkFactory(factory.django.DjangoModelFactory):
    """`source` attacks `target`, two new arguments unless given."""

    class Meta:
        model = Link

    source = factory.SubFactory(ArgumentFactory)
    target = factory.SubFactory(ArgumentFactory)
    relation = Link.Relation.ATTACK


class DebateFactory(factory.django.DjangoModelFactory):
    """An open debate rooted at a new thesis; link arguments to `debate.thesis` to add them."""

    class Meta:
        model = Debate

    slug = factory.Sequence(lambda n: f"debat-{n}")
    title = factory.Sequence(lambda n: f"Moet de klant centraal staan, deel {n}?")
    thesis = factory.SubFactory(ArgumentFactory)


class VoteFactory(factory.django.DjangoModelFactory):
    """A member's up vote; the argument's up/down counters follow, as `vote_cast` keeps them.

    One vote per member and argument, as in the database; the argument's strength is not
    recomputed (see the module's docstring).
    """

    class Meta:
        model = Vote

    user = factory.SubFactory(UserFactory)
    argument = factory.SubFactory(ArgumentFactory)
    value = Vote.UP

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        vote = super()._create(model_class, *args, **kwargs)
        counter = "up_votes" if vote.value == Vote.UP else "down_votes"
        Argument.objects.filter(pk=vote.argument_id).update(**{counter: F(counter) + 1})
        vote.argument.refresh_from_db(fields=["up_votes", "down_votes"])
        return vote
