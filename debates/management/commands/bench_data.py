"""A synthetic corpus for `make bench` (docs/benchmarks.md), made with a fixed seed.

Everything it makes is marked as the benchmark's own: debates `bench-*`, arguments with the key
`bench-<n>`, members `bench-member-<n>`. It writes with COPY, in one transaction, and once: when
the benchmark's debates are there it changes nothing. `make bench` runs it in a database of its
own (`tegenspraak_bench`), so the real corpus is never touched.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from debates import strength
from debates.models import Debate

WORDS = [
    "klant",
    "centraal",
    "klantgerichtheid",
    "dienstverlening",
    "overheid",
    "burger",
    "loket",
    "wachttijd",
    "systeem",
    "medewerker",
    "regel",
    "beleid",
    "vertrouwen",
    "gemeente",
    "uitvoering",
    "toeslag",
    "formulier",
    "menselijke",
    "maat",
    "maatwerk",
    "aandacht",
    "kosten",
    "efficiency",
    "controle",
    "fraude",
    "wantrouwen",
    "professional",
    "ruimte",
    "verantwoording",
    "bureaucratie",
    "digitaal",
    "telefoon",
    "website",
    "afspraak",
    "klacht",
    "oplossing",
    "procedure",
    "wet",
    "rechtvaardigheid",
    "gelijkheid",
    "uitzondering",
    "keuze",
    "markt",
    "concurrentie",
    "zorg",
    "onderwijs",
    "patiënt",
    "leerling",
    "ouder",
    "cliënt",
    "consument",
    "product",
    "winst",
    "publiek",
    "belang",
    "verandering",
    "cultuur",
    "management",
    "sturing",
    "prestatie",
    "meting",
    "kwaliteit",
    "tevredenheid",
]
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Corpus:
    """The rows to write, in memory: the same for the same seed and sizes."""

    users: list[str] = field(default_factory=list)
    # (key, text, up, down)
    arguments: list[tuple[str, str, int, int]] = field(default_factory=list)
    # (source index, target index, relation), indices into `arguments`
    links: list[tuple[int, int, str]] = field(default_factory=list)
    # (user index, argument index, value)
    votes: list[tuple[int, int, int]] = field(default_factory=list)
    # (slug, title, thesis index, position)
    debates: list[tuple[str, str, int, int]] = field(default_factory=list)


def generate(seed: int, small: int, large: int, total: int, votes: int, members: int) -> Corpus:
    """A debate of `small` arguments, one of `large` with cycles, nine small ones (the list
    page shows twelve rows), and loose arguments up to `total` for search; `votes` votes."""
    rng = random.Random(seed)
    corpus = Corpus(users=[f"bench-member-{n:05d}" for n in range(members)])
    pairs = set()

    def argument() -> int:
        n = len(corpus.arguments)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24)))
        corpus.arguments.append((f"bench-{n}", f"Stelling {n}: {words}.", 0, 0))
        return n

    def link(source: int, target: int) -> bool:
        pair = (min(source, target), max(source, target))
        if source == target or pair in pairs:
            return False
        pairs.add(pair)
        corpus.links.append((source, target, "attack" if rng.random() < 0.55 else "support"))
        return True

    def debate(slug: str, title: str, size: int, cycles: int) -> None:
        thesis = argument()
        corpus.debates.append((slug, title, thesis, len(corpus.debates)))
        first = max(3, min(20, size // 50))  # answers to the thesis
        second = first * 5  # answers to those
        members = [thesis]
        for k in range(1, size):
            n = argument()
            if k <= first:
                target = thesis
            elif k <= first + second:
                target = members[1 + (k - first - 1) % first]
            else:
                target = members[rng.randrange(1 + first, len(members))]
            link(n, target)
            members.append(n)
        added = 0
        while added < cycles:  # an older argument answering a newer one closes a cycle
            a, b = sorted(rng.sample(members[1:], 2))
            added += link(a, b)

    debate("bench-1k", "Benchmark: een debat van duizend argumenten", small, 0)
    debate("bench-10k", "Benchmark: een debat van tienduizend argumenten", large, large // 20)
    for n in range(9):
        debate(f"bench-small-{n}", f"Benchmark: klein debat {n}", 10, 0)
    while len(corpus.arguments) < total:
        argument()
    chosen = set()
    in_debates = small + large
    while len(chosen) < min(votes, members * in_debates):
        chosen.add((rng.randrange(members), rng.randrange(in_debates)))
    counts = [[0, 0] for _ in corpus.arguments]
    for user, target in sorted(chosen):
        value = 1 if rng.random() < 0.6 else -1
        corpus.votes.append((user, target, value))
        counts[target][value < 0] += 1
    corpus.arguments = [
        (key, text, *counts[n]) for n, (key, text, _up, _down) in enumerate(corpus.arguments)
    ]
    return corpus


def _copy(cursor, table: str, columns: str, rows) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class Command(BaseCommand):
    help = (
        "Make the benchmark's synthetic corpus (fixed seed, COPY, once): debates bench-1k and "
        "bench-10k (with cycles), nine small ones, loose arguments for search, votes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=10)
        parser.add_argument("--small", type=int, default=1_000)
        parser.add_argument("--large", type=int, default=10_000)
        parser.add_argument("--total", type=int, default=100_000)
        parser.add_argument("--votes", type=int, default=100_000)
        parser.add_argument("--members", type=int, default=1_000)

    def handle(self, *args, seed, small, large, total, votes, members, **options):
        if min(small, large) < 10 or members < 1 or votes < 0:
            raise CommandError("The debates need at least 10 arguments and one member.")
        if Debate.objects.filter(slug__startswith="bench-").exists():
            self.stdout.write("bench data: there already, unchanged")
            return
        corpus = generate(seed, small, large, max(total, small + large + 90), votes, members)
        password = make_password(None)  # members log in through sessions the benchmark makes
        with transaction.atomic(), connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            _copy(
                cursor,
                "auth_user",
                "password, is_superuser, username, first_name, last_name, email, is_staff, "
                "is_active, date_joined",
                ((password, False, name, "", "", "", False, True, EPOCH) for name in corpus.users),
            )
            _copy(
                cursor,
                "debates_argument",
                "key, text, quote, status, up_votes, down_votes, created_at, updated_at, "
                "moderation_reason, pinned, quote_state, quote_prefix, quote_suffix, drift_text",
                (
                    (
                        key,
                        text,
                        "",
                        "published",
                        up,
                        down,
                        EPOCH,
                        EPOCH,
                        "",
                        False,
                        "anchored",
                        "",
                        "",
                        "",
                    )
                    for key, text, up, down in corpus.arguments
                ),
            )
            cursor.execute("SELECT key, id FROM debates_argument WHERE key LIKE 'bench-%%'")
            ids = dict(cursor.fetchall())
            argument_id = [ids[key] for key, *_rest in corpus.arguments]
            cursor.execute(
                "SELECT id FROM auth_user WHERE username LIKE 'bench-member-%%' ORDER BY username"
            )
            user_id = [row[0] for row in cursor.fetchall()]
            _copy(
                cursor,
                "debates_link",
                "source_id, target_id, relation, created_at",
                ((argument_id[s], argument_id[t], r, EPOCH) for s, t, r in corpus.links),
            )
            _copy(
                cursor,
                "debates_vote",
                "user_id, argument_id, value, created_at, updated_at",
                ((user_id[u], argument_id[a], v, EPOCH, EPOCH) for u, a, v in corpus.votes),
            )
            _copy(
                cursor,
                "debates_debate",
                "slug, title, description, status, position, created_at, thesis_id, premoderated",
                (
                    (slug, title, "", "open", 100 + position, EPOCH, argument_id[thesis], False)
                    for slug, title, thesis, position in corpus.debates
                ),
            )
            cursor.execute("ANALYZE")
            strength.refresh_all()
        self.stdout.write(
            f"bench data: {len(corpus.arguments)} arguments, {len(corpus.links)} links, "
            f"{len(corpus.votes)} votes, {len(corpus.debates)} debates, "
            f"{len(corpus.users)} members"
        )
