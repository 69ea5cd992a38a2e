"""How strong each published argument stands: DF-QuAD (Rago, Toni, Aurisicchio & Baroni, KR 2016).

docs/strength.md says what the numbers mean. Here: `dfquad` computes them (a pure function),
`refresh` and `refresh_all` keep the Strength table in step with the graph, and `explain` and
`contributions` say why an argument scores what it scores.
"""

import math
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction

from debates.models import Argument, Link

ATTACK, SUPPORT = Link.Relation.ATTACK.value, Link.Relation.SUPPORT.value
PUBLISHED = Argument.Status.PUBLISHED.value

# A cyclic component's values are accepted when they satisfy its equations to this (max residual).
TOLERANCE = 1e-9
# Iteration goes on to here when it converges, so the values hold with room to spare.
_PRECISION = 1e-12
_PLAIN_ROUNDS, _DAMPED_ROUNDS, _RUNGE_KUTTA_STEPS, _STEP = 2000, 2000, 1000, 0.1
_NEWTON_ROUNDS, _NEWTON_MAX_SIZE = 50, 40
# A method gives way to the next when, judged over this many rounds, it would not reach
# TOLERANCE in the rounds it has left.
_WINDOW = 50
# And a large component gets fewer rounds: each method reads at most this many inputs (a
# fraction of a second), so a write never waits long on a cycle that would not settle anyway.
_WORK = 2_000_000
# pg_advisory_xact_lock key (any constant bigint): every strength write queues on this one key.
LOCK_KEY = 7_305_183_421
# The pages' version (debates/pagecache.py) is bumped first: every writer takes that row before
# this lock, so the two are always taken in the same order and cannot deadlock.
_LOCK_SQL = (
    "SELECT pg_advisory_xact_lock(%s) FROM (SELECT debates_bump_content_version()) AS bumped"
)


def base_score(up: int, down: int) -> float:
    """An argument's own weight from its votes: 0.5 with none, towards 1 or 0 as votes come in."""
    return (up + 1) / (up + down + 2)


def combine(base: float, attack: float, support: float) -> float:
    """DF-QuAD's combination of a base score with its attackers' and supporters' aggregates."""
    if attack >= support:
        value = base - base * (attack - support)
    else:
        value = base + (1.0 - base) * (support - attack)
    # Only rounding can leave the unit interval.
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def aggregate(strengths: Iterable[float]) -> float:
    """1 − ∏(1 − s): how much a set of attackers (or supporters) weighs together; 0 for none."""
    product = 1.0
    for strength in strengths:
        product *= 1.0 - strength
    return 1.0 - product


@dataclass(frozen=True)
class Result:
    strengths: dict[int, float]
    # Arguments in a cycle that reached no fixed point, and every argument they feed into.
    unsettled: frozenset[int]


