"""The moderators' actions over HTTP: what readers see afterwards, what the log holds, merges
with overlapping votes, locks, and answers to invalid requests."""

import json

import pytest
from django.contrib.auth import get_user_model

from debates.models import Argument, Debate, Link, ModerationAction, Revision, Vote
from debates.services import vote_cast

HX = {"HX-Request": "true"}
SLUG = "is-klantgerichtheid-het-slechtste-idee"
DEBATE = f"/debates/{SLUG}/"
DE_JONG = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"


@pytest.fixture
def members(db):
    User = get_user_model()
    return [User.objects.create_user(name, password="een-lang-wachtwoord-9") for name in "ab"]


def seen_by_readers(client, argument: Argument) -> dict[str, bool]:
    """Where an anonymous reader finds the argument."""
    client.logout()
    pk = argument.pk
    exported = client.get(f"/debates/{SLUG}/export.json").json()
    aif = client.get(f"/debates/{SLUG}/export.aif.json").json()
    return {
        "debate page": argument.text in client.get(DEBATE).content.decode(),
        # A hidden argument's page keeps its place: a placeholder with the date and the reason.
        "argument page": argument.text in client.get(f"/arguments/{pk}/").content.decode(),
        "article highlight": f'id="argument-{pk}"' in client.get(DE_JONG).content.decode(),
        "export.json": pk in {a["id"] for a in exported["arguments"]},
        "export.aif.json": f"I{pk}" in {node["nodeID"] for node in aif["nodes"]},
        "search": f'href="/arguments/{pk}/"'
        in client.get("/search/", {"q": "leiderschap verantwoordelijkheidsbesef"}).content.decode(),
    }


def test_a_hidden_argument_leaves_every_public_page_and_returns_when_restored(
    client, moderator, graph
):
    konrad = graph["konrad-geen-vrijbrief"]
    everywhere = dict.fromkeys(
        [
            "debate page",
            "argument page",
            "article highlight",
            "export.json",
            "export.aif.json",
            "search",
        ],
        True,
    )
    assert seen_by_readers(client, konrad) == everywhere

    client.force_login(moderator)
    response = client.post(
        f"/moderation/arguments/{konrad.pk}/hide/", {"reason": "Persoonlijke aanval."}
    )
    assert response.status_code == 302
    assert seen_by_readers(client, konrad) == dict.fromkeys(everywhere, False)
    client.force_login(moderator)  # moderators still see it
    assert client.get(f"/arguments/{konrad.pk}/").status_code == 200

    client.post(f"/moderation/arguments/{konrad.pk}/restore/", {"reason": "Na bezwaar hersteld."})
    assert seen_by_readers(client, konrad) == everywhere
    log = ModerationAction.objects.filter(argument=konrad).order_by("pk")
    assert [(row.action, row.reason) for row in log] == [
        ("hide", "Persoonlijke aanval."),
        ("restore", "Na bezwaar hersteld."),
    ]


@pytest.fixture
def post(members, graph):
    def make(status="published", text="Een bijdrage van een lid die de moderator beoordeelt."):
        argument = Argument.objects.create(text=text, author=members[0], status=status)
        Link.objects.create(source=argument, target=graph["dejong-vrijbrief"], relation="attack")
        return argument

    return make


@pytest.mark.parametrize(
    ("action", "status", "field", "before", "after"),
    [
        ("approve", "pending", "status", "pending", "published"),
        ("reject", "pending", "status", "pending", "hidden"),
        ("hide", "published", "status", "published", "hidden"),
        ("restore", "hidden", "status", "hidden", "published"),
        ("pin", "published", "pinned", False, True),
        ("unpin", "published", "pinned", True, False),
    ],
)
def test_each_action_leaves_exactly_one_log_row_with_reason_and_states(
    mod_client, moderator, post, action, status, field, before, after
):
    argument = post(status)
    Argument.objects.filter(pk=argument.pk).update(pinned=action == "unpin")

    response = mod_client.post(
        f"/moderation/arguments/{argument.pk}/{action}/",
        {"reason": f"Reden voor {action}."},
        headers=HX,
    )

    assert response.status_code == 200
    row = ModerationAction.objects.get()
    assert (row.action, row.reason, row.moderator) == (action, f"Reden voor {action}.", moderator)
    assert row.argument == argument and row.debates == sorted(row.debates) and SLUG in row.debates
    assert (row.before[field], row.after[field]) == (before, after)


