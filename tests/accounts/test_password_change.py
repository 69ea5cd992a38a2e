"""Change password: Django's form; this session stays, the member's other sessions end."""

import pytest
from django.test import Client

from tests.factories import UserFactory

URL = "/accounts/password/"
OLD, NEW = "Tegenspraak-wachtwoord-2025", "Een-heel-ander-wachtwoord-77"

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna():
    return UserFactory(username="anna", password=OLD)


def change(client, old: str = OLD, new1: str = NEW, new2: str = NEW, **kwargs):
    data = {"old_password": old, "new_password1": new1, "new_password2": new2}
    return client.post(URL, data, **kwargs)


def test_it_sends_anonymous_readers_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Faccounts%2Fpassword%2F"


def test_it_shows_an_accessible_form(client, anna):
    client.force_login(anna)

    html = client.get(URL).content.decode()

    for name in ("old_password", "new_password1", "new_password2"):
        assert f'<label for="id_{name}">' in html
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2


def test_it_changes_the_password_and_keeps_this_session(client, anna):
    client.force_login(anna)
    other_device = Client()
    other_device.force_login(anna)

    response = change(client, follow=True)

    anna.refresh_from_db()
    assert anna.check_password(NEW)
    assert response.redirect_chain == [("/accounts/contributions/", 302)]
    assert "Je wachtwoord is gewijzigd." in response.content.decode()
    assert client.get("/accounts/contributions/").status_code == 200
    # The other session was made with the old password and ends.
    assert other_device.get("/accounts/contributions/").status_code == 302


def test_it_refuses_a_wrong_old_password(client, anna):
    client.force_login(anna)

    response = change(client, old="not-my-password")

    anna.refresh_from_db()
    assert response.status_code == 200
    assert "Je oude wachtwoord klopt niet." in response.content.decode()  # ours: "je"
    assert anna.check_password(OLD)


def test_it_applies_the_password_validators(client, anna):
    client.force_login(anna)

    response = change(client, new1="password", new2="password")

    anna.refresh_from_db()
    assert response.status_code == 200
    assert "Dit wachtwoord is te algemeen." in response.content.decode()
    assert anna.check_password(OLD)


def test_it_accepts_get_and_post_only(client, anna):
    client.force_login(anna)

    assert client.put(URL).status_code == 405
