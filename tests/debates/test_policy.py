"""The one rulebook (debates.policy): the same argument looks the same to the same person on
every page, closed debates refuse every write, and the database refuses unknown words."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction

from accounts.access import is_moderator
from debates import policy
from debates.models import Argument, Debate, Flag, Link, ModerationAction, Vote
from debates.moderation.services import (
    edit_argument,
    flag_argument,
    merge_arguments,
    moderate_argument,
    set_debate_status,
    undo,
)
from debates.services import argument_rebut, vote_cast
from tests.factories import TrustedUserFactory, UserFactory

SLUG = "is-klantgerichtheid-het-slechtste-idee"
DEBATE = f"/debates/{SLUG}/"
HX = {"HX-Request": "true"}


def _state():
    return (
        Argument.objects.count(),
        Link.objects.count(),
        Vote.objects.count(),
        sorted(Argument.objects.values_list("pk", "text", "up_votes", "down_votes")),
    )


def test_an_archived_debate_refuses_every_members_write_and_says_why(client, graph, people):
    target = graph["dejong-vrijbrief"]
    own = argument_rebut(
        people["author"], target, "Een eigen bijdrage die nog niemand las.", "attack"
    )
    Debate.objects.filter(slug=SLUG).update(status=Debate.Status.ARCHIVED)
    other = graph["capel-belanghebbenden"]
    before = _state()

    client.force_login(people["author"])
    answers = [
        client.post(f"/arguments/{target.pk}/vote/", {"value": "up"}, headers=HX),
        client.post(
            f"/arguments/{target.pk}/replies/",
            {"text": "Een nieuw tegenargument in een archief.", "relation": "attack"},
            headers=HX,
        ),
        client.post(
            f"/arguments/{target.pk}/links/",
            {"argument": other.pk, "relation": "support"},
            headers=HX,
        ),
        client.post(f"/arguments/{own.pk}/edit/", {"text": "Een andere eigen formulering hier."}),
    ]

    for answer in answers:
        assert "is gearchiveerd" in answer.content.decode()
    assert _state() == before
    page = client.get(DEBATE).content.decode()
    assert "is gearchiveerd: het neemt geen berichten, koppelingen of stemmen meer aan" in page
    assert "Weerleggen" not in page


def test_a_closed_debate_greys_out_its_vote_buttons(client, graph, people):
    client.force_login(people["member"])
    assert " disabled" not in client.get(DEBATE).content.decode()

    set_debate_status(people["moderator"], Debate.objects.get(slug=SLUG), "lock", "Te heftig")

    page = client.get(DEBATE).content.decode()
    buttons = page.count('class="vote vote-up"')
    assert buttons > 10 and page.count('class="vote vote-up" disabled') == buttons
    argument_page = client.get(graph["dejong-vrijbrief"].get_absolute_url()).content.decode()
    assert 'class="vote vote-up" disabled' in argument_page


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        ("UPDATE debates_argument SET status = 'gone' WHERE id = %s", "argument_status_valid"),
        (
            "UPDATE debates_argument SET text = repeat('x', 501) WHERE id = %s",
            "argument_text_length",
        ),
        ("UPDATE debates_argument SET text = 'te kort' WHERE id = %s", "argument_text_length"),
        ("UPDATE debates_debate SET status = 'paused' WHERE thesis_id = %s", "debate_status_valid"),
    ],
)
def test_the_database_refuses_unknown_statuses_and_overlong_claims(graph, sql, constraint):
    with pytest.raises(IntegrityError, match=constraint), connection.cursor() as cursor:
        cursor.execute(sql, [graph["dejong-slechtste-idee"].pk])


def test_the_database_refuses_unknown_actions_outcomes_and_empty_reasons(graph, people):
    argument = graph["dejong-vrijbrief"]
    moderator = people["moderator"]
    for values, constraint in [
        ({"action": "nuke", "reason": "Zomaar"}, "modaction_action_valid"),
        ({"action": "hide", "reason": "   "}, "modaction_reason_given"),
        ({"action": "hide", "reason": "x" * 1001}, "modaction_reason_given"),
    ]:
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            ModerationAction.objects.create(moderator=moderator, argument=argument, **values)
    flag = flag_argument(people["member"], argument, "spam")
    with pytest.raises(IntegrityError, match="flag_outcome_valid"), transaction.atomic():
        Flag.objects.filter(pk=flag.pk).update(outcome="forgotten", resolved_at=flag.created_at)
    with pytest.raises(IntegrityError, match="flag_reason_valid"), transaction.atomic():
        Flag.objects.filter(pk=flag.pk).update(reason="boring")


def test_a_moderator_sees_the_open_flags_on_the_argument_page_and_can_dismiss_them(
    client, graph, people
):
    argument = graph["dejong-vrijbrief"]
    flag_argument(people["member"], argument, "offensive", "Dit is kwetsend voor klanten.")
    flag_argument(people["author"], argument, "off-topic")

    client.force_login(people["moderator"])
    page = client.get(argument.get_absolute_url()).content.decode()

    assert "2 open meldingen" in page
    assert "Dit is kwetsend voor klanten." in page
    assert "Laten staan, meldingen afwijzen" in page
    client.post(
        f"/moderation/arguments/{argument.pk}/dismiss/",
        {"reason": "Scherp maar niet kwetsend", "next": argument.get_absolute_url()},
    )
    assert not Flag.objects.filter(argument=argument, resolved_at=None).exists()
    assert "open melding" not in client.get(argument.get_absolute_url()).content.decode()


def test_the_author_of_a_waiting_post_reads_its_history(client, graph, people):
    Debate.objects.filter(slug=SLUG).update(premoderated=True)
    waiting = argument_rebut(
        people["author"], graph["dejong-vrijbrief"], "Eerste versie van mijn bezwaar.", "attack"
    )
    assert waiting.status == Argument.Status.PENDING
    client.force_login(people["author"])
    client.post(f"/arguments/{waiting.pk}/edit/", {"text": "Tweede versie van mijn bezwaar."})

    history = client.get(f"/arguments/{waiting.pk}/revisions/")
    assert history.status_code == 200
    assert "Eerste versie van mijn bezwaar." in history.content.decode()
    client.force_login(people["member"])
    assert client.get(f"/arguments/{waiting.pk}/revisions/").status_code == 404


def test_a_hidden_answer_stands_as_a_placeholder_on_the_argument_page_as_in_the_debate(
    client, graph, people
):
    target, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    assert Link.objects.filter(source=konrad, target=target).exists()
    moderate_argument(people["moderator"], konrad, "hide", "Persoonlijke aanval")

    for url in (DEBATE, target.get_absolute_url()):
        html = client.get(url).content.decode()
        assert konrad.text not in html, url
        assert "Verborgen door de moderatie op" in html and "Persoonlijke aanval" in html, url

    client.force_login(people["moderator"])
    for url in (DEBATE, target.get_absolute_url()):
        assert konrad.text in client.get(url).content.decode(), url


def test_counts_and_rankings_leave_hidden_answers_out(client, graph, people):
    target = graph["dejong-vrijbrief"]
    attacks = [link.source for link in target.incoming.filter(relation="attack")]
    disputed = {a.pk: a.attacks for a in Argument.objects.most_disputed()}
    assert disputed[target.pk] == len(attacks)

    moderate_argument(people["moderator"], attacks[0], "hide", "Spam")

    assert {a.pk: a.attacks for a in Argument.objects.most_disputed()}.get(target.pk, 0) == (
        len(attacks) - 1
    )
    page = client.get(f"{DEBATE}arguments/{target.pk}/").content.decode()
    assert "Verborgen door de moderatie op" in page  # still there, as a placeholder


def test_a_member_holding_the_permission_directly_moderates_everywhere(graph, people):
    member = people["member"]
    member.user_permissions.add(
        Permission.objects.get(codename="moderate", content_type__app_label="debates")
    )
    member = get_user_model().objects.get(pk=member.pk)  # permissions are cached per object
    assert is_moderator(member)
    posted = argument_rebut(
        member, graph["dejong-vrijbrief"], "Een moderator mag ook meepraten, met label.", "support"
    )
    assert Argument.objects.with_source().get(pk=posted.pk).by_moderator
    edit_argument(member, posted, "Een moderator mag ook meepraten, met een label.", "Typo")


@pytest.mark.django_db(transaction=True)
def test_a_lock_waits_for_the_writes_already_under_way(graph, people):
    """check_debates_open share-locks the debates: a moderator's lock cannot commit in between
    the check and the write's commit, so no reply lands after a lock."""
    debate = Debate.objects.get(slug=SLUG)
    outcome = {}

    def lock_now():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                set_debate_status(people["moderator"], debate, "lock", "Nu even niet")
            outcome["locked"] = True
        except OperationalError as error:
            outcome["locked"] = False
            outcome["error"] = str(error)
        finally:
            connection.close()

    with transaction.atomic():
        policy.check_debates_open(graph["dejong-vrijbrief"])  # a write under way
        thread = threading.Thread(target=lock_now)
        thread.start()
        thread.join()
    assert outcome["locked"] is False and "lock timeout" in outcome["error"]

    thread = threading.Thread(target=lock_now)
    thread.start()
    thread.join()
    assert outcome["locked"] is True
    assert Debate.objects.get(pk=debate.pk).status == Debate.Status.LOCKED