def dfquad(
    bases: Mapping[int, float],
    links: Iterable[tuple[int, int, str]],
    fixed: Mapping[int, float] | None = None,
    fixed_unsettled: Collection[int] = (),
) -> Result:
    """The strength of every argument in `bases`.

    `links` are (source, target, relation) with relation "attack" or "support"; a link counts
    when its target is in `bases` and its source in `bases` or in `fixed`, the strengths of
    arguments outside the part being computed that feed into it (`fixed_unsettled`: those of
    them that are unsettled). Components of the graph are computed in topological order, so an
    acyclic graph takes one pass; see `_Cycle` for the components with a cycle.

    Inputs are multiplied in the order of their ids, and a component's values depend only on
    its own bases and inputs: recomputing a part gives bit for bit what the whole graph gives.
    """
    links = links if isinstance(links, list | tuple) else list(links)
    outside = set()
    if fixed:
        outside = {s for s, t, _r in links if t in bases and s not in bases and s in fixed}
    ids = sorted(bases.keys() | outside) if outside else sorted(bases)
    position = {key: i for i, key in enumerate(ids)}
    n = len(ids)
    own = [True] * n
    values = [0.0] * n
    for i, key in enumerate(ids):
        if key in bases:
            value = float(bases[key])
        else:
            own[i] = False
            value = float(fixed[key])
        if not 0.0 <= value <= 1.0:  # also refuses NaN
            raise ValueError(f"argument {key}: {value} is not in [0, 1]")
        values[i] = value
    base = values[:]

    # The links into each argument as flat lists, by target and then by source: the inputs of
    # argument i are sources[k] for k in range(begin[i], begin[i + 1]); attacks[k] says how.
    keys = []
    for source, target, relation in links:
        t = position.get(target)
        s = position.get(source)
        if t is None or s is None or not own[t]:
            continue
        if relation != ATTACK and relation != SUPPORT:
            raise ValueError(f"{source} -> {target}: relation must be attack or support")
        keys.append(((t * n + s) << 1) | (relation == ATTACK))
    keys.sort()
    sources = [(key >> 1) % n for key in keys]
    attacks = [key & 1 for key in keys]
    begin = [0] * (n + 1)
    for key in keys:
        begin[(key >> 1) // n + 1] += 1
    for i in range(n):
        begin[i + 1] += begin[i]

    unsettled = [False] * n
    for key in fixed_unsettled:
        i = position.get(key)
        if i is not None and not own[i]:
            unsettled[i] = True
    any_unsettled = any(unsettled)

    order, ends = _components(own, begin, sources)
    start = 0
    for end in ends:
        v = order[start]
        if end - start == 1 and v not in sources[begin[v] : begin[v + 1]]:
            # ∏(1 − s) over its attackers, and over its supporters
            unattacked = unsupported = 1.0
            for k in range(begin[v], begin[v + 1]):
                if attacks[k]:
                    unattacked *= 1.0 - values[sources[k]]
                else:
                    unsupported *= 1.0 - values[sources[k]]
            values[v] = combine(base[v], 1.0 - unattacked, 1.0 - unsupported)
            settled = True
        else:
            cycle = _Cycle(order[start:end], values, base, begin, sources, attacks)
            solved, settled = cycle.solve()
            for member, value in zip(cycle.members, solved, strict=True):
                values[member] = value
        if any_unsettled and settled:
            settled = not any(
                unsettled[sources[k]]
                for member in order[start:end]
                for k in range(begin[member], begin[member + 1])
            )
        if not settled:
            any_unsettled = True
            for member in order[start:end]:
                unsettled[member] = True
        start = end

    return Result(
        strengths={ids[i]: values[i] for i in range(n) if own[i]},
        unsettled=frozenset(ids[i] for i in range(n) if own[i] and unsettled[i]),
    )


def _components(own: list[bool], begin: list[int], sources: list[int]):
    """Strongly connected components of the arguments in the part, each after those it depends
    on (Tarjan, without recursion): their members one component after the other, and where
    each component ends."""
    n = len(own)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    order: list[int] = []
    ends: list[int] = []
    counter = 0
    for root in range(n):
        if not own[root] or index[root] != -1:
            continue
        if begin[root] == begin[root + 1]:  # most arguments: nothing feeds into them
            index[root] = counter
            counter += 1
            order.append(root)
            ends.append(len(order))
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        nodes, cursors = [root], [begin[root]]
        while nodes:
            v = nodes[-1]
            k = cursors[-1]
            if k < begin[v + 1]:
                cursors[-1] = k + 1
                w = sources[k]
                if not own[w]:
                    continue
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    nodes.append(w)
                    cursors.append(begin[w])
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
                continue
            nodes.pop()
            cursors.pop()
            if nodes and low[v] < low[nodes[-1]]:
                low[nodes[-1]] = low[v]
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    order.append(w)
                    if w == v:
                        break
                ends.append(len(order))
    return order, ends


class _Cycle:
    """A component with a cycle: its equations, with every input from outside it held fixed.

    Plain iteration from the base scores can oscillate for ever, so it is tried first, then
    damped iteration (half the old value plus half the update), then Potyka's continuous model
    dx/dt = F(x) − x in Runge–Kutta steps, and last, for a small component, Newton's method:
    a cycle of strong arguments can contract so slowly that the others run out of rounds. Each
    starts from the best point found so far; a point is accepted when max |F(x) − x| ≤ TOLERANCE.
    """

    def __init__(self, component, values, base, begin, sources, attacks):
        self.members = sorted(component)
        local = {v: k for k, v in enumerate(self.members)}
        self.bases = [base[v] for v in self.members]
        # Per member: the product of (1 − s) over its attackers outside the component, and the
        # positions of those inside it; the same for its supporters.
        self.attack_outside, self.support_outside = [], []
        self.attackers, self.supporters = [], []
        for v in self.members:
            products, positions = [1.0, 1.0], ([], [])
            for k in range(begin[v], begin[v + 1]):
                side = 0 if attacks[k] else 1
                if sources[k] in local:
                    positions[side].append(local[sources[k]])
                else:
                    products[side] *= 1.0 - values[sources[k]]
            self.attack_outside.append(products[0])
            self.support_outside.append(products[1])
            self.attackers.append(positions[0])
            self.supporters.append(positions[1])
        # Inputs read by one evaluation of F.
        self.cost = len(self.members) + sum(map(len, self.attackers + self.supporters))

    def update(self, x: list[float]) -> list[float]:
        """F(x): every member's strength from the others' values in x."""
        result = []
        for k, base in enumerate(self.bases):
            unattacked = self.attack_outside[k]
            for j in self.attackers[k]:
                unattacked *= 1.0 - x[j]
            unsupported = self.support_outside[k]
            for j in self.supporters[k]:
                unsupported *= 1.0 - x[j]
            result.append(combine(base, 1.0 - unattacked, 1.0 - unsupported))
        return result

    def solve(self) -> tuple[list[float], bool]:
        best, best_residual = self.bases, math.inf
        # Each method starts from the best point so far; Newton also from the bases, as it can
        # stall near a kink of F (where a member's attack and support weigh the same).
        attempts = (self._plain, self._damped, self._continuous, self._newton, self._newton)
        for number, method in enumerate(attempts):
            point, residual = method(self.bases if number == 4 else best)
            if residual < best_residual:
                best, best_residual = point, residual
            if best_residual <= TOLERANCE:
                return best, True
        return best, False

    def _plain(self, x):
        return self._iterate(x, _PLAIN_ROUNDS, damped=False)

    def _damped(self, x):
        return self._iterate(x, _DAMPED_ROUNDS, damped=True)

    def _rounds(self, rounds: int, evaluations: int = 1) -> int:
        return max(2 * _WINDOW, min(rounds, _WORK // (evaluations * self.cost)))

    def _iterate(self, x, rounds, *, damped):
        progress = _Progress(self._rounds(rounds))
        while True:
            fx = self.update(x)
            if progress.done(x, _distance(fx, x)):
                return progress.best, progress.residual
            x = [(a + b) / 2 for a, b in zip(x, fx, strict=True)] if damped else fx

    def _continuous(self, x):
        def drift(point):
            return [f - p for f, p in zip(self.update(point), point, strict=True)]

        def moved(point, direction, step):
            return [_clamp(p + step * d) for p, d in zip(point, direction, strict=True)]

        h = _STEP
        progress = _Progress(self._rounds(_RUNGE_KUTTA_STEPS, evaluations=4))
        while True:
            k1 = drift(x)
            if progress.done(x, max(abs(d) for d in k1)):
                return progress.best, progress.residual
            k2 = drift(moved(x, k1, h / 2))
            k3 = drift(moved(x, k2, h / 2))
            k4 = drift(moved(x, k3, h))
            x = [
                _clamp(p + h / 6 * (a + 2 * b + 2 * c + d))
                for p, a, b, c, d in zip(x, k1, k2, k3, k4, strict=True)
            ]

    def _newton(self, x):
        """Solve F(x) − x = 0 by Newton steps, each halved until it lowers the residual."""
        size = len(self.bases)
        if size > _NEWTON_MAX_SIZE:
            return x, math.inf
        progress = _Progress(_NEWTON_ROUNDS)
        fx = self.update(x)
        residual = _distance(fx, x)
        while not progress.done(x, residual):
            matrix = self._jacobian(x)
            for k in range(size):
                matrix[k][k] -= 1.0
            step = _solve(matrix, [p - f for f, p in zip(fx, x, strict=True)])
            if step is None:
                break
            scale = 1.0
            while scale > 1e-6:
                y = [_clamp(p + scale * d) for p, d in zip(x, step, strict=True)]
                fy = self.update(y)
                if _distance(fy, y) < residual:
                    x, fx, residual = y, fy, _distance(fy, y)
                    break
                scale /= 2
            else:
                break
        return progress.best, progress.residual

    def _jacobian(self, x: list[float]) -> list[list[float]]:
        """∂F/∂x: DF-QuAD is multilinear in the inputs on each side of va = vs."""
        rows = []
        for k, base in enumerate(self.bases):
            row = [0.0] * len(self.bases)
            sides = []
            for outside, inside in (
                (self.attack_outside[k], self.attackers[k]),
                (self.support_outside[k], self.supporters[k]),
            ):
                terms = [1.0 - x[j] for j in inside]
                sides.append((outside, inside, terms, outside * math.prod(terms)))
            attack, support = 1.0 - sides[0][3], 1.0 - sides[1][3]
            slope = base if attack >= support else 1.0 - base
            for sign, (outside, inside, terms, _product) in zip(
                (-slope, slope), sides, strict=True
            ):
                for i, j in enumerate(inside):
                    row[j] += sign * outside * math.prod(terms[:i] + terms[i + 1 :])
            rows.append(row)
        return rows


class _Progress:
    """The best point a method has reached, and whether it is worth going on."""

    def __init__(self, rounds: int):
        self.best, self.residual = None, math.inf
        self.left = rounds
        self.recent: deque[float] = deque(maxlen=_WINDOW)

    def done(self, point, residual: float) -> bool:
        if residual < self.residual:
            self.best, self.residual = point, residual
        self.left -= 1
        if residual <= _PRECISION or self.left <= 0:
            return True
        self.recent.append(residual)
        if len(self.recent) < _WINDOW:
            return False
        oldest = self.recent[0]
        if residual >= oldest:  # no progress over the window: oscillating or stuck
            return True
        # Converging at this rate, would it reach TOLERANCE in the rounds left?
        rate = (residual / oldest) ** (1 / (_WINDOW - 1))
        if rate >= 1.0:  # it moves, but below a float's resolution over the window
            return True
        return math.log(TOLERANCE / residual) / math.log(rate) > self.left


def _distance(a: list[float], b: list[float]) -> float:
    return max(abs(p - q) for p, q in zip(a, b, strict=True))


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float] | None:
    """Gaussian elimination with partial pivoting; None when the matrix is (nearly) singular."""
    n = len(rhs)
    rows = [row[:] + [value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            if factor:
                for c in range(col, n + 1):
                    rows[r][c] -= factor * rows[col][c]
    solution = [0.0] * n
    for r in reversed(range(n)):
        known = sum(rows[r][c] * solution[c] for c in range(r + 1, n))
        solution[r] = (rows[r][n] - known) / rows[r][r]
    return solution


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


# Why a score: removal-based attribution (Kampik, Potyka, Yin, Čyras & Toni)


@dataclass(frozen=True)
class Contributions:
    base: float
    attack: float  # the attackers' aggregate, va
    support: float  # the supporters' aggregate, vs
    strength: float
    settled: bool
    # Per direct attacker and supporter: the target's strength with that argument removed.
    without: dict[int, float]
    # Those removals after which the target's strength did not settle.
    unsettled_without: frozenset[int]
    # Everything that reaches the target, with the target: strengths and unsettled.
    upstream: Result


def contributions(
    target: int, bases: Mapping[int, float], links: Iterable[tuple[int, int, str]]
) -> Contributions:
    """The target's score taken apart: base, aggregates, result, and its strength without each
    direct attacker and supporter.

    Only what reaches the target matters, so `bases` and `links` may hold just that part (what
    `explain` loads). Removing an argument changes only what it reaches: each removal recomputes
    that much, with everything else held at its full-graph strength.
    """
    into = defaultdict(list)
    for source, target_, relation in links:
        if source in bases and target_ in bases:
            into[target_].append((source, relation))
    upstream, queue = {target}, [target]
    while queue:
        for source, _relation in into[queue.pop()]:
            if source not in upstream:
                upstream.add(source)
                queue.append(source)
    part_links = [(s, t, r) for t in upstream for s, r in into[t]]
    full = dfquad({key: bases[key] for key in upstream}, part_links)
    strengths = full.strengths

    out = defaultdict(list)
    for source, target_, _relation in part_links:
        out[source].append(target_)
    without, unsettled_without = {}, set()
    for removed in sorted({source for source, _relation in into[target]}):
        reached, queue = set(), [removed]
        while queue:
            for t in out[queue.pop()]:
                if t not in reached and t != removed:
                    reached.add(t)
                    queue.append(t)
        result = dfquad(
            {key: bases[key] for key in reached},
            [(s, t, r) for t in reached for s, r in into[t] if s != removed],
            fixed={key: strengths[key] for key in upstream - reached},
            fixed_unsettled=full.unsettled - reached,
        )
        without[removed] = result.strengths[target]
        if target in result.unsettled:
            unsettled_without.add(removed)

    def weight(relation):
        return aggregate(strengths[s] for s, r in sorted(into[target]) if r == relation)

    return Contributions(
        base=float(bases[target]),
        attack=weight(ATTACK),
        support=weight(SUPPORT),
        strength=strengths[target],
        settled=target not in full.unsettled,
        without=without,
        unsettled_without=frozenset(unsettled_without),
        upstream=full,
    )


@dataclass(frozen=True)
class Neighbour:
    argument: Argument
    relation: str  # what it does to the explained argument: "attack" or "support"
    strength: float  # its own strength
    settled: bool
    without: float  # the explained argument's strength without it
    without_settled: bool
    change: float  # what it adds to the explained argument's strength (negative: takes away)


@dataclass(frozen=True)
class Explanation:
    argument: Argument
    up_votes: int
    down_votes: int
    base: float
    attack: float
    support: float
    strength: float
    settled: bool
    # Strongest effect first.
    attackers: list[Neighbour]
    supporters: list[Neighbour]


_UPSTREAM_SQL = """
WITH RECURSIVE upstream(id) AS (
    SELECT %s::bigint
    UNION
    SELECT link.source_id FROM debates_link link
    JOIN upstream ON link.target_id = upstream.id
    JOIN debates_argument source ON source.id = link.source_id AND source.status = %s
)
SELECT argument.id, argument.up_votes, argument.down_votes
FROM upstream JOIN debates_argument argument ON argument.id = upstream.id
"""
_LINKS_INTO_SQL = """
SELECT link.source_id, link.target_id, link.relation FROM debates_link link
WHERE link.target_id = ANY(%s) AND link.source_id = ANY(%s)
"""


def explain(argument: Argument) -> Explanation | None:
    """Why a published argument has its strength, for its page (None if it is not published).

    Three queries whatever the graph's size: the arguments that reach it with their votes (a
    recursive CTE through published arguments), the links between them, and its direct
    attackers and supporters as Argument objects (`with_source`).
    """
    if argument.status != Argument.Status.PUBLISHED:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_UPSTREAM_SQL, [argument.pk, PUBLISHED])
        votes = {key: (up, down) for key, up, down in cursor.fetchall()}
        ids = list(votes)
        cursor.execute(_LINKS_INTO_SQL, [ids, ids])
        links = cursor.fetchall()
    bases = {key: base_score(up, down) for key, (up, down) in votes.items()}
    parts = contributions(argument.pk, bases, links)
    full = parts.upstream
    relation_of = {source: relation for source, target, relation in links if target == argument.pk}
    neighbours = Argument.objects.with_source().filter(pk__in=relation_of) if relation_of else []
    explained = sorted(
        (
            Neighbour(
                argument=neighbour,
                relation=relation_of[neighbour.pk],
                strength=full.strengths[neighbour.pk],
                settled=neighbour.pk not in full.unsettled,
                without=parts.without[neighbour.pk],
                without_settled=neighbour.pk not in parts.unsettled_without,
                change=parts.strength - parts.without[neighbour.pk],
            )
            for neighbour in neighbours
        ),
        key=lambda n: (-abs(n.change), n.argument.pk),
    )
    up, down = votes[argument.pk]
    return Explanation(
        argument=argument,
        up_votes=up,
        down_votes=down,
        base=parts.base,
        attack=parts.attack,
        support=parts.support,
        strength=parts.strength,
        settled=parts.settled,
        attackers=[n for n in explained if n.relation == ATTACK],
        supporters=[n for n in explained if n.relation == SUPPORT],
    )


# Keeping the Strength table in step


@dataclass(frozen=True)
class Refreshed:
    arguments: int  # published arguments recomputed
    unsettled: int
    written: int  # rows inserted or changed
    deleted: int  # rows of arguments no longer published
    # argument id -> (strength, settled) of every published argument recomputed
    strengths: dict[int, tuple[float, bool]] = field(default_factory=dict)


# The given arguments and every published argument they reach by following links (a start no
# longer published still leads to what it used to attack or support), with their votes and
# stored scores; and the published links into the part's published arguments, with the stored
# score of each source. Both walks are PL/pgSQL functions (debates/migrations/0014), planned once
# per connection and by the links' indexes: sent as SQL they were planned anew at every write,
# which cost more than running them.
_PART_SQL = "SELECT * FROM debates_strength_part(%s)"
_INPUTS_SQL = "SELECT * FROM debates_strength_inputs(%s)"
_ALL_SQL = """
SELECT argument.id, argument.status = %s, argument.up_votes, argument.down_votes,
       score.base, score.strength, score.settled
FROM debates_argument argument
LEFT JOIN debates_strength score ON score.argument_id = argument.id
WHERE argument.status = %s OR score.argument_id IS NOT NULL
"""
_ALL_LINKS_SQL = """
SELECT link.source_id, link.target_id, link.relation FROM debates_link link
JOIN debates_argument source ON source.id = link.source_id AND source.status = %s
JOIN debates_argument target ON target.id = link.target_id AND target.status = %s
"""
# Rows that changed and rows that are new, written apart: a refresh nearly always only changes
# rows, and an UPDATE of those alone is the cheaper statement. Nobody else writes this table,
# and the lock is held.
_UPDATE_SQL = """
UPDATE debates_strength score
SET base = changed.base, strength = changed.strength, settled = changed.settled
FROM unnest(%s::bigint[], %s::float8[], %s::float8[], %s::boolean[])
    AS changed(argument_id, base, strength, settled)
WHERE score.argument_id = changed.argument_id
"""
_INSERT_SQL = """
INSERT INTO debates_strength (argument_id, base, strength, settled)
SELECT * FROM unnest(%s::bigint[], %s::float8[], %s::float8[], %s::boolean[])
"""
_DELETE_SQL = "DELETE FROM debates_strength WHERE argument_id = ANY(%s)"


def refresh(argument_ids: Iterable[int]) -> Refreshed:
    """Recompute the strengths a write may have changed; call it inside the write's
    transaction, after its changes.

    Pass every argument whose status or votes changed, and the target of every link added,
    removed or moved (passing its source too does no harm). What they reach by links is
    recomputed; the strengths of its other inputs are read from the table. First it takes one
    transaction-level advisory lock, so concurrent writes recompute one after the other, each
    reading (READ COMMITTED, after the lock) what the previous ones committed. Two round trips
    at most whatever the part's size (the lock with the reads, then the writes); only rows whose
    values changed are written.

    The write's own changes (an argument's votes or status, a link added, moved or removed)
    fired the triggers that move on every debate those arguments lead to (debates/migrations
    0011 and 0014). The rows written here are theirs and those of what they reach, so of the
    same debates: they are written without walking up to the theses again.
    """
    starts = sorted({int(key) for key in argument_ids})
    if not starts:
        return Refreshed(0, 0, 0, 0)
    # One round trip: the lock, then the part and its inputs, each statement reading (READ
    # COMMITTED, a snapshot of its own) what was committed before the lock was granted. Under
    # the lock every round trip keeps the other writers waiting.
    params = [LOCK_KEY, starts, starts]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"{_LOCK_SQL};{_PART_SQL};{_INPUTS_SQL}", params)
        cursor.nextset()
        rows = cursor.fetchall()
        cursor.nextset()
        links, fixed, fixed_unsettled = [], {}, set()
        part = {row[0] for row in rows if row[1]}
        for source, target, relation, strength, settled in cursor.fetchall():
            if source not in part:
                if strength is None:
                    # An input without a row: the table is behind (a fresh install).
                    return refresh_all()
                fixed[source] = strength
                if not settled:
                    fixed_unsettled.add(source)
            links.append((source, target, relation))
        return _store(cursor, rows, links, fixed, fixed_unsettled)


def refresh_all() -> Refreshed:
    """Recompute every published argument's strength, under the same lock as `refresh`; when a
    row changed, every debate's version moves on (no write of an argument did it before)."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL, [LOCK_KEY])
        cursor.execute(_ALL_SQL, [PUBLISHED, PUBLISHED])
        rows = cursor.fetchall()
        cursor.execute(_ALL_LINKS_SQL, [PUBLISHED, PUBLISHED])
        done = _store(cursor, rows, cursor.fetchall())
        if done.written or done.deleted:
            cursor.execute("SELECT debates_touch_every_debate()")
        return done


def _store(cursor, rows, links, fixed=None, fixed_unsettled=()) -> Refreshed:
    """Compute the part in `rows` and write what differs from the rows it has now."""
    bases = {key: base_score(up, down) for key, published, up, down, *_ in rows if published}
    result = dfquad(bases, links, fixed, fixed_unsettled)
    changed: tuple[list, list, list, list] = ([], [], [], [])
    new: tuple[list, list, list, list] = ([], [], [], [])
    gone, strengths = [], {}
    for key, published, _up, _down, *stored in rows:
        if not published:
            if stored[0] is not None:
                gone.append(key)
            continue
        now = (bases[key], result.strengths[key], key not in result.unsettled)
        strengths[key] = now[1:]
        if tuple(stored) != now:
            columns = new if stored[0] is None else changed
            for column, value in zip(columns, (key, *now), strict=True):
                column.append(value)
    if changed[0]:
        cursor.execute(_UPDATE_SQL, list(changed))
    if new[0]:
        cursor.execute(_INSERT_SQL, list(new))
    if gone:
        cursor.execute(_DELETE_SQL, [gone])
    return Refreshed(
        arguments=len(bases),
        unsettled=len(result.unsettled),
        written=len(changed[0]) + len(new[0]),
        deleted=len(gone),
        strengths=strengths,
    )
