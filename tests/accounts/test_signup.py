"""Sign up: Django's form and password validators, a safe `next`, and a limit per address."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import RateLimit
from tests.factories import UserFactory

URL = "/accounts/signup/"
PASSWORD = "Tegenspraak-wachtwoord-2025"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_window")]


def signup_data(username: str = "anna", **extra: str) -> dict[str, str]:
    return {"username": username, "password1": PASSWORD, "password2": PASSWORD, **extra}


def test_it_shows_an_accessible_form(client):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{name}">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="email"' in html
    assert html.count('autocomplete="new-password"') == 2
    # Help texts are tied to their inputs.
    assert 'aria-describedby="id_password1_helptext"' in html
    assert 'id="id_password1_helptext"' in html
    assert "<h1>Registreren</h1>" in html


def test_it_creates_the_member_and_logs_them_in(client):
    response = client.post(
        URL,
        signup_data(email="anna@example.org", next="/accounts/contributions/"),
        follow=True,
    )

    user = get_user_model().objects.get(username="anna")
    assert user.email == "anna@example.org"
    assert user.check_password(PASSWORD)
    assert response.redirect_chain == [("/accounts/contributions/", 302)]
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "Welkom, anna! Je account is klaar." in response.content.decode()


def test_it_needs_no_email_and_goes_home_without_next(client):
    response = client.post(URL, signup_data())

    assert response.status_code == 302
    assert response.url == "/"
    assert get_user_model().objects.get(username="anna").email == ""


@pytest.mark.parametrize(
    ("password1", "password2", "error"),
    [
        ("kT7!x", "kT7!x", "Dit wachtwoord is te kort. Het moet minstens 8 tekens bevatten."),
        ("password", "password", "Dit wachtwoord is te algemeen."),
        ("48151623420", "48151623420", "Dit wachtwoord bevat alleen cijfers."),
        (PASSWORD, PASSWORD + "!", "De twee wachtwoordvelden komen niet overeen."),
    ],
    ids=["too-short", "too-common", "numeric", "mismatch"],
)
def test_it_refuses_weak_or_mismatched_passwords(client, password1, password2, error):
    data = {"username": "anna", "password1": password1, "password2": password2}

    response = client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert not get_user_model().objects.exists()
    assert "_auth_user_id" not in client.session
    # The summary at the top announces the errors; the field points at its own.
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_password2_error"' in html
    assert 'aria-describedby="id_password2_helptext id_password2_error"' in html


def test_it_refuses_a_taken_username_whatever_its_case(client):
    UserFactory(username="Anna")

    response = client.post(URL, signup_data("anna"))

    assert response.status_code == 200
    assert "Er bestaat al een gebruiker met deze gebruikersnaam." in response.content.decode()
    assert get_user_model().objects.filter(username__iexact="anna").count() == 1


def test_it_ignores_a_next_that_leaves_the_site(client):
    page = client.get(URL, {"next": "https://evil.example/"}).content.decode()
    response = client.post(URL, signup_data(next="https://evil.example/"))

    assert 'value="https://evil.example/"' not in page
    assert response.status_code == 302
    assert response.url == "/"


def test_it_sends_a_member_home(client):
    client.force_login(UserFactory())

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == "/"


def test_it_limits_sign_ups_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (5, 3600)}
    for number in range(5):
        response = client.post(URL, signup_data(f"member{number}"), REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
        client.logout()

    refused = client.post(URL, signup_data("one-too-many"), REMOTE_ADDR="203.0.113.9")
    elsewhere = client.post(URL, signup_data("elsewhere"), REMOTE_ADDR="198.51.100.4")

    assert refused.status_code == 429
    assert (
        "Er zijn te veel accounts aangemaakt vanaf jouw netwerk. Probeer het over een uur opnieuw."
        in refused.content.decode()
    )
    assert 'value="one-too-many"' in refused.content.decode()
    assert not get_user_model().objects.filter(username="one-too-many").exists()
    assert elsewhere.status_code == 302
    # The counts live in the database, where every server process sees them.
    assert RateLimit.objects.get(key="signup:203.0.113.9").count == 5
    assert RateLimit.objects.get(key="signup:198.51.100.4").count == 1


def test_it_counts_only_sign_ups_that_would_succeed(client):
    for _attempt in range(6):
        response = client.post(URL, {"username": "anna", "password1": "kort", "password2": "kort"})
        assert response.status_code == 200

    assert not RateLimit.objects.filter(key__startswith="signup:").exists()
    assert client.post(URL, signup_data()).status_code == 302


def test_it_needs_the_csrf_token(django_user_model):
    response = Client(enforce_csrf_checks=True).post(URL, signup_data())

    assert response.status_code == 403
    assert not django_user_model.objects.exists()


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("аdmin", False), ("Ζeus", False), ("zoë.de_vries", True), ("Jürgen-2", True), ("anna", True)],
)
def test_a_username_uses_latin_letters_so_nobody_poses_as_another(client, username, allowed):
    response = client.post(URL, signup_data(username=username))
    exists = get_user_model().objects.filter(username=username).exists()
    assert exists is allowed
    if not allowed:
        assert "Gebruik Latijnse letters, cijfers en @ . + - _" in response.content.decode()


@pytest.mark.django_db
def test_the_sign_up_page_says_je_in_djangos_own_rules_too(client):
    html = client.get("/accounts/signup/").content.decode()

    assert "Je wachtwoord mag niet te veel op je andere persoonlijke gegevens lijken." in html
    assert "Je wachtwoord moet minstens 8 tekens lang zijn." in html
    assert not re.search(r"\b[Uu]w\b", html)  # Django's formal "Uw wachtwoord…" is gone
