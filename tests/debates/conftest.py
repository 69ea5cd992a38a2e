"""Who acts in the debate tests: an author, another member and a moderator."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def people(db):
    users = get_user_model().objects
    return {
        "author": users.create_user("auteur", password="een-lang-wachtwoord-1"),
        "member": users.create_user("lid", password="een-lang-wachtwoord-2"),
        "moderator": users.create_superuser("moderator", password="een-lang-wachtwoord-3"),
    }
