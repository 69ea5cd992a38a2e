"""DF-QuAD strengths: the engine, its properties, the table kept in step, and "why this score"."""

import itertools
import math
import random
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import example, given, settings
from hypothesis import strategies as st

from debates import strength
from debates.models import Argument, Link, Strength
from debates.strength import base_score, contributions, dfquad, explain, refresh, refresh_all

CYCLE_BASES = {1: 0.22, 2: 0.74, 3: 0.08}
CYCLE_LINKS = [(1, 2, "attack"), (2, 1, "attack"), (2, 3, "support"), (3, 1, "support")]

# Rago, Toni, Aurisicchio & Baroni (KR 2016), the e-democracy example.
E_DEMOCRACY_BASES = {
    "A1": 0.5, "A2": 0.5, "P1": 0.7, "P2": 0.5, "P3": 0.9,
    "C1": 0.2, "C2": 0.2, "C3": 0.6, "C4": 0.5,
}  # fmt: skip
E_DEMOCRACY_LINKS = [
    ("C1", "A2", "attack"), ("C2", "P2", "attack"), ("C3", "P2", "attack"),
    ("C4", "P2", "attack"), ("P1", "A1", "support"), ("P2", "A1", "support"),
    ("P3", "A2", "support"),
]  # fmt: skip


def expected(bases, links, strengths, target):
    """DF-QuAD's equation for one argument, written out again from the paper."""
    va = 1 - math.prod(1 - strengths[s] for s, t, r in links if t == target and r == "attack")
    vs = 1 - math.prod(1 - strengths[s] for s, t, r in links if t == target and r == "support")
    b = bases[target]
    return b - b * (va - vs) if va >= vs else b + (1 - b) * (vs - va)


# The engine


def test_base_score_is_one_half_without_votes_and_follows_them():
    assert base_score(0, 0) == 0.5
    assert base_score(12, 3) == pytest.approx(13 / 17)  # "12 voor, 3 tegen: 0.76"
    assert base_score(0, 1000) == pytest.approx(1 / 1002)


def test_the_cycle_that_plain_iteration_cannot_settle_reaches_its_fixed_point():
    result = dfquad(CYCLE_BASES, CYCLE_LINKS)

    assert [result.strengths[key] for key in (1, 2, 3)] == pytest.approx(
        [0.247660, 0.556732, 0.592193], abs=1e-6
    )
    assert result.unsettled == frozenset()
    for key in CYCLE_BASES:
        residual = expected(CYCLE_BASES, CYCLE_LINKS, result.strengths, key) - result.strengths[key]
        assert abs(residual) <= strength.TOLERANCE


def test_plain_iteration_alone_alternates_on_that_cycle():
    """Why the fallbacks exist: simultaneous updates from the bases flip between two states."""
    x = dict(CYCLE_BASES)
    for _ in range(1000):
        x = {key: expected(CYCLE_BASES, CYCLE_LINKS, x, key) for key in x}
    following = {key: expected(CYCLE_BASES, CYCLE_LINKS, x, key) for key in x}
    assert max(abs(following[key] - x[key]) for key in x) > 0.01


def test_the_e_democracy_example_of_rago_et_al():
    result = dfquad(E_DEMOCRACY_BASES, E_DEMOCRACY_LINKS)

    assert result.strengths["A1"] == pytest.approx(0.862, abs=1e-3)
    assert result.strengths["A2"] == pytest.approx(0.85, abs=1e-3)
    assert result.strengths["P2"] == pytest.approx(0.08, abs=1e-3)
    assert result.strengths["C1"] == 0.2  # unanswered: its base
    assert result.unsettled == frozenset()


def test_fixed_inputs_feed_the_part_and_links_from_elsewhere_do_not_count():
    result = dfquad(
        {"t": 0.5},
        [("a", "t", "attack"), ("gone", "t", "attack"), ("t", "elsewhere", "support")],
        fixed={"a": 0.5},
    )
    assert result.strengths == {"t": 0.25}


def test_bad_input_is_refused_rather_than_turned_into_nan():
    with pytest.raises(ValueError):
        dfquad({1: math.nan}, [])
    with pytest.raises(ValueError):
        dfquad({1: 0.5, 2: 0.5}, [(1, 2, "rebuts")])


