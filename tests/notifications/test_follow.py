"""Following a debate: a button on its page (plain form and htmx), undone the same way; the
settings page: which topics by e-mail, a digest, the language, the debates one follows."""

import pytest
from django.test import Client
from django.urls import reverse

from debates.services import argument_rebut
from notifications.models import Follow, Notification, Preferences
from tests.factories import CLAIMS, UserFactory

SETTINGS = reverse("accounts:notification-settings")


@pytest.fixture
def follow_url(debate):
    return reverse("notifications:follow", args=[debate.slug])


def test_the_debate_page_offers_to_follow_and_to_read_the_feed(client, anna, debate):
    client.force_login(anna)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Volg dit debat" in page
    assert f'href="{reverse("debates:feed", args=[debate.slug])}"' in page


def test_anonymous_readers_are_asked_to_log_in_to_follow(client, debate, follow_url):
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "Log in om dit debat te volgen" in page
    response = client.post(follow_url, {"follow": "1"})
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Follow.objects.exists()


def test_follow_and_unfollow_with_plain_forms(client, anna, debate, follow_url):
    client.force_login(anna)
    response = client.post(follow_url, {"follow": "1", "next": debate.get_absolute_url()})
    assert response["Location"] == debate.get_absolute_url()
    assert Follow.objects.get(user=anna, debate=debate).active
    assert "Je volgt dit debat: stoppen" in client.get(debate.get_absolute_url()).content.decode()

    client.post(follow_url, {"follow": "0"})
    assert not Follow.objects.get(user=anna, debate=debate).active


def test_follow_with_htmx_swaps_the_button_and_says_so(client, anna, debate, follow_url):
    client.force_login(anna)
    response = client.post(follow_url, {"follow": "1"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'aria-pressed="true"' in body and "Je volgt dit debat." in body


def test_following_needs_csrf(anna, follow_url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(anna)
    assert browser.post(follow_url, {"follow": "1"}).status_code == 403
    assert not Follow.objects.exists()


def test_an_unfollowed_debate_tells_nothing_more(bram, annas_argument, debate):
    carla = UserFactory()
    Follow.objects.create(user=carla, debate=debate, active=False)
    argument_rebut(bram, annas_argument, f"Reden 1: {CLAIMS[1]}.", "attack")
    assert not Notification.objects.filter(recipient=carla).exists()


def test_settings_choose_topics_digest_and_language(client, anna, debate):
    client.force_login(anna)
    Follow.objects.create(user=anna, debate=debate)
    page = client.get(SETTINGS).content.decode()
    assert debate.title in page and "Je volgt dit debat: stoppen" in page

    response = client.post(
        SETTINGS, {"email_answers": "on", "email_debates": "on", "digest": "on", "language": "en"}
    )
    assert response.status_code == 302
    preferences = Preferences.objects.get(user=anna)
    assert (
        preferences.email_answers,
        preferences.email_moderation,
        preferences.email_debates,
        preferences.digest,
        preferences.language,
    ) == (True, False, True, True, "en")


def test_a_language_that_does_not_exist_is_refused_and_nothing_changes(client, anna):
    client.force_login(anna)
    response = client.post(SETTINGS, {"email_answers": "on", "language": "xx"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Preferences.objects.filter(user=anna).exists()


def test_mails_come_in_the_language_a_member_logged_in_with(client, anna):
    client.cookies["django_language"] = "en"
    client.post(
        reverse("accounts:login"), {"username": "anna", "password": "een-lang-wachtwoord-9"}
    )
    assert Preferences.objects.get(user=anna).language == "en"
