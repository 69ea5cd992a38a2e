import pytest

from debates.models import Link
from debates.moderation.services import moderators_group
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, UserFactory


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", email="anna@example.org")


@pytest.fixture
def bram(db):
    return UserFactory(username="bram", email="bram@example.org")


@pytest.fixture
def debate(db):
    return DebateFactory(slug="klant-centraal", title="Moet de klant centraal staan?")


@pytest.fixture
def annas_argument(anna, debate):
    """Anna's argument for the thesis of the debate."""
    argument = ArgumentFactory(author=anna, text="Klanten merken meteen of een bedrijf luistert.")
    LinkFactory(source=argument, target=debate.thesis, relation=Link.Relation.SUPPORT)
    return argument


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mira")
    user.groups.add(moderators_group())
    return user
