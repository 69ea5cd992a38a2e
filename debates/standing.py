"""Where a debate stands: the side of the thesis each argument argues for, and how it fares.

Pure functions over a `DebateGraph`: no queries. The strengths come from the `Strength` rows
that `debate_graph` loads with the arguments (`argument.score`); an argument without a row
(not computed yet) has no strength here rather than a made-up one.

Only published arguments count. A placeholder (a hidden argument shown to readers as a stub),
and the pending or hidden posts a member or moderator sees in their own view, take no part, and
neither does whatever reaches the thesis only through them: the standing is the same for every
viewer, as the strengths are (DF-QuAD runs over the published graph).
"""

import math
from collections import deque
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from debates import policy
from debates.graph import DebateGraph
from debates.models import Argument, Link, Strength
from debates.strength import aggregate

# Attacks and support closer than this move the thesis by less than 0.005: "balanced".
BALANCE = 0.005


class Side(models.TextChoices):
    FOR = "for", _("for the thesis")
    AGAINST = "against", _("against the thesis")


class Verdict(models.TextChoices):
    STRONGER = "stronger", _("The thesis stands stronger than its attacks")
    WEAKER = "weaker", _("The thesis stands weaker than its attacks")
    BALANCED = "balanced", _("The attacks on the thesis and its support weigh the same")
    UNANSWERED = "unanswered", _("Nobody has answered the thesis yet")


@dataclass(frozen=True)
class Standing:
    thesis: Argument
    base: float | None  # the thesis's base score, from its votes
    strength: float | None  # its DF-QuAD strength; None while not computed
    settled: bool | None  # False where the iteration found no fixed point
    verdict: Verdict | None  # None while a direct answer's strength is not computed
    attack: float | None  # va: the thesis's direct attackers, aggregated as 1 - prod(1 - s)
    support: float | None  # vs: its direct supporters, aggregated the same way
    unanswered: int  # arguments of the debate (the thesis included) with no answer yet
    strongest_for: Argument | None  # the strongest argument on each side, the thesis aside
    strongest_against: Argument | None
    sides: dict[int, Side]  # argument id -> side, for every argument that counts


def score(argument: Argument) -> Strength | None:
    """The argument's `Strength` row, or None where there is none (yet)."""
    try:
        return argument.score
    except Strength.DoesNotExist:
        return None


def counts(argument: Argument) -> bool:
    """Whether the argument takes part in the standing: what counts by debates.policy."""
    return policy.counts(argument)


def sides(graph: DebateGraph) -> dict[int, Side]:
    """The side of the thesis each argument ends up on.

    The thesis is "for". A supporter takes the side of what it supports; an attacker the other
    side, so an attack on an attacker of the thesis argues for it. In a graph (not a tree) an
    argument may reach the thesis along several paths that disagree; it then takes the side of
    its shortest path, the one the reader meets first. A breadth-first walk from the thesis
    along incoming links finds it: among equally short paths the first found wins, that is the
    one through the answer met earlier, and at one argument the link made first (link order).
    The dict is in that walk's order. Empty when the thesis itself does not count.
    """
    thesis = graph.arguments.get(graph.debate.thesis_id)
    if thesis is None or not counts(thesis):
        return {}
    found = {thesis.pk: Side.FOR}
    queue = deque([thesis.pk])
    while queue:
        target_id = queue.popleft()
        for link in graph.answers(target_id):
            if link.source_id in found or not counts(graph.arguments[link.source_id]):
                continue
            same = link.relation == Link.Relation.SUPPORT
            found[link.source_id] = found[target_id] if same else _other(found[target_id])
            queue.append(link.source_id)
    return found


def standing(graph: DebateGraph) -> Standing | None:
    """Where the debate stands; None when its thesis is not in the graph or does not count.

    The verdict compares the thesis's direct attackers with its direct supporters, aggregated
    as DF-QuAD does (va, vs): "stronger" when va < vs (so its strength is above its base),
    "weaker" when va > vs, "balanced" when they move the thesis by less than a reader sees
    (BALANCE: the strength is shown to two decimals, and many strong answers on both sides
    saturate both aggregates near 1), "unanswered" when nothing answers the thesis; None while
    a direct answer's strength is not computed. The strongest argument on a side is the one with the
    highest strength, the older (lower id) on a tie; arguments without a strength are left out.
    """
    side_of = sides(graph)
    if not side_of:
        return None
    thesis = graph.thesis
    answered = set()
    for link in graph.links:
        if link.source_id in side_of:
            answered.add(link.target_id)

    direct = [link for link in graph.answers(thesis.pk) if link.source_id in side_of]
    attack = _aggregate_of(graph, direct, Link.Relation.ATTACK)
    support = _aggregate_of(graph, direct, Link.Relation.SUPPORT)
    if not direct:
        verdict = Verdict.UNANSWERED
    elif attack is None or support is None:
        verdict = None
    elif math.isclose(attack, support, rel_tol=0, abs_tol=BALANCE):
        verdict = Verdict.BALANCED
    else:
        verdict = Verdict.STRONGER if attack < support else Verdict.WEAKER

    thesis_score = score(thesis)
    return Standing(
        thesis=thesis,
        base=thesis_score.base if thesis_score else None,
        strength=thesis_score.strength if thesis_score else None,
        settled=thesis_score.settled if thesis_score else None,
        verdict=verdict,
        attack=attack,
        support=support,
        unanswered=sum(1 for pk in side_of if pk not in answered),
        strongest_for=_strongest(graph, side_of, Side.FOR),
        strongest_against=_strongest(graph, side_of, Side.AGAINST),
        sides=side_of,
    )


def _other(side: Side) -> Side:
    return Side.AGAINST if side == Side.FOR else Side.FOR


def _aggregate_of(graph: DebateGraph, links: list[Link], relation: str) -> float | None:
    """va or vs over the given links of one relation; None if one of them has no strength."""
    strengths = []
    for link in links:
        if link.relation != relation:
            continue
        row = score(graph.arguments[link.source_id])
        if row is None:
            return None
        strengths.append(row.strength)
    return aggregate(strengths)


def _strongest(graph: DebateGraph, side_of: dict[int, Side], side: Side) -> Argument | None:
    best, best_key = None, None
    for pk, argument_side in side_of.items():
        if argument_side != side or pk == graph.debate.thesis_id:
            continue
        row = score(graph.arguments[pk])
        if row is None:
            continue
        key = (-row.strength, pk)
        if best_key is None or key < best_key:
            best, best_key = graph.arguments[pk], key
    return best
