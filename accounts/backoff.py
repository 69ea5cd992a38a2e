"""A delay that grows with every failed log-in, instead of a wall.

Each key (a username, an address, a username from one address, a member's own browser) has a few
free attempts; after those, an attempt is taken only once 1, 2, 4, 8 ... seconds (at most
15 minutes) have passed since the last one. Counting and checking are one upsert, so parallel
attempts cannot slip past it. A success clears its key; a quiet hour forgets a key.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F

from accounts.models import Backoff

FORGET_SECONDS = 3600

# Counted only while allowed: the WHERE leaves a refused attempt out (no row comes back).
_ATTEMPT_SQL = """
INSERT INTO accounts_backoff (key, attempts, last_at) VALUES (%(key)s, 1, statement_timestamp())
ON CONFLICT (key) DO UPDATE SET
    attempts = CASE
        WHEN accounts_backoff.last_at < statement_timestamp() - make_interval(secs => %(forget)s)
        THEN 1 ELSE accounts_backoff.attempts + 1 END,
    last_at = statement_timestamp()
WHERE accounts_backoff.attempts < %(free)s
   OR statement_timestamp() >= accounts_backoff.last_at
        + least(%(cap)s, %(base)s * power(2, accounts_backoff.attempts - %(free)s)) * interval '1s'
RETURNING attempts
"""

_WAIT_SQL = """
SELECT ceil(extract(epoch FROM last_at
        + least(%(cap)s, %(base)s * power(2, attempts - %(free)s)) * interval '1s'
        - statement_timestamp()))
FROM accounts_backoff WHERE key = %(key)s
"""


@dataclass(frozen=True)
class Delay:
    free: int  # attempts without any wait
    base: float = 1.0  # seconds of the first wait, doubling after each further attempt
    cap: float = 900.0  # the longest wait


def _params(scope: str, who: str, delay: Delay) -> dict:
    return {
        "key": f"{scope}:{who}"[:200],
        "free": delay.free,
        "base": delay.base,
        "cap": delay.cap,
        "forget": FORGET_SECONDS,
    }


def attempt(scope: str, who: str, delay: Delay) -> bool:
    """Count one attempt if it may be made now; False (and nothing counted) if it must wait."""
    with connection.cursor() as cursor:
        cursor.execute(_ATTEMPT_SQL, _params(scope, who, delay))
        return cursor.fetchone() is not None


def wait(scope: str, who: str, delay: Delay) -> int:
    """Seconds until this key may try again (0 when it may now)."""
    with connection.cursor() as cursor:
        cursor.execute(_WAIT_SQL, _params(scope, who, delay))
        row = cursor.fetchone()
    return max(0, int(row[0])) if row and row[0] is not None else 0


def refund(scope: str, who: str) -> None:
    """Give back one attempt (it turned out not to count)."""
    Backoff.objects.filter(key=f"{scope}:{who}"[:200], attempts__gt=0).update(
        attempts=F("attempts") - 1
    )


def clear(scope: str, who: str) -> None:
    Backoff.objects.filter(key=f"{scope}:{who}"[:200]).delete()


def purge_forgotten() -> int:
    """Delete keys quiet for longer than FORGET_SECONDS (they limit nothing any more)."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(seconds=FORGET_SECONDS)
    deleted, _ = Backoff.objects.filter(last_at__lt=cutoff).delete()
    return deleted
