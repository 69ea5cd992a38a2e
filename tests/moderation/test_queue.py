"""The moderation queue: held posts and open flags with their actions in place, filtered by
debate, the debates' locks and pre-moderation, in a fixed number of queries."""

import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debates.models import Argument, Debate, Flag, Link, ModerationAction

HX = {"HX-Request": "true"}
SLUG = "is-klantgerichtheid-het-slechtste-idee"
# Session, user and permissions (4), the header's unread notifications (1), the debates, then
# count, page and two prefetches for each of the two lists, and the drifted quotes (one query).
QUEUE_QUERIES = 15
counter = itertools.count()


@pytest.fixture
def members(db):
    User = get_user_model()
    return [User.objects.create_user(f"lid{i}", password="een-lang-wachtwoord-9") for i in range(3)]


def held(author, target, **fields) -> Argument:
    argument = Argument.objects.create(
        text=f"Een bijdrage die op goedkeuring wacht, nummer {next(counter)}.",
        author=author,
        status="pending",
        moderation_reason="Dit debat wordt vooraf gemodereerd.",
        **fields,
    )
    Link.objects.create(source=argument, target=target, relation="attack", author=author)
    return argument


def flagged(members, target, count=2) -> Argument:
    argument = Argument.objects.create(
        text=f"Een gemelde bijdrage van een lid, nummer {next(counter)}.", author=members[0]
    )
    Link.objects.create(source=argument, target=target, relation="support")
    for i, member in enumerate(members[:count]):
        Flag.objects.create(argument=argument, user=member, reason="spam", note=f"Notitie {i}")
    return argument


def test_the_queue_shows_held_posts_newest_first_and_flags_per_argument(mod_client, members, graph):
    target = graph["dejong-vrijbrief"]
    older, newer = held(members[0], target), held(members[1], target)
    reported = flagged(members, target)

    html = mod_client.get("/moderation/").content.decode()

    pending = html[html.index('id="pending-heading"') : html.index('id="flags-heading"')]
    flags = html[html.index('id="flags-heading"') : html.index('id="debates-heading"')]
    assert "2 bijdragen wachten op goedkeuring" in pending
    assert pending.index(newer.text) < pending.index(older.text)  # the texts are shown
    assert "Dit debat wordt vooraf gemodereerd." in pending  # why it waits
    assert f'formaction="/moderation/arguments/{older.pk}/approve/"' in pending
    assert f'formaction="/moderation/arguments/{older.pk}/reject/"' in pending
    assert "1 gemeld argument" in flags and reported.text in flags
    assert "2 open meldingen" in flags
    assert "Notitie 0" in flags and "Notitie 1" in flags and "lid0" in flags and "lid1" in flags
    assert f'formaction="/moderation/arguments/{reported.pk}/hide/"' in flags
    assert f'formaction="/moderation/arguments/{reported.pk}/dismiss/"' in flags
    assert f'action="/moderation/arguments/{reported.pk}/edit/"' in flags
    assert f'formaction="/moderation/arguments/{reported.pk}/edit/"' in flags
    assert f'action="/moderation/arguments/{reported.pk}/merge/"' in flags  # the picker
    # One required reason per card, whichever action it goes with (and one per debate).
    reasons = re.findall(r'<textarea[^>]*name="reason"[^>]*>', html)
    assert len(reasons) == 3 + Debate.objects.count()
    assert all(" required" in tag for tag in reasons)


def test_hidden_posts_show_their_text_to_moderators_in_the_queue(mod_client, members, graph):
    reported = flagged(members, graph["dejong-vrijbrief"], count=3)
    Argument.objects.filter(pk=reported.pk).update(status="hidden", moderation_reason="Gemeld.")

    html = mod_client.get("/moderation/").content.decode()

    assert reported.text in html and "Waarom het verborgen is: Gemeld." in html
    assert f'formaction="/moderation/arguments/{reported.pk}/restore/"' in html


