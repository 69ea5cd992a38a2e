"""Two database roles: the tables' owner, who migrates, and the app, who reads and writes rows.

The app connects as `DATABASE_URL`; that role is neither superuser nor owner of any table, so it
cannot `TRUNCATE` the audit log, disable its trigger or switch `session_replication_role`.
`manage.py migrate` connects as `DATABASE_OWNER_URL` instead and then grants the app role what it
may do: read and write the rows of every table, but only add rows to the audit log.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connections

# The connection parameters that name a role; the database's NAME (and TEST) stay the app's.
ROLE_KEYS = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
# Append-only: the app records moderation, it never rewrites or removes the record.
APPEND_ONLY_TABLES = ("debates_moderationaction",)


def owner_settings() -> dict | None:
    """The owner's connection parameters, or None when the app and the owner are one role."""
    owner, app = settings.DATABASE_OWNER, settings.DATABASE_APP
    if all(owner[key] == app[key] for key in ROLE_KEYS):
        return None
    return owner


def connect_as(role: dict, alias: str = "default") -> dict:
    """Make `alias` connect with `role`'s parameters from its next query; returns the old ones."""
    connection = connections[alias]
    saved = {key: connection.settings_dict[key] for key in ROLE_KEYS}
    if any(saved[key] != role[key] for key in ROLE_KEYS):
        connection.close()
        connection.settings_dict.update({key: role[key] for key in ROLE_KEYS})
    return saved


@contextmanager
def as_owner(alias: str = "default"):
    """Connect `alias` as the owner of the tables for the duration of the block."""
    owner = owner_settings()
    if owner is None:
        yield
        return
    saved = connect_as(owner, alias)
    try:
        yield
    finally:
        connect_as(saved, alias)


def grant_app_role(alias: str = "default") -> None:
    """Give the app role its rights on every table; run as the owner, after migrating."""
    app_role = settings.DATABASE_APP["USER"]
    if owner_settings() is None or not app_role:
        return
    connection = connections[alias]
    role = connection.ops.quote_name(app_role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        # The writes' walks and the vote are functions (debates 0012, 0014; accounts 0003):
        # granted by name, not left to PUBLIC's default, which a hardened cluster revokes.
        cursor.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {role}")
        for table in APPEND_ONLY_TABLES:
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}")
