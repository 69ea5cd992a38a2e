"""How a signed-in member is loaded on each request: Django's ModelBackend, with whether they
moderate read in the same query.

Nearly every page and every write asks `is_moderator`. Asked on its own, through the ORM, it
cost a query of its own and more than a millisecond of planning and query building (its three
ways to moderate are outer joins over five tables). Here the user's row comes with
`accounts.access.MODERATES_SQL` as one more column, which `is_moderator` then reads.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import router

from accounts.access import MODERATES_PARAMS, MODERATES_SQL
from accounts.rows import fetched


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        model = get_user_model()
        # Written out (accounts.rows): through `raw()` the same statement cost twice the Python.
        found = fetched(
            model,
            router.db_for_read(model),
            f', {MODERATES_SQL} FROM "{model._meta.db_table}" member WHERE member.id = %(user)s',
            {"user": pk, **MODERATES_PARAMS},
            alias="member",
        )
        if found is None:
            return None
        user, (moderates,) = found
        user._moderates = moderates
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
