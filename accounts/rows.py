"""One row read by a written-out statement and made into a model as the ORM would
(`Model.from_db`), for the reads on every request where building the ORM's query cost more
Python than PostgreSQL spent running it: the session, the member, the argument a vote locks."""

from functools import cache

from django.db import connections


@cache
def _columns(model, using: str, alias: str, leave_out: tuple[str, ...]) -> tuple[str, list[str]]:
    quote = connections[using].ops.quote_name
    fields = [field for field in model._meta.concrete_fields if field.attname not in leave_out]
    prefix = f"{alias}." if alias else ""
    columns = ", ".join(prefix + quote(field.column) for field in fields)
    return f"SELECT {columns}", [field.attname for field in fields]


def fetched(model, using: str, rest: str, params, *, alias: str = "", leave_out=()):
    """`SELECT <the model's columns> <rest>` on database `using`: the model made of the first
    row and the values of any columns `rest` adds after them, or None without a row. `alias`
    qualifies the columns; `leave_out` names fields left deferred."""
    select, names = _columns(model, using, alias, tuple(leave_out))
    with connections[using].cursor() as cursor:
        cursor.execute(f"{select}{rest}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(using, names, row[: len(names)]), row[len(names) :]
