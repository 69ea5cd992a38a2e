"""Whether a member moderates is read with the member (accounts.backends), in the same query:
it must give the answer `moderator_q` gives, for each way of moderating, on every request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command

from accounts.access import is_moderator, moderator_q
from accounts.backends import MemberBackend

User = get_user_model()


def make(name, way):
    user = User.objects.create_user(name, password="een-lang-wachtwoord-9")
    if way in ("group", "inactive"):
        call_command("moderator", "add", name, stdout=None)
    if way == "direct":
        user.user_permissions.add(Permission.objects.get(codename="moderate"))
    if way == "superuser":
        user.is_superuser = True
    if way == "inactive":
        user.is_active = False
    user.save()
    return user


@pytest.mark.parametrize(
    ("way", "moderates"),
    [("none", False), ("group", True), ("direct", True), ("superuser", True), ("inactive", False)],
)
def test_the_member_comes_with_the_same_answer_as_moderator_q(db, way, moderates):
    user = make("anna", way)
    assert User.objects.filter(moderator_q(), pk=user.pk).exists() is moderates
    assert is_moderator(User.objects.get(pk=user.pk)) is moderates  # asked on its own
    loaded = MemberBackend().get_user(user.pk)
    if way == "inactive":
        assert loaded is None  # an inactive member is signed out, as with ModelBackend
    else:
        assert loaded._moderates is moderates
        assert is_moderator(loaded) is moderates


def test_a_member_made_moderator_or_not_finds_out_at_the_next_request(client, db):
    anna = make("anna", "none")
    client.force_login(anna)
    assert client.get("/moderation/").status_code == 403
    call_command("moderator", "add", "anna", stdout=None)
    assert client.get("/moderation/").status_code == 200
    call_command("moderator", "remove", "anna", stdout=None)
    assert client.get("/moderation/").status_code == 403


def test_an_odd_user_id_in_a_session_signs_nobody_in(db):
    assert MemberBackend().get_user("not a number") is None
    assert MemberBackend().get_user(10**12) is None
