import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from debates.moderation.services import moderators_group


@pytest.fixture
def moderator(db):
    """A member of the Moderators group (not a superuser: the group's permission counts)."""
    user = get_user_model().objects.create_user("mira", password="een-lang-wachtwoord-9")
    user.groups.add(moderators_group())
    return user


@pytest.fixture
def mod_client(moderator):
    """The moderator's own browser, beside the `client` of readers and members."""
    browser = Client()
    browser.force_login(moderator)
    return browser