def test_a_cycle_that_does_not_settle_marks_itself_and_what_it_feeds(monkeypatch):
    def never(self):
        return self.bases, False

    monkeypatch.setattr(strength._Cycle, "solve", never)
    bases = {**CYCLE_BASES, 4: 0.5, 5: 0.5, 6: 0.5}
    links = [*CYCLE_LINKS, (3, 4, "attack"), (6, 5, "support")]

    result = dfquad(bases, links)

    assert result.unsettled == {1, 2, 3, 4}
    assert all(0 <= value <= 1 for value in result.strengths.values())
    # An unsettled input from outside the part marks what it feeds, too.
    part = dfquad({4: 0.5}, [(3, 4, "attack")], fixed={3: 0.3}, fixed_unsettled={3})
    assert part.unsettled == {4}


def test_contributions_take_one_argument_out_at_a_time():
    parts = contributions("A1", E_DEMOCRACY_BASES, E_DEMOCRACY_LINKS)

    assert parts.base == 0.5
    assert parts.attack == 0.0
    assert parts.support == pytest.approx(1 - 0.3 * 0.92)  # P1 0.7, P2 0.08
    assert parts.strength == pytest.approx(0.862)
    assert parts.without == pytest.approx({"P1": 0.54, "P2": 0.85})
    assert parts.settled and not parts.unsettled_without
    # Only what reaches A1 was computed.
    assert set(parts.upstream.strengths) == {"A1", "P1", "P2", "C2", "C3", "C4"}


# Properties over random graphs

unit = st.one_of(
    st.floats(0, 1),
    st.sampled_from([0.0, 1.0, 0.5, 0.99]),
    st.builds(base_score, *[st.integers(0, 50)] * 2),
)


@st.composite
def graphs(draw, *, acyclic=False, max_size=12):
    """Bases and links between distinct arguments, at most one link from one to another (the
    database allows one per pair; the engine takes more); cycles unless `acyclic` (then every
    link goes from a higher id to a lower one)."""
    size = draw(st.integers(1, max_size))
    bases = {key: draw(unit) for key in range(size)}
    ends = st.integers(0, size - 1)
    drawn = draw(
        st.lists(st.tuples(ends, ends, st.sampled_from(["attack", "support"])), max_size=3 * size)
    )
    links, pairs = [], set()
    for source, target, relation in drawn:
        if acyclic and source < target:
            source, target = target, source
        if source != target and (source, target) not in pairs:
            pairs.add((source, target))
            links.append((source, target, relation))
    return bases, links


@settings(deadline=None, max_examples=300)
@given(graphs())
# Converges so slowly (a base of 2e-16) that the rate of progress rounds to 1.
@example(({0: 1.0, 1: 0.75, 3: 2.2e-16}, [(0, 3, "support"), (1, 3, "attack"), (3, 0, "attack")]))
def test_strengths_stay_in_the_unit_interval_and_settled_ones_satisfy_the_equations(graph):
    bases, links = graph
    result = dfquad(bases, links)

    assert set(result.strengths) == set(bases)
    for key, value in result.strengths.items():
        assert 0.0 <= value <= 1.0  # never NaN either
        if key not in result.unsettled:
            assert abs(expected(bases, links, result.strengths, key) - value) <= 1e-9
        if not any(target == key for _source, target, _relation in links):
            assert value == bases[key]


@settings(deadline=None, max_examples=200)
@given(graphs(acyclic=True), st.data())
def test_an_attacker_never_raises_its_target_and_a_supporter_never_lowers_it(graph, data):
    bases, links = graph
    target = data.draw(st.sampled_from(sorted(bases)))
    newcomer, weight = len(bases), data.draw(unit)
    before = dfquad(bases, links).strengths[target]

    attacked = dfquad({**bases, newcomer: weight}, [*links, (newcomer, target, "attack")])
    supported = dfquad({**bases, newcomer: weight}, [*links, (newcomer, target, "support")])

    assert attacked.strengths[target] <= before + 1e-12
    assert supported.strengths[target] >= before - 1e-12


