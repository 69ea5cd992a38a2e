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
from django.db import connections, router

from accounts.access import MODERATES_PARAMS, MODERATES_SQL


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        model = get_user_model()
        fields = model._meta.concrete_fields
        using = router.db_for_read(model)
        quote = connections[using].ops.quote_name
        columns = ", ".join(f"member.{quote(field.column)}" for field in fields)
        sql = (
            f"SELECT {columns}, {MODERATES_SQL} FROM {quote(model._meta.db_table)} member "
            "WHERE member.id = %(user)s"
        )
        # Written out and made into a user by `Model.from_db`, as the ORM would: through
        # `raw()` the same statement cost twice the Python (0.18 ms a request).
        with connections[using].cursor() as cursor:
            cursor.execute(sql, {"user": pk, **MODERATES_PARAMS})
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(using, [field.attname for field in fields], row[:-1])
        user._moderates = row[-1]
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
