"""Who may moderate: every moderation URL for anonymous visitors, members, the post's author,
moderators and superusers, plain and HTMX; refused requests change nothing."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from debates.models import Argument, Debate, Flag, Link, ModerationAction
from debates.moderation.services import moderate_argument, moderators_group

HX = {"HX-Request": "true"}
counter = itertools.count()


@pytest.fixture
def users(db):
    User = get_user_model()
    moderator = User.objects.create_user("mira", password="een-lang-wachtwoord-9")
    moderator.groups.add(moderators_group())
    return {
        "anonymous": None,
        "member": User.objects.create_user("marieke", password="een-lang-wachtwoord-9"),
        "author": User.objects.create_user("auke", password="een-lang-wachtwoord-9"),
        "moderator": moderator,
        "superuser": User.objects.create_superuser("sanne", password="een-lang-wachtwoord-9"),
    }


def post(author, status=Argument.Status.PUBLISHED, *, target, **fields) -> Argument:
    """A member's post answering `target`."""
    argument = Argument.objects.create(
        text=f"Een bijdrage van een lid ter discussie, nummer {next(counter)}.",
        author=author,
        status=status,
        **fields,
    )
    Link.objects.create(source=argument, target=target, relation="attack", author=author)
    return argument


def requests_for(users, graph) -> list[tuple[str, str, dict, callable]]:
    """Every moderation POST, each on a target where it would succeed for a moderator:
    (name, url, data, has_it_happened)."""
    author, target = users["author"], graph["dejong-vrijbrief"]
    boss = get_user_model().objects.create_superuser("baas", password="een-lang-wachtwoord-9")

    def fresh(argument):
        return Argument.objects.get(pk=argument.pk)

    pending = post(author, Argument.Status.PENDING, target=target)
    rejected = post(author, Argument.Status.PENDING, target=target)
    shown = post(author, target=target)
    hidden = post(author, Argument.Status.HIDDEN, target=target, moderation_reason="Eerder.")
    to_pin = post(author, target=target)
    pinned = post(author, target=target, pinned=True)
    flagged = post(author, target=target)
    Flag.objects.create(argument=flagged, user=users["member"], reason="spam")
    edited = post(author, target=target)
    duplicate, kept = post(author, target=target), post(author, target=target)
    undo_me = moderate_argument(boss, post(author, target=target), "pin", "Om ongedaan te maken.")
    debates = list(Debate.objects.order_by("slug")[:4])
    Debate.objects.filter(pk=debates[1].pk).update(status=Debate.Status.LOCKED)
    Debate.objects.filter(pk=debates[3].pk).update(premoderated=True)
    reason = {"reason": "Volgens de huisregels."}
    arg = "/moderation/arguments/{}/{}/".format
    deb = "/moderation/debates/{}/{}/".format
    return [
        (
            "approve",
            arg(pending.pk, "approve"),
            reason,
            lambda: fresh(pending).status == "published",
        ),
        ("reject", arg(rejected.pk, "reject"), reason, lambda: fresh(rejected).status == "hidden"),
        ("hide", arg(shown.pk, "hide"), reason, lambda: fresh(shown).status == "hidden"),
        ("restore", arg(hidden.pk, "restore"), reason, lambda: fresh(hidden).status == "published"),
        ("pin", arg(to_pin.pk, "pin"), reason, lambda: fresh(to_pin).pinned),
        ("unpin", arg(pinned.pk, "unpin"), reason, lambda: not fresh(pinned).pinned),
        (
            "dismiss",
            arg(flagged.pk, "dismiss"),
            reason,
            lambda: flagged.flags.get().outcome == "kept",
        ),
        (
            "edit",
            f"/moderation/arguments/{edited.pk}/edit/",
            {**reason, "text": "Een beter geformuleerde bijdrage van dit lid."},
            lambda: fresh(edited).text == "Een beter geformuleerde bijdrage van dit lid.",
        ),
        (
            "merge",
            f"/moderation/arguments/{duplicate.pk}/merge/",
            {**reason, "into": str(kept.pk)},
            lambda: fresh(duplicate).merged_into_id == kept.pk,
        ),
        (
            "lock",
            deb(debates[0].slug, "lock"),
            reason,
            lambda: Debate.objects.get(pk=debates[0].pk).status == "locked",
        ),
        (
            "unlock",
            deb(debates[1].slug, "unlock"),
            reason,
            lambda: Debate.objects.get(pk=debates[1].pk).status == "open",
        ),
        (
            "premoderate",
            deb(debates[2].slug, "premoderate"),
            reason,
            lambda: Debate.objects.get(pk=debates[2].pk).premoderated,
        ),
        (
            "unpremoderate",
            deb(debates[3].slug, "unpremoderate"),
            reason,
            lambda: not Debate.objects.get(pk=debates[3].pk).premoderated,
        ),
        (
            "undo",
            f"/moderation/log/{undo_me.pk}/undo/",
            reason,
            lambda: not fresh(undo_me.argument).pinned,
        ),
    ]