@settings(deadline=None, max_examples=200)
@given(graphs(), st.data())
def test_recomputing_what_a_change_reaches_gives_the_whole_graphs_values_exactly(graph, data):
    """What `refresh` relies on: the part reached from some arguments, with its other inputs
    fixed at their whole-graph values, comes out bit for bit as in the whole graph."""
    bases, links = graph
    starts = data.draw(st.sets(st.sampled_from(sorted(bases)), min_size=1))
    whole = dfquad(bases, links)
    part, queue = set(starts), list(starts)
    while queue:
        reached = queue.pop()
        for source, target, _relation in links:
            if source == reached and target not in part:
                part.add(target)
                queue.append(target)

    again = dfquad(
        {key: bases[key] for key in part},
        links,
        fixed={key: value for key, value in whole.strengths.items() if key not in part},
        fixed_unsettled=whole.unsettled - part,
    )

    assert again.strengths == {key: whole.strengths[key] for key in part}
    assert again.unsettled == whole.unsettled & part


@settings(deadline=None, max_examples=200)
@given(graphs(), st.data())
def test_each_contribution_is_the_strength_of_the_graph_without_that_argument(graph, data):
    bases, links = graph
    target = data.draw(st.sampled_from(sorted(bases)))

    parts = contributions(target, bases, links)

    assert parts.strength == dfquad(bases, links).strengths[target]
    neighbours = {source for source, t, _relation in links if t == target}
    assert set(parts.without) == neighbours
    for removed in neighbours:
        rest = {key: value for key, value in bases.items() if key != removed}
        alone = [link for link in links if removed not in link[:2]]
        assert parts.without[removed] == dfquad(rest, alone).strengths[target]


def test_ten_thousand_arguments_come_out_whole_and_in_range():
    """The benchmark's graph (its timing is `manage.py bench_strength`, not a test)."""
    from debates.management.commands.bench_strength import synthetic_graph

    bases, links = synthetic_graph(seed=14, arguments=10_000, links=15_000, debates=100)
    result = dfquad(bases, links)

    assert len(result.strengths) == 10_000
    assert all(0.0 <= value <= 1.0 for value in result.strengths.values())


# The table, with the database

_texts = itertools.count()


def make(*votes, status=Argument.Status.PUBLISHED):
    """Arguments with the given (up, down) votes."""
    return Argument.objects.bulk_create(
        Argument(
            text=f"Argument nummer {next(_texts)}", up_votes=up, down_votes=down, status=status
        )
        for up, down in votes
    )


def link(*triples):
    Link.objects.bulk_create(
        Link(source=source, target=target, relation=relation)
        for source, target, relation in triples
    )


def stored(*arguments):
    """The Strength table, or its rows for `arguments` (the seed corpus has rows of its own)."""
    rows = Strength.objects.all()
    if arguments:
        rows = rows.filter(argument__in=arguments)
    return {row.argument_id: (row.base, row.strength, row.settled) for row in rows}


def computed():
    """What the engine gives over the whole published graph as it is in the database."""
    published = Argument.objects.published()
    bases = {a.pk: base_score(a.up_votes, a.down_votes) for a in published}
    links = Link.objects.values_list("source_id", "target_id", "relation")
    result = dfquad(bases, links)
    return {
        key: (bases[key], value, key not in result.unsettled)
        for key, value in result.strengths.items()
    }