def test_nobody_flags_what_they_cannot_see(client, graph, people):
    Debate.objects.filter(slug=SLUG).update(premoderated=True)
    waiting = argument_rebut(
        people["author"],
        graph["dejong-vrijbrief"],
        "Een bericht dat nog op goedkeuring wacht.",
        "attack",
    )
    client.force_login(people["member"])

    assert client.get(f"/arguments/{waiting.pk}/flag/").status_code == 404
    posted = client.post(f"/arguments/{waiting.pk}/flag/", {"reason": "spam"})
    assert posted.status_code == 404
    assert not Flag.objects.filter(argument=waiting).exists()
    with pytest.raises(ValidationError):
        flag_argument(people["member"], waiting, "spam")


def test_my_contributions_name_others_arguments_only_as_i_may_see_them(client, graph, people):
    target = graph["dejong-vrijbrief"]
    vote_cast(people["member"], target, "up")
    mine = argument_rebut(
        people["member"], target, "Mijn antwoord op een later verborgen stuk.", "attack"
    )
    moderate_argument(people["moderator"], target, "hide", "Persoonlijke aanval")
    edit_argument(
        people["moderator"], target, "Een geheime nieuwe formulering van de moderator.", "Test"
    )

    client.force_login(people["member"])
    html = client.get("/accounts/contributions/").content.decode()

    assert mine.text in html
    assert "geheime nieuwe formulering" not in html and target.text not in html
    assert html.count("een argument dat de moderatie verborg") == 2  # answered it, voted on it