def test_edit_keeps_the_earlier_wording_as_a_revision_shown_on_its_history_page(
    client, mod_client, moderator, post
):
    argument = post()
    old = argument.text
    new = "Een beter geformuleerde bijdrage van een lid, na moderatie."

    response = mod_client.post(
        f"/moderation/arguments/{argument.pk}/edit/",
        {"text": new, "reason": "Scheldwoord verwijderd."},
        headers=HX,
    )

    html = response.content.decode()
    assert "De nieuwe formulering is opgeslagen" in html and new in html
    argument.refresh_from_db()
    assert argument.text == new and argument.edited_at is not None
    row = ModerationAction.objects.get()
    assert (row.action, row.before["text"], row.after["text"]) == ("edit", old, new)
    revision = Revision.objects.get()
    assert (revision.text, revision.reason, revision.edited_by) == (
        old,
        "Scheldwoord verwijderd.",
        moderator,
    )
    # Readers see the history without the moderator's name; moderators with it.
    client.logout()
    history = client.get(f"/arguments/{argument.pk}/revisions/").content.decode()
    assert new in history and old in history and "Scheldwoord verwijderd." in history
    assert "door een moderator" in history and "mira" not in history
    client.force_login(moderator)
    assert "door mira" in client.get(f"/arguments/{argument.pk}/revisions/").content.decode()


def test_the_history_of_an_argument_readers_cannot_see_is_404_but_not_for_moderators(
    client, moderator, post
):
    for status in ("pending", "hidden"):
        argument = post(status, text=f"Een bijdrage die {status} is en geschiedenis heeft.")
        assert client.get(f"/arguments/{argument.pk}/revisions/").status_code == 404
        client.force_login(moderator)
        assert client.get(f"/arguments/{argument.pk}/revisions/").status_code == 200
        client.logout()


def test_a_missing_reason_changes_nothing_and_says_so(mod_client, post):
    argument = post()

    htmx = mod_client.post(
        f"/moderation/arguments/{argument.pk}/hide/", {"reason": "  "}, headers=HX
    )
    plain = mod_client.post(f"/moderation/arguments/{argument.pk}/hide/", {"reason": ""})

    assert htmx.status_code == 200  # htmx 2 swaps only 2xx: the error shows in place
    html = htmx.content.decode()
    assert "<html" not in html and 'role="alert"' in html
    assert "Geef een reden: die komt in het logboek." in html
    assert plain.status_code == 302 and plain["Location"] == "/moderation/"
    page = mod_client.get(plain["Location"]).content.decode()
    assert "Geef een reden: die komt in het logboek." in page
    assert Argument.objects.get(pk=argument.pk).status == "published"
    assert not ModerationAction.objects.exists()


def test_an_impossible_transition_is_refused_with_a_message(mod_client, post):
    argument = post()

    response = mod_client.post(
        f"/moderation/arguments/{argument.pk}/approve/", {"reason": "Goed."}, headers=HX
    )

    assert 'role="alert"' in response.content.decode()
    assert not ModerationAction.objects.exists()


def votes(argument: Argument) -> list[tuple[str, int]]:
    return sorted(Vote.objects.filter(argument=argument).values_list("user__username", "value"))


def link_set() -> set[tuple[int, int, str]]:
    return set(Link.objects.values_list("source", "target", "relation"))


def test_merging_near_duplicates_keeps_one_vote_per_member_and_undo_restores_all(
    client, mod_client, members, graph
):
    anna, bert = members
    target = graph["dejong-vrijbrief"]
    kept = Argument.objects.create(text="Klantgerichtheid is geen excuus voor winstbejag.")
    duplicate = Argument.objects.create(
        text="Klantgerichtheid is geen excuus om winst na te jagen."
    )
    Link.objects.create(source=kept, target=target, relation="attack")
    Link.objects.create(source=duplicate, target=target, relation="attack")
    # The duplicate also supports another argument, and a reply attacks it: those move.
    Link.objects.create(source=duplicate, target=graph["dejong-geen-geweten"], relation="support")
    reply = Argument.objects.create(text="Winst najagen is precies wat klanten belonen.")
    Link.objects.create(source=reply, target=duplicate, relation="attack")
    vote_cast(anna, kept, "up")
    vote_cast(anna, duplicate, "down")  # anna voted on both
    vote_cast(bert, duplicate, "up")  # bert only on the duplicate
    links_before = link_set()
    votes_before = {pk: votes(Argument(pk=pk)) for pk in (kept.pk, duplicate.pk)}

    response = mod_client.post(
        f"/moderation/arguments/{duplicate.pk}/merge/",
        {"into": str(kept.pk), "reason": "Zegt hetzelfde."},
    )

    assert response.status_code == 302
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert votes(kept) == [("a", 1), ("b", 1)]  # one vote per member: anna keeps her own
    assert (kept.up_votes, kept.down_votes) == (2, 0)
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", kept.pk)
    assert (duplicate.up_votes, duplicate.down_votes) == (0, 1)  # anna's second vote stays
    assert (reply.pk, kept.pk, "attack") in link_set()
    assert (kept.pk, graph["dejong-geen-geweten"].pk, "support") in link_set()
    client.logout()
    tombstone = client.get(f"/arguments/{duplicate.pk}/")
    assert tombstone.status_code == 302 and tombstone["Location"] == f"/arguments/{kept.pk}/"
    merge = ModerationAction.objects.get(action="merge")
    assert merge.reason == "Zegt hetzelfde." and merge.after["merged_into"] == kept.pk

    response = mod_client.post(f"/moderation/log/{merge.pk}/undo/", {"reason": "Toch anders."})

    assert response.status_code == 302
    assert link_set() == links_before
    assert {pk: votes(Argument(pk=pk)) for pk in (kept.pk, duplicate.pk)} == votes_before
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert (kept.up_votes, kept.down_votes, duplicate.up_votes, duplicate.down_votes) == (
        1,
        0,
        1,
        1,
    )
    assert (duplicate.status, duplicate.merged_into_id) == ("published", None)
    unmerge = ModerationAction.objects.get(action="unmerge")
    assert (unmerge.undoes, unmerge.reason) == (merge, "Toch anders.")