@pytest.mark.django_db
def test_refresh_of_a_changed_part_gives_exactly_what_refresh_all_gives():
    rng = random.Random(14)
    args = make(*[(rng.randrange(20), rng.randrange(20)) for _ in range(14)])
    (pending,) = make((3, 0), status=Argument.Status.PENDING)
    thesis, a, b, c, d, e, f, g, h, i, j, x, y, z = args
    link(
        (a, thesis, "attack"), (b, thesis, "support"), (c, a, "attack"), (d, a, "support"),
        (e, b, "attack"), (f, e, "attack"), (g, f, "support"), (e, g, "attack"),
        (h, c, "attack"), (i, h, "support"), (j, i, "attack"), (pending, b, "attack"),
        (x, y, "support"), (z, y, "attack"),
    )  # fmt: skip
    refresh_all()
    assert stored() == computed()

    # A vote, a reply, a hidden argument, an approval and a new link that closes a cycle.
    Argument.objects.filter(pk=j.pk).update(up_votes=40)
    (reply,) = make((0, 2))
    link((reply, g, "attack"), (a, h, "support"))
    Argument.objects.filter(pk=e.pk).update(status=Argument.Status.HIDDEN)
    Argument.objects.filter(pk=pending.pk).update(status=Argument.Status.PUBLISHED)
    done = refresh([j.pk, reply.pk, g.pk, h.pk, e.pk, pending.pk])

    assert stored() == computed()
    assert e.pk not in stored() and done.deleted == 1
    # Only what the changes reach: not d (it feeds into them), nor x, y and z (elsewhere).
    assert done.arguments == 11
    again = refresh_all()
    assert (again.written, again.deleted) == (0, 0)


@pytest.mark.django_db
def test_hidden_and_pending_arguments_have_no_row_and_do_not_count():
    thesis, attacker = make((0, 0), (9, 0))
    (hidden,) = make((9, 0), status=Argument.Status.HIDDEN)
    (pending,) = make((9, 0), status=Argument.Status.PENDING)
    link((attacker, thesis, "attack"), (hidden, thesis, "attack"), (pending, thesis, "support"))
    refresh_all()

    rows = stored(thesis, attacker, hidden, pending)
    assert set(rows) == {thesis.pk, attacker.pk}
    assert rows[thesis.pk][1] == pytest.approx(0.5 * (1 - 10 / 11))

    Argument.objects.filter(pk=attacker.pk).update(status=Argument.Status.HIDDEN)
    refresh([attacker.pk])

    assert stored(thesis, attacker, hidden, pending) == {thesis.pk: (0.5, 0.5, True)}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 300])
def test_a_refresh_takes_the_same_few_queries_whatever_it_recomputes(
    size, django_assert_max_num_queries
):
    chain = make(*[(1, 1)] * size)
    link(*[(chain[n + 1], chain[n], "attack") for n in range(size - 1)])
    (gone,) = make((0, 0))
    link((gone, chain[0], "support"))
    refresh_all()
    Argument.objects.filter(pk=chain[-1].pk).update(up_votes=10)
    Argument.objects.filter(pk=gone.pk).update(status=Argument.Status.HIDDEN)

    # lock, the part, its inputs, one upsert, one delete
    with django_assert_max_num_queries(5):
        done = refresh([chain[-1].pk, gone.pk])

    assert done.arguments == size
    # The change runs down the chain until it fades below a float's precision.
    assert 3 <= done.written <= size
    assert done.deleted == 1
    assert stored() == computed()
    with django_assert_max_num_queries(3):
        assert refresh([chain[-1].pk]).written == 0  # nothing changed: nothing written


@pytest.mark.django_db
def test_an_input_without_a_row_is_recomputed_rather_than_a_crash():
    thesis, attacker, grand = make((2, 0), (5, 1), (0, 3))
    link((attacker, thesis, "attack"), (grand, attacker, "support"))
    refresh_all()
    Strength.objects.filter(argument=attacker).delete()  # should not happen

    refresh([thesis.pk])

    assert stored() == computed()


@pytest.mark.django_db
def test_a_cycle_is_stored_settled_at_its_fixed_point():
    a, b, c, d = make((0, 0), (9, 1), (0, 0), (2, 3))
    # One link per pair in the database: this cycle goes round three arguments.
    triples = [(a, b, "attack"), (b, c, "attack"), (c, a, "support"), (d, b, "support")]
    link(*triples)

    refresh_all()

    assert stored() == computed()
    rows = stored(a, b, c, d)
    bases = {key: row[0] for key, row in rows.items()}
    values = {key: row[1] for key, row in rows.items()}
    links = [(s.pk, t.pk, relation) for s, t, relation in triples]
    for key, (_base, value, settled) in rows.items():
        assert settled
        assert abs(expected(bases, links, values, key) - value) <= strength.TOLERANCE


