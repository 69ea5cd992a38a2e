"""Members flag arguments: one open flag each; three members hide an argument until a moderator
decides, never a moderator's own post; the moderator resolves the flags."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from debates.models import Argument, Flag, Link, ModerationAction
from debates.moderation.services import moderators_group

HX = {"HX-Request": "true"}


@pytest.fixture
def members(db):
    User = get_user_model()
    return [User.objects.create_user(f"lid{i}", password="een-lang-wachtwoord-9") for i in range(4)]


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_flags_an_argument_in_place_or_by_a_plain_form(members, graph):
    target = graph["dejong-vrijbrief"]

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
    flags = Flag.objects.order_by("pk")
    assert [(f.user, f.reason, f.note, f.resolved_at) for f in flags] == [
        (members[0], "offensive", "Grof.", None),
        (members[1], "spam", "", None),
    ]
    assert Argument.objects.get(pk=target.pk).status == "published"  # two flags hide nothing


def test_one_open_flag_per_member(members, graph):
    target = graph["dejong-vrijbrief"]
    client = browser(members[0])
    client.post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})

    again = client.post(f"/arguments/{target.pk}/flag/", {"reason": "other"}, headers=HX)
    plain = client.post(f"/arguments/{target.pk}/flag/", {"reason": "other"}, follow=True)

    assert "Je hebt dit argument al gemeld" in again.content.decode()
    assert 'role="alert"' in again.content.decode()
    assert "Je hebt dit argument al gemeld" in plain.content.decode()
    assert Flag.objects.count() == 1


def test_a_flag_needs_a_known_reason_and_a_logged_in_member(client, members, graph):
    target = graph["dejong-vrijbrief"]

    refused = browser(members[0]).post(
        f"/arguments/{target.pk}/flag/", {"reason": "boring"}, headers=HX
    )
    anonymous = client.post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})
    anonymous_htmx = client.post(f"/arguments/{target.pk}/flag/", {"reason": "spam"}, headers=HX)

    assert "Kies een reden voor je melding." in refused.content.decode()
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    assert anonymous_htmx.headers["HX-Redirect"].startswith("/accounts/login/?next=")
    assert not Flag.objects.exists()


def test_the_flag_form_is_a_page_of_its_own_without_javascript(client, members, graph):
    target = graph["dejong-vrijbrief"]

    assert client.get(f"/arguments/{target.pk}/flag/").status_code == 302  # log in first
    page = browser(members[0]).get(f"/arguments/{target.pk}/flag/")

    html = page.content.decode()
    assert page.status_code == 200 and target.text in html
    assert f'<form class="reply-form" method="post" action="/arguments/{target.pk}/flag/"' in html
    for value in ("spam", "offensive", "off-topic", "duplicate", "other"):
        assert f'name="reason" value="{value}"' in html
    assert f'name="next" value="/arguments/{target.pk}/"' in html
    hidden = graph["konrad-geen-vrijbrief"]
    Argument.objects.filter(pk=hidden.pk).update(status="hidden")
    assert browser(members[0]).get(f"/arguments/{hidden.pk}/flag/").status_code == 404


def test_three_members_flags_hide_an_argument_until_a_moderator_decides(members, graph):
    target = graph["dejong-vrijbrief"]

    for member in members[:3]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "offensive"})

    target.refresh_from_db()
    assert target.status == "hidden"
    assert target.moderation_reason == "Verborgen na 3 meldingen, tot een moderator beslist."
    row = ModerationAction.objects.get()
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


def test_a_moderators_own_post_is_never_hidden_by_flags(members, graph):
    moderator = members[3]
    moderator.groups.add(moderators_group())
    own = Argument.objects.create(
        text="Een argument van de moderator zelf, door leden gemeld.", author=moderator
    )
    Link.objects.create(source=own, target=graph["dejong-vrijbrief"], relation="attack")

    for member in members[:3]:
        browser(member).post(f"/arguments/{own.pk}/flag/", {"reason": "offensive"})

    assert Argument.objects.get(pk=own.pk).status == "published"
    assert Flag.objects.filter(argument=own, resolved_at=None).count() == 3
    assert not ModerationAction.objects.exists()


def test_dismissing_flags_keeps_the_argument_and_records_the_outcome(members, graph):
    target = graph["dejong-vrijbrief"]
    for member in members[:2]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})
    moderator = members[3]
    moderator.groups.add(moderators_group())

    response = browser(moderator).post(
        f"/moderation/arguments/{target.pk}/dismiss/", {"reason": "Geen spam."}, headers=HX
    )

    assert "De meldingen zijn afgehandeld." in response.content.decode()
    assert set(Flag.objects.values_list("outcome", "resolved_by")) == {("kept", moderator.pk)}
    assert Argument.objects.get(pk=target.pk).status == "published"
    row = ModerationAction.objects.get()
    assert (row.action, row.reason, row.after["outcome"]) == ("dismiss", "Geen spam.", "kept")
    # Resolved flags free the member to flag again later.
    again = browser(members[0]).post(f"/arguments/{target.pk}/flag/", {"reason": "spam"})
    assert again.status_code == 302 and Flag.objects.filter(resolved_at=None).count() == 1


def test_restoring_an_argument_hidden_by_flags_resolves_them_as_kept(members, graph):
    target = graph["dejong-vrijbrief"]
    for member in members[:3]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "offensive"})
    moderator = members[3]
    moderator.groups.add(moderators_group())

    browser(moderator).post(f"/moderation/arguments/{target.pk}/restore/", {"reason": "In orde."})

    assert Argument.objects.get(pk=target.pk).status == "published"
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"kept"}
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "auto-hide",
        "restore",
    ]


def test_keeping_an_argument_hidden_by_flags_closes_them_with_the_moderators_reason(members, graph):
    target = graph["dejong-vrijbrief"]
    for member in members[:3]:
        browser(member).post(f"/arguments/{target.pk}/flag/", {"reason": "offensive"})
    moderator = members[3]
    moderator.groups.add(moderators_group())

    browser(moderator).post(
        f"/moderation/arguments/{target.pk}/dismiss/", {"reason": "Inderdaad beledigend."}
    )

    target.refresh_from_db()
    assert (target.status, target.moderation_reason) == ("hidden", "Inderdaad beledigend.")
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"hidden"}