def test_a_merge_into_nothing_is_refused_in_place(mod_client, post):
    argument = post()

    for into, message in [
        ("", "Kies het argument dat het herhaalt."),
        ("999999", "Er is geen argument 999999."),
        (str(argument.pk), "Een argument kan niet met zichzelf worden samengevoegd."),
    ]:
        response = mod_client.post(
            f"/moderation/arguments/{argument.pk}/merge/",
            {"into": into, "reason": "Dubbel."},
            headers=HX,
        )
        html = response.content.decode()
        assert response.status_code == 200 and message in html and 'role="alert"' in html
        assert "<details open>" in html  # the merge form stays open with the error
    assert not ModerationAction.objects.exists()


def test_a_locked_debate_takes_no_votes_replies_or_links_until_it_is_unlocked(
    client, mod_client, members, graph
):
    member = members[1]
    target = graph["dejong-vrijbrief"]
    other = graph["ivorentoren-forrester"]
    locked_message = (
        "Het debat „Is klantgerichtheid het slechtste idee van de 21ste eeuw?” is gesloten"
    )

    response = mod_client.post(
        f"/moderation/debates/{SLUG}/lock/", {"reason": "Het wordt te heftig."}, headers=HX
    )
    assert "Het debat is gesloten" in response.content.decode()
    assert Debate.objects.get(slug=SLUG).status == "locked"

    client.force_login(member)
    text = "Een weerlegging die in een gesloten debat niet mag verschijnen."
    vote = client.post(f"/arguments/{target.pk}/vote/", {"value": "up"}, headers=HX)
    reply = client.post(f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack"})
    link = client.post(
        f"/arguments/{target.pk}/links/", {"argument": other.pk, "relation": "attack"}, headers=HX
    )
    for response in (vote, reply, link):
        assert locked_message in response.content.decode()
    plain_vote = client.post(f"/arguments/{target.pk}/vote/", {"value": "up"}, follow=True)
    assert locked_message in plain_vote.content.decode()
    assert not Vote.objects.exists()
    assert not Argument.objects.filter(text=text).exists()
    assert not Link.objects.filter(source=other, target=target).exists()

    mod_client.post(f"/moderation/debates/{SLUG}/unlock/", {"reason": "Weer rustig."})

    assert client.post(f"/arguments/{target.pk}/vote/", {"value": "up"}).status_code == 302
    client.post(f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack"})
    client.post(f"/arguments/{target.pk}/links/", {"argument": other.pk, "relation": "attack"})
    assert Vote.objects.filter(user=member, argument=target).exists()
    assert Argument.objects.filter(text=text).exists()
    assert Link.objects.filter(source=other, target=target).exists()
    rows = ModerationAction.objects.filter(debate__slug=SLUG).order_by("pk")
    assert [(row.action, row.before, row.after) for row in rows] == [
        (
            "lock",
            {"status": "open", "premoderated": False},
            {"status": "locked", "premoderated": False},
        ),
        (
            "unlock",
            {"status": "locked", "premoderated": False},
            {"status": "open", "premoderated": False},
        ),
    ]
    assert json.dumps([row.debates for row in rows]) == json.dumps([[SLUG], [SLUG]])


def test_pre_moderation_holds_members_posts_for_the_queue(client, mod_client, members, graph):
    target = graph["dejong-vrijbrief"]
    mod_client.post(f"/moderation/debates/{SLUG}/premoderate/", {"reason": "Veel spam."})
    client.force_login(members[1])
    text = "Een bijdrage die eerst langs de moderator moet in dit debat."

    client.post(f"/arguments/{target.pk}/replies/", {"text": text, "relation": "attack"})

    held = Argument.objects.get(text=text)
    assert held.status == "pending"
    queue = mod_client.get("/moderation/").content.decode()
    assert text in queue
    mod_client.post(f"/moderation/arguments/{held.pk}/approve/", {"reason": "In orde."})
    client.logout()
    assert text in client.get(DEBATE).content.decode()