@pytest.mark.django_db
def test_a_debate_of_one_argument(django_assert_max_num_queries):
    (alone,) = make((0, 0))

    refresh([alone.pk])
    with django_assert_max_num_queries(2):
        why = explain(alone)

    assert stored(alone) == {alone.pk: (0.5, 0.5, True)}
    assert (why.base, why.attack, why.support, why.strength) == (0.5, 0.0, 0.0, 0.5)
    assert why.attackers == why.supporters == []


@pytest.mark.django_db
def test_why_this_score_gives_the_numbers_worked_out_by_hand(django_assert_num_queries):
    target, attacker, supporter, counter = make((12, 3), (0, 0), (3, 1), (0, 0))
    (hidden,) = make((50, 0), status=Argument.Status.HIDDEN)
    link(
        (attacker, target, "attack"), (supporter, target, "support"),
        (counter, attacker, "attack"), (hidden, target, "attack"),
    )  # fmt: skip
    refresh_all()

    with django_assert_num_queries(3):
        why = explain(target)

    # base 13/17; the attacker 0.5 attacked by 0.5: 0.25; the supporter 4/6.
    assert (why.up_votes, why.down_votes) == (12, 3)
    assert why.base == pytest.approx(13 / 17)
    assert why.attack == pytest.approx(0.25)
    assert why.support == pytest.approx(2 / 3)
    assert why.strength == pytest.approx(13 / 17 + 4 / 17 * (2 / 3 - 0.25))  # 44/51
    assert why.strength == Strength.objects.get(argument=target).strength
    (against,) = why.attackers
    (for_,) = why.supporters
    assert against.argument == attacker and for_.argument == supporter
    assert against.strength == pytest.approx(0.25)
    assert against.without == pytest.approx(13 / 17 + 4 / 17 * 2 / 3)  # 47/51
    assert for_.without == pytest.approx(13 / 17 * 0.75)  # 39/68
    assert against.change == pytest.approx(-3 / 51)
    assert for_.change == pytest.approx(44 / 51 - 39 / 68)
    assert explain(hidden) is None


@pytest.mark.django_db
def test_an_argument_with_three_hundred_attackers(django_assert_num_queries):
    (target,) = make((5, 5))
    attackers = make(*[(n % 7, n % 5) for n in range(300)])
    link(*[(attacker, target, "attack") for attacker in attackers])
    refresh_all()

    value = Strength.objects.get(argument=target).strength
    survives = math.prod(1 - base_score(a.up_votes, a.down_votes) for a in attackers)
    assert value == pytest.approx(0.5 * survives, abs=1e-15)
    assert 0.0 <= value <= 1.0
    with django_assert_num_queries(3):
        why = explain(target)
    assert len(why.attackers) == 300
    assert why.attackers[0].change == min(n.change for n in why.attackers)


@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_run_one_after_the_other():
    (alone,) = make((0, 0))
    holding, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                refresh([alone.pk])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            with transaction.atomic():
                refresh([alone.pk])
            second_done.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert holding.wait(10)
    threads[1].start()
    assert not second_done.wait(0.5)  # queued behind the first one's lock
    release.set()
    assert second_done.wait(10)
    for thread in threads:
        thread.join()


def test_the_corpus_loader_fills_the_table(graph):
    published = set(Argument.objects.published().values_list("pk", flat=True))
    assert set(stored()) == published
    assert stored() == computed()
    assert all(settled for _base, _strength, settled in stored().values())


@pytest.mark.django_db
def test_the_commands_recompute_and_time():
    make((1, 0), (0, 1))
    published = Argument.objects.published().count()  # the two, and the seed corpus's
    out = StringIO()
    call_command("recompute_strengths", stdout=out)
    assert out.getvalue().startswith(
        f"{published} arguments, 0 unsettled, 2 rows written, 0 deleted, "
    )

    out = StringIO()
    call_command(
        "bench_strength", "--arguments=200", "--links=300", "--debates=4", "--runs=1", stdout=out
    )
    assert out.getvalue().startswith("dfquad: 200 arguments, 300 links, 0 unsettled: median ")