def state() -> tuple:
    """Everything moderation could change."""
    return (
        list(
            Argument.objects.order_by("pk").values_list(
                "pk", "status", "pinned", "text", "merged_into", "moderation_reason"
            )
        ),
        list(Debate.objects.order_by("pk").values_list("pk", "status", "premoderated")),
        list(Flag.objects.order_by("pk").values_list("pk", "resolved_at", "outcome")),
        list(Link.objects.order_by("pk").values_list("pk", "source", "target")),
        ModerationAction.objects.count(),
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_anonymous_visitors_are_sent_to_log_in_and_nothing_changes(users, graph, htmx):
    client = client_for(None)
    headers = HX if htmx else {}
    requests = requests_for(users, graph)
    before = state()

    for name, url, data, _ in requests:
        response = client.post(url, {**data, "next": "/moderation/"}, headers=headers)
        if htmx:
            assert response.headers["HX-Redirect"] == "/accounts/login/?next=%2Fmoderation%2F", name
        else:
            assert response.status_code == 302, name
            assert response["Location"] == "/accounts/login/?next=%2Fmoderation%2F", name

    assert state() == before
    for url in ("/moderation/", "/moderation/log/?action=hide"):
        response = client.get(url, headers=headers)
        location = response.headers.get("HX-Redirect") if htmx else response["Location"]
        assert location.startswith("/accounts/login/?next=%2Fmoderation%2F")


@pytest.mark.parametrize("role", ["member", "author"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_members_and_the_posts_author_get_403_and_nothing_changes(users, graph, role, htmx):
    client = client_for(users[role])
    headers = HX if htmx else {}
    requests = requests_for(users, graph)
    before = state()

    for name, url, data, _ in requests:
        assert client.post(url, data, headers=headers).status_code == 403, name

    assert state() == before
    assert client.get("/moderation/", headers=headers).status_code == 403
    assert client.get("/moderation/log/", headers=headers).status_code == 403


@pytest.mark.parametrize("role", ["moderator", "superuser"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_moderators_and_superusers_may_do_everything(users, graph, role, htmx):
    client = client_for(users[role])
    headers = HX if htmx else {}
    requests = requests_for(users, graph)

    for name, url, data, happened in requests:
        rows = ModerationAction.objects.count()
        response = client.post(url, data, headers=headers)
        if htmx:
            assert response.status_code == 200, name
            html = response.content.decode()
            assert "<html" not in html and 'role="status"' in html, name
        else:
            back = "/moderation/log/" if name == "undo" else "/moderation/"
            assert response.status_code == 302 and response["Location"] == back, name
        assert happened(), name
        assert ModerationAction.objects.count() == rows + 1, name
        assert ModerationAction.objects.latest("pk").moderator == users[role], name
    assert client.get("/moderation/", headers=headers).status_code == 200
    assert client.get("/moderation/log/", headers=headers).status_code == 200


def test_the_action_urls_refuse_get_with_405(users, graph):
    client = client_for(users["moderator"])
    requests = requests_for(users, graph)
    before = state()

    for name, url, _, _ in requests:
        if name == "merge":  # GET is the page where a moderator picks and confirms
            continue
        assert client.get(url).status_code == 405, name

    assert state() == before


def test_unknown_actions_are_404(users, graph):
    client = client_for(users["moderator"])
    target = graph["dejong-vrijbrief"]
    before = state()

    reason = {"reason": "Zomaar."}
    assert client.post(f"/moderation/arguments/{target.pk}/delete/", reason).status_code == 404
    assert client.post(f"/moderation/arguments/{target.pk}/unapprove/", reason).status_code == 404
    assert (
        client.post("/moderation/debates/moet-de-klant-centraal-staan/archive/", reason).status_code
        == 404
    )
    assert client.post("/moderation/arguments/999999/hide/", reason).status_code == 404
    assert client.post("/moderation/debates/bestaat-niet/lock/", reason).status_code == 404
    assert client.post("/moderation/log/999999/undo/", reason).status_code == 404
    assert state() == before


def test_a_moderation_post_without_csrf_token_is_refused(users, graph):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["moderator"])
    target = graph["dejong-vrijbrief"]
    url = f"/moderation/arguments/{target.pk}/hide/"
    before = state()

    assert client.post(url, {"reason": "Geen token."}).status_code == 403
    assert client.post(url, {"reason": "Geen token."}, headers=HX).status_code == 403
    assert state() == before

    # The way htmx sends it: the token from the page, in the X-CSRFToken header (hx-headers).
    client.get("/moderation/")
    token = client.cookies["csrftoken"].value
    headers = {**HX, "X-CSRFToken": token}
    assert client.post(url, {"reason": "Met token."}, headers=headers).status_code == 200
    assert Argument.objects.get(pk=target.pk).status == "hidden"
