import random
import statistics
import time

from django.core.management.base import BaseCommand

from debates.strength import base_score, dfquad


def synthetic_graph(seed: int, arguments: int, links: int, debates: int):
    """Debates as they grow: each answer attacks or supports an earlier argument of its debate,
    then members link existing arguments, mostly a newer one to an older one; the few links the
    other way close cycles."""
    rng = random.Random(seed)
    bases = {
        key: base_score(int(rng.expovariate(1 / 4)), int(rng.expovariate(1 / 3)))
        for key in range(1, arguments + 1)
    }
    size = arguments // debates
    edges, pairs = [], set()

    def add(source, target):
        pair = (min(source, target), max(source, target))
        if source != target and pair not in pairs:
            pairs.add(pair)
            edges.append((source, target, "attack" if rng.random() < 0.55 else "support"))

    for key in range(1, arguments + 1):
        first = (key - 1) // size * size + 1
        if key > first:
            add(key, rng.randrange(first, key))
    while len(edges) < links:
        a = rng.randrange(1, arguments + 1)
        if rng.random() < 0.8:  # within its debate
            first = (a - 1) // size * size + 1
            b = rng.randrange(first, min(first + size, arguments + 1))
        else:
            b = rng.randrange(1, arguments + 1)
        newer, older = max(a, b), min(a, b)
        if rng.random() < 0.05:
            newer, older = older, newer
        add(newer, older)
    return bases, edges


class Command(BaseCommand):
    help = (
        "Time the DF-QuAD engine (debates.strength.dfquad) on a synthetic graph built in memory "
        "with a fixed seed; prints the median of several runs. Touches no database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--arguments", type=int, default=10_000)
        parser.add_argument("--links", type=int, default=15_000)
        parser.add_argument("--debates", type=int, default=100)
        parser.add_argument("--runs", type=int, default=9)
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args, arguments, links, debates, runs, seed, **options):
        bases, edges = synthetic_graph(seed, arguments, links, debates)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            result = dfquad(bases, edges)
            times.append(time.perf_counter() - start)
        self.stdout.write(
            f"dfquad: {len(bases)} arguments, {len(edges)} links, "
            f"{len(result.unsettled)} unsettled: median {statistics.median(times) * 1000:.1f} ms "
            f"(best {min(times) * 1000:.1f} ms, {runs} runs, seed {seed})"
        )
