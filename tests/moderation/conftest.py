import pytest
from django.test import Client

from debates.moderation.services import moderators_group
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    """A member of the Moderators group (not a superuser: the group's permission counts)."""
    user = UserFactory(username="mira")
    user.groups.add(moderators_group())
    return user


@pytest.fixture
def mod_client(moderator):
    """The moderator's own browser, beside the `client` of readers and members."""
    browser = Client()
    browser.force_login(moderator)
    return browser
