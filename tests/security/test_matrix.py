"""The moderator permission matrix: every moderation address (from the URL resolver) × anonymous,
member, moderator × GET and POST. Anonymous visitors go to the login page, members get 403,
moderators are let in; a method the address does not take is 405 for everyone. And members
cannot act on another member's post or see another's waiting one."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from debates.models import Argument, Debate, Flag, ModerationAction, Revision
from debates.moderation.services import moderate_argument, moderators_group
from debates.services import argument_rebut
from tests.security.routes import routes

SLUG = "is-klantgerichtheid-het-slechtste-idee"
# The methods each moderation address takes (the rest answer 405).
METHODS = {
    "moderation:queue": {"GET"},
    "moderation:log": {"GET"},
    "moderation:undo": {"POST"},
    "moderation:edit": {"POST"},
    "moderation:merge": {"GET", "POST"},
    "moderation:pick": {"GET"},
    "moderation:quote-action": {"POST"},
    "moderation:argument-action": {"POST"},
    "moderation:debate-action": {"POST"},
    "moderation:extract": {"GET", "POST"},
    "moderation:import": {"GET", "POST"},
}
DATA = {"reason": "Volgens de huisregels.", "text": "Een betere formulering van dit argument."}


def moderation_state() -> tuple:
    return (
        ModerationAction.objects.count(),
        Revision.objects.count(),
        Argument.objects.count(),
        sorted(Argument.objects.values_list("pk", "status", "pinned", "text")),
        sorted(Debate.objects.values_list("pk", "status", "premoderated")),
        sorted(Flag.objects.values_list("pk", "outcome")),
    )


@pytest.fixture
def every(graph):
    boss = get_user_model().objects.create_superuser("baas", password="een-lang-wachtwoord")
    entry = moderate_argument(boss, graph["konrad-geen-vrijbrief"], "pin", "Belangrijk.")
    found = routes(
        {
            "argument": graph["dejong-vrijbrief"].pk,
            "debate": SLUG,
            "article": graph["dejong-vrijbrief"].article.slug,
            "entry": entry.pk,
        }
    )
    moderation = [route for route in found if route.url.startswith("/moderation/")]
    assert {route.name for route in moderation} == set(METHODS), "a new moderation address"
    return moderation


def as_role(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        user = get_user_model().objects.create_user(role, password="een-lang-wachtwoord-6")
        if role == "moderator":
            user.groups.add(moderators_group())
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_moderators_get_past_a_moderation_address(every, role):
    client = as_role(role)
    before = moderation_state()
    cells = 0
    for route in every:
        for method in ("GET", "POST"):
            response = client.get(route.url) if method == "GET" else client.post(route.url, DATA)
            cells += 1
            where = (route.url, method)
            if method not in METHODS[route.name]:
                assert response.status_code == 405, where
            elif role == "anonymous":
                assert response.status_code == 302, where
                assert response["Location"].startswith("/accounts/login/?next="), where
            else:
                assert response.status_code == 403, where
    assert moderation_state() == before
    assert cells == 2 * len(every) == 2 * 21


def test_moderators_get_past_every_moderation_address(every):
    client = as_role("moderator")
    for route in every:
        for method in ("GET", "POST"):
            response = client.get(route.url) if method == "GET" else client.post(route.url, DATA)
            where = (route.url, method)
            if method not in METHODS[route.name]:
                assert response.status_code == 405, where
            else:
                assert response.status_code in (200, 302), where
                assert "/accounts/login/" not in response.get("Location", ""), where
    # Every POST was taken up: an action, or a refusal that says why (and changes nothing).
    assert ModerationAction.objects.filter(moderator__username="moderator").exists()


def test_a_member_cannot_reword_or_see_anothers_posts(client, graph):
    Debate.objects.filter(slug=SLUG).update(premoderated=True)
    users = get_user_model().objects
    author = users.create_user("auteur", password="een-lang-wachtwoord-1")
    target = graph["dejong-vrijbrief"]
    waiting = argument_rebut(author, target, "Een bezwaar dat nog op de moderatie wacht.", "attack")
    Debate.objects.filter(slug=SLUG).update(premoderated=False)
    shown = argument_rebut(author, target, "Een gepubliceerd bezwaar van de auteur.", "attack")
    assert (waiting.status, shown.status) == ("pending", "published")
    client.force_login(users.create_user("ander", password="een-lang-wachtwoord-2"))

    for argument in (waiting, shown):  # rewording another's post: as if it were not there
        url = f"/arguments/{argument.pk}/edit/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Overgenomen door een ander lid hier."}).status_code == 404
        argument.refresh_from_db()
        assert argument.text.startswith("Een ") and not argument.revisions.exists()

    for url in (
        f"/arguments/{waiting.pk}/",
        f"/arguments/{waiting.pk}/panel/",
        f"/arguments/{waiting.pk}/revisions/",
        f"/arguments/{waiting.pk}/flag/",
        f"/arguments/{waiting.pk}/reply/",
        f"/arguments/{waiting.pk}/link/",
        f"/arguments/{waiting.pk}/similar/",
        f"/debates/{SLUG}/arguments/{waiting.pk}/",
    ):
        for headers in ({}, {"HX-Request": "true"}):
            assert client.get(url, headers=headers).status_code == 404, url
    for url in (
        f"/debates/{SLUG}/",
        f"/debates/{SLUG}/map/",
        f"/debates/{SLUG}/arguments/{target.pk}/",
        f"/debates/{SLUG}/export.json",
        f"/debates/{SLUG}/export.aif.json",
        f"/debates/{SLUG}/export.argdown",
        f"/debates/{SLUG}/log/",
        f"/arguments/{target.pk}/",
        f"/arguments/{target.pk}/link/?q=moderatie+wacht",
        f"/arguments/{target.pk}/similar/?text=bezwaar+dat+nog+op+de+moderatie+wacht",
        "/search/?q=moderatie+wacht",
        f"/articles/{target.article.slug}/",
        "/accounts/contributions/",
        "/",
        "/debates/",
    ):
        body = client.get(url).content.decode()
        assert waiting.text not in body, url
        assert f"/arguments/{waiting.pk}/" not in body, url
    # The author, in contrast, finds it on its page and among her contributions.
    client.force_login(author)
    assert "moderatie wacht" in client.get(f"/arguments/{waiting.pk}/").content.decode()
    assert "moderatie wacht" in client.get("/accounts/contributions/").content.decode()
