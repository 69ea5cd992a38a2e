"""CSRF on every POST address of the site, found through the URL resolver.

For a member and a moderator, with a browser that enforces CSRF as a real one does: a POST
without a token, with a wrong token, or over HTTPS from another site (Origin or Referer) is
refused with 403 by Django's CSRF check and changes nothing; with the right token the check lets
it through. Every address that takes POST must be one of KNOWN_POST: a new one fails here until
it is added (and so looked at)."""

import logging
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.models import Article
from debates.models import Argument, Debate, Flag, Link, ModerationAction, Revision, Vote
from debates.moderation.services import moderate_argument, moderators_group
from debates.moderation.views import ARGUMENT_ACTIONS
from notifications.models import Follow, Notification, Preferences
from tests.security.routes import DEBATE_ACTIONS, QUOTE_ACTIONS, routes

SLUG = "is-klantgerichtheid-het-slechtste-idee"
KNOWN_POST = {
    "debates:vote", "debates:edit-own", "debates:replies", "debates:links",
    "moderation:undo", "moderation:edit", "moderation:merge", "moderation:argument-action",
    "moderation:debate-action", "moderation:flag", "moderation:extract", "moderation:import",
    "accounts:signup", "accounts:login", "accounts:logout", "accounts:password-change",
    "set_language", "moderation:quote-action", "notifications:follow",
    "accounts:notifications-read-all", "accounts:notification-read",
    "accounts:notification-settings", "accounts:unsubscribe",
}  # fmt: skip
# One-click unsubscribe (RFC 8058): mail clients POST it without a session or a token; the signed
# token in its address is the authority (tests/notifications). A made-up one changes nothing.
CSRF_EXEMPT = {"accounts:unsubscribe"}
# What a form could send to any of them; each takes what it needs.
DATA = {
    "reason": "Volgens de huisregels.",
    "text": "Een nieuwe bewering over klantgerichtheid, via CSRF.",
    "value": "up",
    "relation": "attack",
    "note": "Ongepast.",
    "language": "en",
    "username": "lid-csrf",
    "password": "een-lang-wachtwoord-4",
}
TRUSTED, FOREIGN = "https://testserver", "https://evil.example"


def state() -> tuple:
    """Everything a POST of this site could change."""
    return (
        [model.objects.count() for model in (Argument, Link, Vote, Flag, Revision, Article)],
        ModerationAction.objects.count(),
        get_user_model().objects.count(),
        sorted(Argument.objects.values_list("pk", "status", "pinned", "text")),
        sorted(Debate.objects.values_list("pk", "status", "premoderated")),
        sorted(Follow.objects.values_list("pk", flat=True)),
        sorted(Notification.objects.values_list("pk", "read_at")),
        list(Preferences.objects.order_by("pk").values_list()),
    )


@pytest.fixture
def values(graph):
    moderator = get_user_model().objects.create_superuser("baas", password="een-lang-wachtwoord")
    entry = moderate_argument(moderator, graph["konrad-geen-vrijbrief"], "pin", "Belangrijk.")
    return {
        "argument": graph["dejong-vrijbrief"].pk,
        "debate": SLUG,
        "article": graph["dejong-vrijbrief"].article.slug,
        "entry": entry.pk,
    }


def csrf_refusals(caplog) -> list:
    return [record for record in caplog.records if record.name == "django.security.csrf"]


def browser(role: str):
    user = get_user_model().objects.create_user(f"{role}-csrf", password="een-lang-wachtwoord-5")
    if role == "moderator":
        user.groups.add(moderators_group())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_every_post_address_needs_the_csrf_token_from_this_site(values, role, caplog):
    client, user = browser(role)
    every = routes(values)
    secret = secrets.token_hex(16)
    refusals = {
        "no token": lambda url: client.post(url, DATA),
        "wrong token": lambda url: client.post(
            url, {**DATA, "csrfmiddlewaretoken": secrets.token_hex(16)}
        ),
        "wrong header": lambda url: client.post(
            url, DATA, headers={"X-CSRFToken": secrets.token_hex(16)}
        ),
        "foreign origin": lambda url: client.post(
            url, DATA, secure=True, headers={"X-CSRFToken": secret, "Origin": FOREIGN}
        ),
        "foreign referer": lambda url: client.post(
            url, DATA, secure=True, headers={"X-CSRFToken": secret, "Referer": f"{FOREIGN}/"}
        ),
        "no referer over https": lambda url: client.post(
            url, DATA, secure=True, headers={"X-CSRFToken": secret}
        ),
    }

    # Which addresses take POST: with the right token, the others answer 405.
    posting = set()
    for route in every:
        client.force_login(user)  # the log-out address logs out
        client.cookies["csrftoken"] = secret
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
            response = client.post(
                route.url, DATA, secure=True, headers={"X-CSRFToken": secret, "Referer": TRUSTED}
            )
        assert not csrf_refusals(caplog), (route.url, caplog.text)  # the token was accepted
        assert response.status_code < 500, route.url
        if response.status_code != 405:
            posting.add(route.name)
    assert posting == KNOWN_POST, "a new POST address: add it to KNOWN_POST"

    client.force_login(user)
    before = state()
    checked = 0
    for route in (route for route in every if route.name in posting - CSRF_EXEMPT):
        for name, refused in refusals.items():
            client.cookies["csrftoken"] = secret
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
                response = refused(route.url)
            assert response.status_code == 403, (route.url, name)
            assert len(csrf_refusals(caplog)) == 1, (route.url, name)
            checked += 1
    assert state() == before
    # The addresses, and the three with an action once per action.
    actions = len(ARGUMENT_ACTIONS) + len(DEBATE_ACTIONS) + len(QUOTE_ACTIONS)
    assert checked == 6 * (len(KNOWN_POST - CSRF_EXEMPT) - 3 + actions)
    for route in (route for route in every if route.name in CSRF_EXEMPT):
        assert client.post(route.url, DATA).status_code < 500  # a made-up token: refused
    assert state() == before
