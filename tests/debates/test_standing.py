"""Where a debate stands (debates/standing.py): sides, verdicts, unanswered, strongest per side.

The functions are pure, so these tests build a `DebateGraph` in memory, as `debate_graph`
returns it, and never touch the database: pytest-django refuses any query here, so a query
sneaking into standing.py fails these tests.
"""

import pytest

from debates.graph import DebateGraph
from debates.models import Argument, Debate, Link, Strength
from debates.standing import Side, Verdict, sides, standing

FOR, AGAINST = Side.FOR, Side.AGAINST


def debate_of(*links, strengths=None, hidden=(), pending=()):
    """Arguments 1..n, 1 the thesis, with `links` as (source, relation, target) in the order
    they were made; `strengths` {id: strength} for those with a Strength row (base 0.5);
    `hidden` ones are placeholders (as a reader's page gets them), `pending` ones a member's
    own waiting posts."""
    strengths = strengths or {}
    ids = {1} | {end for source, _, target in links for end in (source, target)}
    arguments = {}
    for pk in sorted(ids):
        status = Argument.Status.PUBLISHED
        if pk in hidden:
            status = Argument.Status.HIDDEN
        elif pk in pending:
            status = Argument.Status.PENDING
        argument = Argument(pk=pk, text=f"Argument nummer {pk}", status=status)
        argument.placeholder = pk in hidden
        if pk in strengths:
            argument.score = Strength(base=0.5, strength=strengths[pk], settled=True)
        else:
            # As select_related leaves an argument without a row: known to have none.
            Argument.score.related.set_cached_value(argument, None)
        arguments[pk] = argument
    graph = DebateGraph(
        debate=Debate(slug="debat", title="Debat?", thesis_id=1), arguments=arguments, links=[]
    )
    for number, (source, relation, target) in enumerate(links, start=1):
        link = Link(pk=number, source_id=source, target_id=target, relation=relation)
        link.source, link.target = arguments[source], arguments[target]
        graph.links.append(link)
        graph.incoming[target].append(link)
    return graph


# --- sides -------------------------------------------------------------------------------


def test_an_attack_on_an_attacker_argues_for_the_thesis():
    graph = debate_of(
        (2, "attack", 1),  # against
        (3, "attack", 2),  # attacks an attacker: for
        (4, "support", 2),  # supports an attacker: against
        (5, "support", 1),  # for
        (6, "attack", 5),  # attacks a supporter: against
        (7, "attack", 3),  # attacks the attacker of an attacker: against
    )
    assert sides(graph) == {1: FOR, 2: AGAINST, 3: FOR, 4: AGAINST, 5: FOR, 6: AGAINST, 7: AGAINST}


def test_the_shortest_path_to_the_thesis_decides_a_side():
    # 4 supports an attacker (against, two links away) and the thesis itself (for, one link).
    # The longer path was linked first: length wins over link order.
    graph = debate_of((2, "attack", 1), (4, "support", 2), (4, "support", 1))
    assert sides(graph)[4] == FOR


@pytest.mark.parametrize(("first", "side"), [(2, AGAINST), (3, FOR)])
def test_between_equally_short_paths_link_order_decides(first, side):
    # 4 supports both 2 (an attacker) and 3 (a supporter): two paths of two links that
    # disagree. The walk meets the thesis's answer that was linked first, and takes its side.
    second = 5 - first
    graph = debate_of(
        (first, "attack" if first == 2 else "support", 1),
        (second, "attack" if second == 2 else "support", 1),
        (4, "support", 2),
        (4, "support", 3),
    )
    assert sides(graph)[4] == side


def test_a_cycle_through_the_thesis_ends():
    graph = debate_of((2, "attack", 1), (3, "attack", 2), (1, "support", 3))
    assert sides(graph) == {1: FOR, 2: AGAINST, 3: FOR}


def test_sides_come_in_the_order_a_reader_meets_them():
    graph = debate_of((3, "attack", 2), (2, "support", 1), (4, "attack", 1))
    assert list(sides(graph)) == [1, 2, 4, 3]


# --- verdicts ----------------------------------------------------------------------------


def test_a_thesis_nobody_answered():
    where = standing(debate_of(strengths={1: 0.5}))
    assert where.verdict == Verdict.UNANSWERED
    assert (where.base, where.strength, where.settled) == (0.5, 0.5, True)
    assert (where.attack, where.support) == (0.0, 0.0)
    assert where.unanswered == 1  # the thesis itself
    assert where.strongest_for is None and where.strongest_against is None


@pytest.mark.parametrize(
    ("attackers", "supporters", "verdict"),
    [
        ([0.3], [0.6], Verdict.STRONGER),
        ([0.6], [0.3], Verdict.WEAKER),
        ([0.5], [0.5], Verdict.BALANCED),
        ([0.8], [], Verdict.WEAKER),
        ([], [0.1], Verdict.STRONGER),
        # Answered, but by an attacker of no weight: nothing tips the balance.
        ([0.0], [], Verdict.BALANCED),
        # Two attackers weigh 1 - 0.5 * 0.5 = 0.75 together: more than either alone.
        ([0.5, 0.5], [0.7], Verdict.WEAKER),
        ([0.5, 0.5], [0.75], Verdict.BALANCED),
        # 1 - 0.9 * 0.8 is 0.28 only up to rounding; equal within the tolerance.
        ([0.1, 0.2], [0.28], Verdict.BALANCED),
        # Many strong answers on both sides saturate both aggregates: no visible difference.
        ([0.99, 0.99, 0.99], [0.99, 0.99, 0.985], Verdict.BALANCED),
        ([0.5], [0.52], Verdict.STRONGER),
    ],
)
def test_the_verdict_weighs_the_thesis_attackers_against_its_supporters(
    attackers, supporters, verdict
):
    links, strengths = [], {1: 0.5}
    for pk, strength in enumerate(attackers, start=2):
        links.append((pk, "attack", 1))
        strengths[pk] = strength
    for pk, strength in enumerate(supporters, start=2 + len(attackers)):
        links.append((pk, "support", 1))
        strengths[pk] = strength
    where = standing(debate_of(*links, strengths=strengths))
    assert where.verdict == verdict
    assert where.attack == pytest.approx(1 - _product(1 - s for s in attackers))
    assert where.support == pytest.approx(1 - _product(1 - s for s in supporters))


