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

from accounts.access import MODERATES_PARAMS, MODERATES_SQL


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager
        table = users.model._meta.db_table
        sql = (
            f"SELECT member.*, {MODERATES_SQL} AS _moderates "
            f'FROM "{table}" member WHERE member.id = %(user)s'
        )
        try:
            user = users.raw(sql, {"user": int(user_id), **MODERATES_PARAMS})[0]
        except (IndexError, TypeError, ValueError):
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