def test_a_duplicate_is_merged_only_into_a_published_argument(graph, people):
    Debate.objects.filter(slug=SLUG).update(premoderated=True)
    waiting = argument_rebut(
        people["author"], graph["dejong-vrijbrief"], "Een wachtend bericht als doel.", "attack"
    )
    with pytest.raises(ValidationError, match="zichtbaar argument"):
        merge_arguments(people["moderator"], graph["konrad-geen-vrijbrief"], waiting, "Dubbel")
    assert Argument.objects.get(key="konrad-geen-vrijbrief").status == Argument.Status.PUBLISHED


def test_an_undo_cannot_be_replayed_over_a_later_decision(graph, people):
    """Hide (N), undo N, hide again, undo N again: the second hide must stand."""
    argument, moderator = graph["dejong-vrijbrief"], people["moderator"]
    first = moderate_argument(moderator, argument, "hide", "Eerste keer")
    undo(moderator, first, "Toch niet")
    moderate_argument(moderator, argument, "hide", "Tweede keer")

    with pytest.raises(ValidationError, match="al ongedaan gemaakt"):
        undo(moderator, first, "Nog eens")
    assert Argument.objects.get(pk=argument.pk).status == Argument.Status.HIDDEN
    assert ModerationAction.objects.filter(undoes=first).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_undos_of_one_action_make_one_undo(graph, people):
    pin = moderate_argument(people["moderator"], graph["dejong-vrijbrief"], "pin", "Belangrijk")
    barrier = threading.Barrier(4)
    outcomes = []

    def undo_it():
        try:
            barrier.wait()
            undo(people["moderator"], pin, "Toch niet")
            outcomes.append("undone")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=undo_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "refused", "refused", "undone"]
    assert ModerationAction.objects.filter(undoes=pin).count() == 1
    assert not Argument.objects.get(pk=pin.argument_id).pinned


