"""Fixed-window rate limits kept in PostgreSQL, shared by all server processes.

One atomic upsert per attempt counts it and returns the new count: there is no read-then-write
race between processes. A fixed window can let through up to twice the limit around a window
boundary; for posting and voting limits that is an accepted simplification.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from accounts.models import RateLimit

_HIT_SQL = """
INSERT INTO accounts_ratelimit (key, "window", count, expires_at)
VALUES (%s, %s, 1, now() + make_interval(secs => %s))
ON CONFLICT (key, "window") DO UPDATE SET count = accounts_ratelimit.count + 1
RETURNING count
"""


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def named(cls, name: str) -> "Limit":
        count, seconds = settings.RATE_LIMITS[name]
        return cls(count, seconds)


def _key(scope: str, who: str) -> str:
    return f"{scope}:{who}"[:200]


def _window(limit: Limit) -> int:
    return int(time.time()) // limit.seconds


def hit(scope: str, who: str, limit: Limit) -> bool:
    """Count one attempt; True while the count stays within the limit."""
    with connection.cursor() as cursor:
        cursor.execute(_HIT_SQL, [_key(scope, who), _window(limit), limit.seconds])
        (count,) = cursor.fetchone()
    return count <= limit.count


def refund(scope: str, who: str, limit: Limit) -> None:
    """Give back one attempt counted by `hit` (it turned out not to count: a success)."""
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE accounts_ratelimit SET count = count - 1 WHERE key = %s AND "window" = %s '
            "AND count > 0",
            [_key(scope, who), _window(limit)],
        )


def exceeded(scope: str, who: str, limit: Limit) -> bool:
    """Whether the limit is already used up, without counting an attempt."""
    return RateLimit.objects.filter(
        key=_key(scope, who), window=_window(limit), count__gte=limit.count
    ).exists()


def reset(scope: str, who: str) -> None:
    RateLimit.objects.filter(key=_key(scope, who)).delete()


def purge_expired() -> int:
    """Delete windows that can no longer limit anything (run from cron or a task)."""
    from django.db.models.functions import Now

    deleted, _ = RateLimit.objects.filter(expires_at__lt=Now()).delete()
    return deleted
