"""The version rows are taken in one order by every writer: the content row first (migrations
0010, 0011, 0015), so two writers queue instead of deadlocking."""

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.db import connection

from debates import pagecache, strength
from debates.models import Debate, Strength
from debates.moderation.services import merge_arguments, moderate_argument
from debates.services import argument_link, argument_rebut, vote_cast
from tests.factories import ArgumentFactory, DebateFactory, LinkFactory, VoteFactory

TOUCH = "UPDATE debates_argument SET up_votes = up_votes WHERE id = %s"


def waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


@pytest.mark.django_db(transaction=True)
def test_a_debate_locked_amid_a_write_waits_for_it_instead_of_deadlocking():
    debate = DebateFactory()
    inside, loose = ArgumentFactory(), ArgumentFactory()
    LinkFactory(source=inside, target=debate.thesis)
    params = connection.get_connection_params()
    with psycopg.connect(**params) as writer, psycopg.connect(**params) as moderator:
        writer.execute(TOUCH, [loose.pk])  # a write under way: it holds the content row

        def lock_debate():
            moderator.execute(
                "UPDATE debates_debate SET status = 'locked' WHERE id = %s", [debate.pk]
            )
            moderator.commit()

        with ThreadPoolExecutor(1) as pool:
            locking = pool.submit(lock_debate)
            deadline = time.monotonic() + 10
            while not waiting_on_a_lock(moderator.info.backend_pid):
                assert time.monotonic() < deadline, "the moderator's lock never waited"
                time.sleep(0.02)
            # The write goes on to an argument of that debate: it needs the debate's version
            # row, which the moderator must not be holding while it waits for the content row.
            writer.execute(TOUCH, [inside.pk])
            writer.commit()
            locking.result(timeout=10)
    assert Debate.objects.get(pk=debate.pk).status == Debate.Status.LOCKED


WRITES = {
    "vote": lambda who, a, b: vote_cast(who["member"], a, "down"),
    "reply": lambda who, a, b: argument_rebut(
        who["member"], a, "Een weerlegging die lang genoeg is om te tellen.", "attack"
    ),
    "link": lambda who, a, b: argument_link(who["member"], a, b.pk, "attack"),
    "hide": lambda who, a, b: moderate_argument(who["moderator"], a, "hide", "Off-topic."),
    "merge": lambda who, a, b: merge_arguments(who["moderator"], b, a, "Hetzelfde argument."),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_that_moves_strengths_moves_its_debate_on(people, write):
    """Strength rows move no version themselves (migration 0014): the write that recomputes
    them must have moved the debates those strengths show in."""
    debate, elsewhere = DebateFactory(), DebateFactory()
    answer, loose = ArgumentFactory(), ArgumentFactory()
    LinkFactory(source=answer, target=debate.thesis, relation="support")
    LinkFactory(source=loose, target=elsewhere.thesis, relation="support")
    VoteFactory(argument=loose)  # what a merge carries over
    strength.refresh_all()
    before = pagecache.debate_version(debate.slug), strength_of(debate.thesis_id)

    WRITES[write](people, answer, loose)

    after = pagecache.debate_version(debate.slug), strength_of(debate.thesis_id)
    assert after[1] != before[1]  # the thesis's strength moved
    assert after[0] != before[0]  # and so did its debate's version


def strength_of(pk: int) -> float:
    return Strength.objects.get(argument_id=pk).strength