def test_only_the_latest_action_on_an_item_is_undone(graph, people):
    argument, moderator = graph["dejong-vrijbrief"], people["moderator"]
    hide = moderate_argument(moderator, argument, "hide", "Verbergen")
    moderate_argument(moderator, argument, "restore", "Terugzetten")

    with pytest.raises(ValidationError, match="Alleen de laatste actie"):
        undo(moderator, hide, "Het verbergen terugdraaien")
    assert Argument.objects.get(pk=argument.pk).status == Argument.Status.PUBLISHED


def test_deleting_a_member_who_voted_is_refused_so_counts_stay_true(client, graph, people):
    target = graph["dejong-vrijbrief"]
    vote_cast(people["member"], target, "up")
    flag_argument(people["member"], graph["konrad-geen-vrijbrief"], "spam")
    client.force_login(people["moderator"])  # a superuser, in /admin/

    page = client.post(
        f"/admin/auth/user/{people['member'].pk}/delete/", {"post": "yes"}
    ).content.decode()

    assert get_user_model().objects.filter(pk=people["member"].pk).exists()
    assert "beschermde gerelateerde objecten" in page or "protected related objects" in page
    target.refresh_from_db()
    assert (target.up_votes, target.votes.count()) == (1, 1)


def test_flags_from_new_accounts_hide_nothing_and_a_thesis_is_never_hidden(graph):
    newcomers = UserFactory.create_batch(3)
    trusted = TrustedUserFactory.create_batch(3)
    answer, thesis = graph["dejong-vrijbrief"], graph["dejong-slechtste-idee"]

    for member in newcomers:  # brand-new accounts: their flags go to the queue only
        flag_argument(member, answer, "spam")
        flag_argument(member, thesis, "spam")
    assert Argument.objects.get(pk=answer.pk).status == Argument.Status.PUBLISHED

    for member in trusted:
        flag_argument(member, thesis, "spam")
    assert Argument.objects.get(pk=thesis.pk).status == Argument.Status.PUBLISHED
    assert Flag.objects.filter(argument=thesis, resolved_at=None).count() == 6
    for member in trusted:
        flag_argument(member, answer, "spam")
    assert Argument.objects.get(pk=answer.pk).status == Argument.Status.HIDDEN


def test_flagging_is_rate_limited(graph, settings, steady_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "flag": (2, 3600)}
    member = UserFactory()
    targets = [
        graph["dejong-vrijbrief"],
        graph["konrad-geen-vrijbrief"],
        graph["dejong-geen-geweten"],
    ]
    flag_argument(member, targets[0], "spam")
    flag_argument(member, targets[1], "spam")
    with pytest.raises(ValidationError, match="kort tijdsbestek"):
        flag_argument(member, targets[2], "spam")
    assert not Flag.objects.filter(argument=targets[2]).exists()
