"""Sessions: Django's database store, its one read written out.

Every request of a signed-in member reads its session first. Through the ORM (`objects.get`)
that read spent 0.3 ms of Python building the same statement each time; written out and made
into a Session by `Model.from_db`, as the ORM would, it takes 0.1 ms. It reads where the ORM
would (the database router: a replica for a safe request). Writing, expiry and new keys are
Django's. SESSION_ENGINE names this module.
"""

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from accounts.rows import fetched


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        """Django makes keys of 32 lowercase letters and digits. A forged cookie's key with
        anything else (a NUL byte, which PostgreSQL refuses in text) names no session, and is
        not looked up."""
        return bool(key) and len(key) >= 8 and key.isascii() and key.isalnum()

    def _get_session_from_db(self):
        model = self.model
        expires = model._meta.get_field("expire_date").column
        using = router.db_for_read(model)
        found = fetched(
            model,
            using,
            f' FROM "{model._meta.db_table}" WHERE "{model._meta.pk.column}" = %s'
            f' AND "{expires}" > %s',
            [self.session_key, timezone.now()],
        )
        if found is None:
            self._session_key = None
            return None
        return found[0]
