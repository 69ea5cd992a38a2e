"""Reads from streaming replicas, writes to the primary, and a member reads their own writes.

`DATABASE_REPLICA_URLS` names hot standbys of the primary (`DATABASES["replica1"]`, ...). Only a
request that cannot change anything reads from them: a GET or HEAD from a browser that has not
written in the last `REPLICA_PIN_SECONDS`. Every other request, every management command and every
task uses the primary for everything, so transactions, row locks and counts never see a replica.
After a write the browser carries a short-lived cookie that pins its reads to the primary until
the replicas have caught up (replication lag is normally milliseconds; the pin lasts seconds).
"""

import random
from contextvars import ContextVar

from django.conf import settings

PIN_COOKIE = "tegenspraak_primary"
# The replica this request reads from, chosen once per request (None: the primary), so all of a
# request's reads see one database at one moment: a page and the version it is kept under agree.
_replica: ContextVar[str | None] = ContextVar("replica", default=None)


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _replica.get() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Decide per request whether its reads may go to a replica, and pin writers to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (aliases := replicas()):
            return self.get_response(request)
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        reads = random.choice(aliases) if safe and PIN_COOKIE not in request.COOKIES else None
        token = _replica.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _replica.reset(token)
        if not safe:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