def test_only_the_direct_answers_weigh_in_the_verdict():
    # 3 attacks the attacker 2 hard, and argues for the thesis; but DF-QuAD already counted
    # it in 2's strength (0.2), so the verdict weighs 2 against the supporter 4 (0.1).
    graph = debate_of(
        (2, "attack", 1), (3, "attack", 2), (4, "support", 1),
        strengths={1: 0.45, 2: 0.2, 3: 0.95, 4: 0.1},
    )  # fmt: skip
    where = standing(graph)
    assert where.verdict == Verdict.WEAKER
    assert where.strongest_for.pk == 3


def test_without_computed_strengths_there_is_no_verdict():
    # The thesis's answer has no Strength row yet (not computed): no verdict, no strength.
    where = standing(debate_of((2, "attack", 1)))
    assert where.verdict is None
    assert where.strength is None and where.base is None and where.settled is None
    assert where.strongest_against is None
    assert where.sides == {1: FOR, 2: AGAINST}


def test_an_unsettled_thesis_says_so():
    graph = debate_of((2, "attack", 1), strengths={1: 0.4, 2: 0.2})
    graph.arguments[1].score.settled = False
    assert standing(graph).settled is False


# --- unanswered and strongest --------------------------------------------------------------


def test_unanswered_counts_the_arguments_with_no_answer():
    # 2 answers the thesis and 3 answers 2; 4 answers the thesis and 5 answers 4.
    graph = debate_of((2, "attack", 1), (3, "attack", 2), (4, "support", 1), (5, "support", 4))
    assert standing(graph).unanswered == 2  # 3 and 5
    graph = debate_of(
        (2, "attack", 1), (3, "attack", 2), (4, "support", 1), (5, "support", 4),
        (6, "attack", 5), (6, "support", 3),
    )  # fmt: skip
    assert standing(graph).unanswered == 1  # 6 answers both 5 and 3; nothing answers 6


def test_the_strongest_on_each_side_by_strength_then_by_id():
    graph = debate_of(
        (2, "attack", 1), (3, "attack", 1), (4, "attack", 2), (5, "support", 1),
        (6, "support", 1), (7, "support", 5),
        # 1 (the thesis) is for and strongest of all, but it is not its own argument.
        strengths={1: 0.99, 2: 0.6, 3: 0.7, 4: 0.4, 5: 0.7, 6: 0.3, 7: 0.7},
    )  # fmt: skip
    where = standing(graph)
    # For: 4 (attacks an attacker) 0.4, 5 0.7, 6 0.3, 7 0.7: 5 and 7 tie; the lower id wins.
    assert where.strongest_for.pk == 5
    # Against: 2 0.6, 3 0.7.
    assert where.strongest_against.pk == 3


def test_an_argument_without_a_strength_is_never_the_strongest():
    graph = debate_of((2, "attack", 1), (3, "attack", 1), strengths={1: 0.3, 3: 0.1})
    assert standing(graph).strongest_against.pk == 3


# --- placeholders and what the viewer alone sees ---------------------------------------------


def test_placeholders_never_count():
    # 2 (hidden, a placeholder) attacks the thesis, 3 answers 2: neither reaches the thesis
    # among published arguments. 4 supports the thesis, 5 (hidden) attacks 4.
    graph = debate_of(
        (2, "attack", 1), (3, "attack", 2), (4, "support", 1), (5, "attack", 4),
        strengths={1: 0.6, 3: 0.9, 4: 0.2},
        hidden={2, 5},
    )  # fmt: skip
    where = standing(graph)
    assert where.sides == {1: FOR, 4: FOR}
    assert where.verdict == Verdict.STRONGER  # 4 alone answers the thesis
    assert where.attack == 0.0
    assert where.unanswered == 1  # 4: the placeholder's attack does not answer it
    assert where.strongest_for.pk == 4 and where.strongest_against is None


def test_a_members_own_pending_post_does_not_count_either():
    graph = debate_of((2, "attack", 1), strengths={1: 0.5}, pending={2})
    where = standing(graph)
    assert where.verdict == Verdict.UNANSWERED and where.sides == {1: FOR}


def test_a_thesis_that_does_not_count_has_no_standing():
    hidden = debate_of((2, "attack", 1), strengths={2: 0.5}, hidden={1})
    assert standing(hidden) is None and sides(hidden) == {}
    gone = debate_of((2, "attack", 1))
    del gone.arguments[1]  # a reader's export graph of a debate whose thesis was hidden
    gone.links.clear()
    gone.incoming.clear()
    assert standing(gone) is None and sides(gone) == {}


def test_the_words_for_people():
    assert {side.value for side in Side} == {"for", "against"}
    assert {verdict.value for verdict in Verdict} == {
        "stronger", "weaker", "balanced", "unanswered"
    }  # fmt: skip
    assert all(str(verdict.label) for verdict in Verdict)


def _product(values):
    result = 1.0
    for value in values:
        result *= value
    return result
