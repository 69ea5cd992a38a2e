"""Members flag arguments: one open flag each; three members hide an argument until a moderator
decides, never a moderator's own post; the moderator resolves the flags."""

import pytest
from django.test import Client

from debates.models import Argument, Link
from debates.moderation.services import moderators_group
from tests.factories import (
    ArgumentFactory,
    DebateFactory,
    LinkFactory,
    TrustedUserFactory,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def members(db):
    """Members whose flags count: joined a while ago, with a published post each."""
    return TrustedUserFactory.create_batch(4)


@pytest.fixture
def target(db):
    """What members flag: an argument for the thesis of a debate."""
    return LinkFactory(target=DebateFactory().thesis, relation=Link.Relation.SUPPORT).source


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_flags_an_argument_in_place_or_by_a_plain_form(members, target):

    htmx = browser(members[0]).post(
        f"/arguments/{target.pk}/flag/", {"reason": "offensive", "note": "Grof."}, headers=HX
    )
    plain = browser(members[1]).post(
        f"/arguments/{target.pk}/flag/", {"reason": "spam", "note": "", "next": "/debates/"}
    )

    html = htmx.content.decode()
    assert htmx.status_code == 200 and "<html" not in html
    assert 'role="status"' in html and "Gemeld; een moderator kijkt ernaar" in html
    assert plain.status_code == 302 and plain["Location"] == "/debates/"
    flags = target.flags.order_by("pk")
    assert [(f.user, f.reason, f.note, f.resolved_at) for f in flags] == [
        (members[0], "offensive", "Grof.", None),
        (members[1], "spam", "", None),
    ]
    assert Argument.objects.get(pk=target.pk).status == "published"  # two flags hide nothing


def test_one_open_flag_per_member(members, target):
    client = browser(members[0])
    client.post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})

    again = client.post(f"/arguments/{target.pk}/flag/", {"reason": "other"}, headers=HX)
    plain = client.post(f"/arguments/{target.pk}/flag/", {"reason": "other"}, follow=True)

    assert "Je hebt dit argument al gemeld" in again.content.decode()
    assert 'role="alert"' in again.content.decode()
    assert "Je hebt dit argument al gemeld" in plain.content.decode()
    assert target.flags.count() == 1


def test_a_flag_needs_a_known_reason_and_a_logged_in_member(client, members, target):

    refused = browser(members[0]).post(
        f"/arguments/{target.pk}/flag/", {"reason": "boring"}, headers=HX
    )
    anonymous = client.post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})
    anonymous_htmx = client.post(f"/arguments/{target.pk}/flag/", {"reason": "spam"}, headers=HX)

    assert "Kies een reden voor je melding." in refused.content.decode()
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    assert anonymous_htmx.headers["HX-Redirect"].startswith("/accounts/login/?next=")
    assert not target.flags.exists()


def test_the_flag_form_is_a_page_of_its_own_without_javascript(client, members, target):

    assert client.get(f"/arguments/{target.pk}/flag/").status_code == 302  # log in first
    page = browser(members[0]).get(f"/arguments/{target.pk}/flag/")

    html = page.content.decode()
    assert page.status_code == 200 and target.text in html
    assert f'<form class="reply-form" method="post" action="/arguments/{target.pk}/flag/"' in html
    for value in ("spam", "offensive", "off-topic", "duplicate", "other"):
        assert f'name="reason" value="{value}"' in html
    assert f'name="next" value="/arguments/{target.pk}/"' in html
    hidden = ArgumentFactory()
    Argument.objects.filter(pk=hidden.pk).update(status="hidden")
    assert browser(members[0]).get(f"/arguments/{hidden.pk}/flag/").status_code == 404


def test_three_members_flags_hide_an_argument_until_a_moderator_decides(members, target):

    for member in members[:3]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "offensive"})

    target.refresh_from_db()
    assert target.status == "hidden"
    assert target.moderation_reason == "Verborgen na 3 meldingen, tot een moderator beslist."
    row = target.moderation_log.get()
    assert (row.action, row.moderator, row.before["status"], row.after["status"]) == (
        "auto-hide",
        None,
        "published",
        "hidden",
    )
    moderator = members[3]
    moderator.groups.add(moderators_group())
    log = browser(moderator).get("/moderation/log/?moderator=system").content.decode()
    assert "verborgen na meldingen" in log and "systeem" in log


def test_a_moderators_own_post_is_never_hidden_by_flags(members, target):
    moderator = members[3]
    moderator.groups.add(moderators_group())
    own = LinkFactory(source=ArgumentFactory(author=moderator), target=target).source

    for member in members[:3]:
        browser(member).post(f"/arguments/{own.pk}/flag/", {"reason": "offensive"})

    assert Argument.objects.get(pk=own.pk).status == "published"
    assert own.flags.filter(resolved_at=None).count() == 3
    assert not own.moderation_log.exists()


def test_dismissing_flags_keeps_the_argument_and_records_the_outcome(members, target):
    for member in members[:2]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})
    moderator = members[3]
    moderator.groups.add(moderators_group())

    response = browser(moderator).post(
        f"/moderation/arguments/{target.pk}/dismiss/", {"reason": "Geen spam."}, headers=HX
    )

    assert "De meldingen zijn afgehandeld." in response.content.decode()
    assert set(target.flags.values_list("outcome", "resolved_by")) == {("kept", moderator.pk)}
    assert Argument.objects.get(pk=target.pk).status == "published"
    row = target.moderation_log.get()
    assert (row.action, row.reason, row.after["outcome"]) == ("dismiss", "Geen spam.", "kept")
    # Resolved flags free the member to flag again later.
    again = browser(members[0]).post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})
    assert again.status_code == 302 and target.flags.filter(resolved_at=None).count() == 1


def test_restoring_an_argument_hidden_by_flags_resolves_them_as_kept(members, target):
    for member in members[:3]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "offensive"})
    moderator = members[3]
    moderator.groups.add(moderators_group())

    browser(moderator).post(f"/moderation/arguments/{target.pk}/restore/", {"reason": "In orde."})

    assert Argument.objects.get(pk=target.pk).status == "published"
    assert set(target.flags.values_list("outcome", flat=True)) == {"kept"}
    assert list(target.moderation_log.order_by("pk").values_list("action", flat=True)) == [
        "auto-hide",
        "restore",
    ]


def test_keeping_an_argument_hidden_by_flags_closes_them_with_the_moderators_reason(
    members, target
):
    for member in members[:3]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "offensive"})
    moderator = members[3]
    moderator.groups.add(moderators_group())

    browser(moderator).post(
        f"/moderation/arguments/{target.pk}/dismiss/", {"reason": "Inderdaad beledigend."}
    )

    target.refresh_from_db()
    assert (target.status, target.moderation_reason) == ("hidden", "Inderdaad beledigend.")
    assert set(target.flags.values_list("outcome", flat=True)) == {"hidden"}
