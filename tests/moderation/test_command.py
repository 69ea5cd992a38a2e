"""`manage.py moderator add|remove|list`: the Moderators group from the command line."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.access import is_moderator


@pytest.fixture
def anna(db):
    return get_user_model().objects.create_user("anna", password="een-lang-wachtwoord-9")


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("moderator", *args, stdout=out)
    return out.getvalue()


def fresh(user):
    # has_perm caches permissions on the instance: read the member anew.
    return get_user_model().objects.get(pk=user.pk)


def test_add_and_remove_a_moderator(anna):
    assert not is_moderator(fresh(anna))

    assert run("add", "anna") == "anna is a moderator now.\n"
    assert is_moderator(fresh(anna))
    assert fresh(anna).groups.filter(name="Moderators").exists()
    run("add", "anna")  # twice is fine
    assert fresh(anna).groups.count() == 1

    assert "no longer" in run("remove", "anna")
    assert not is_moderator(fresh(anna))


def test_list_shows_group_members_and_superusers(anna):
    assert "No moderators yet" in run("list")
    get_user_model().objects.create_superuser("sanne", password="een-lang-wachtwoord-9")
    run("add", "anna")

    assert run("list") == "anna\nsanne (superuser)\n"


def test_an_unknown_member_is_a_one_line_error(anna):
    with pytest.raises(CommandError) as error:
        run("add", "bestaat-niet")
    assert str(error.value) == "No member is called 'bestaat-niet'."
    with pytest.raises(CommandError):
        run("remove", "bestaat-niet")
    with pytest.raises(CommandError, match="USERNAME"):
        run("add")
    assert not get_user_model().objects.filter(groups__name="Moderators").exists()