def test_the_queue_filters_by_debate(mod_client, members, graph):
    in_de_jong = held(members[0], graph["dejong-vrijbrief"])
    elsewhere = held(members[0], graph["ivorentoren-forrester"])
    outside = Debate.objects.exclude(pk__in=Debate.objects.containing(in_de_jong)).first()

    de_jong = mod_client.get(f"/moderation/?debate={SLUG}").content.decode()
    other = mod_client.get(f"/moderation/?debate={outside.slug}").content.decode()

    assert in_de_jong.text in de_jong and elsewhere.text not in de_jong
    assert in_de_jong.text not in other
    assert f'<option value="{SLUG}" selected>' in de_jong
    assert mod_client.get("/moderation/?debate=bestaat-niet").status_code == 404


def queue_queries(client, url="/moderation/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_costs_a_fixed_number_of_queries(
    mod_client, members, graph, django_assert_max_num_queries
):
    target = graph["dejong-vrijbrief"]
    held(members[0], target)
    flagged(members, target)
    few = queue_queries(mod_client)
    few_filtered = queue_queries(mod_client, f"/moderation/?debate={SLUG}")

    for _ in range(15):
        held(members[1], target)
        flagged(members, target, count=3)

    with django_assert_max_num_queries(QUEUE_QUERIES):
        html = mod_client.get("/moderation/").content.decode()
    assert html.count('class="card queue-item"') == 32
    assert queue_queries(mod_client) == few
    assert queue_queries(mod_client, f"/moderation/?debate={SLUG}") == few_filtered


def test_an_action_in_place_swaps_the_item_with_a_status_message(mod_client, members, graph):
    post = held(members[0], graph["dejong-vrijbrief"])

    response = mod_client.post(
        f"/moderation/arguments/{post.pk}/approve/",
        {"reason": "Past binnen de huisregels.", "next": f"/moderation/?debate={SLUG}"},
        headers=HX,
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<li class="card queue-item" id="queue-item-{post.pk}">')
    assert 'role="status"' in html and "Goedgekeurd: lezers zien het nu." in html
    assert f'formaction="/moderation/arguments/{post.pk}/hide/"' in html  # what it can be now
    assert f'name="next" value="/moderation/?debate={SLUG}"' in html
    plain = mod_client.post(
        f"/moderation/arguments/{post.pk}/hide/",
        {"reason": "Toch niet.", "next": f"/moderation/?debate={SLUG}"},
    )
    assert plain.status_code == 302 and plain["Location"] == f"/moderation/?debate={SLUG}"
    assert (
        "Verborgen: lezers zien het niet meer."
        in mod_client.get(plain["Location"]).content.decode()
    )


def test_debates_are_locked_and_pre_moderated_from_the_queue(mod_client, graph):
    html = mod_client.get("/moderation/").content.decode()
    assert f'formaction="/moderation/debates/{SLUG}/lock/"' in html
    assert f'formaction="/moderation/debates/{SLUG}/premoderate/"' in html

    locked = mod_client.post(
        f"/moderation/debates/{SLUG}/lock/", {"reason": "Te heftig."}, headers=HX
    ).content.decode()
    premoderated = mod_client.post(
        f"/moderation/debates/{SLUG}/premoderate/", {"reason": "Spamgolf."}, headers=HX
    ).content.decode()
    refused = mod_client.post(
        f"/moderation/debates/{SLUG}/unlock/", {"reason": ""}, headers=HX
    ).content.decode()

    assert locked.lstrip().startswith(f'<li class="card debate-row" id="debate-{SLUG}">')
    assert (
        'role="status"' in locked and f'formaction="/moderation/debates/{SLUG}/unlock/"' in locked
    )
    assert f'formaction="/moderation/debates/{SLUG}/unpremoderate/"' in premoderated
    assert 'role="alert"' in refused and "Geef een reden" in refused
    debate = Debate.objects.get(slug=SLUG)
    assert (debate.status, debate.premoderated) == ("locked", True)
    assert ModerationAction.objects.count() == 2


def test_an_edit_that_fails_keeps_what_the_moderator_typed(mod_client, members, graph):
    post = held(members[0], graph["dejong-vrijbrief"])

    response = mod_client.post(
        f"/moderation/arguments/{post.pk}/edit/",
        {"text": "Een nieuwe formulering zonder reden.", "reason": ""},
        headers=HX,
    )

    html = response.content.decode()
    assert 'role="alert"' in html and "Geef een reden" in html
    assert "Een nieuwe formulering zonder reden.</textarea>" in html
    assert Argument.objects.get(pk=post.pk).text == post.text
