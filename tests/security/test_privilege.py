"""Least privilege: the app connects as a role that owns nothing and may only add to the audit log.

The tests themselves run as that role (conftest.py); the owner of the tables, who migrates, is
reached through a connection of its own.
"""

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from debates.models import ModerationAction
from debates.moderation.services import moderate_argument
from tests.factories import UserFactory

AUDIT = "debates_moderationaction"
PUBLIC_RELATIONS = (
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = 'public'"
)


def owner_connection() -> psycopg.Connection:
    owner = settings.DATABASE_OWNER
    return psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=owner["USER"],
        password=owner["PASSWORD"] or None,
        host=owner["HOST"] or None,
        port=owner["PORT"] or None,
        autocommit=True,
    )


def refused(sql: str) -> str:
    """The database's message when the app role runs `sql`."""
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(error.value)


@pytest.mark.django_db
def test_the_app_role_is_no_superuser_and_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False)
        cursor.execute(
            PUBLIC_RELATIONS
            + " AND c.relowner = (SELECT oid FROM pg_roles r WHERE r.rolname = current_user)"
        )
        assert cursor.fetchone() == (0,)
        cursor.execute(PUBLIC_RELATIONS + " AND c.relkind = 'r'")
        assert cursor.fetchone()[0] > 10  # and it sees the tables
    assert "permission denied" in refused("CREATE TABLE intruder (id int)")
    assert "must be owner" in refused("ALTER TABLE debates_argument ADD COLUMN intruder int")


@pytest.mark.django_db
def test_the_app_role_cannot_erase_or_bypass_the_audit_log(graph):
    moderator = UserFactory(is_superuser=True)
    moderate_argument(moderator, graph["konrad-geen-vrijbrief"], "hide", "Persoonlijke aanval.")
    assert ModerationAction.objects.count() == 1  # adding to the log is what it may do

    assert "permission denied" in refused(f"TRUNCATE {AUDIT}")
    assert "permission denied" in refused(f"DELETE FROM {AUDIT}")
    assert "permission denied" in refused(f"UPDATE {AUDIT} SET reason = 'Uitgewist.'")
    assert "must be owner" in refused(f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL")
    assert "permission denied" in refused("SET session_replication_role = replica")
    assert "permission denied" in refused("DELETE FROM django_migrations")
    assert ModerationAction.objects.get().reason == "Persoonlijke aanval."


@pytest.mark.django_db
def test_even_the_owner_cannot_change_the_log_past_its_trigger():
    with owner_connection() as owner, owner.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (settings.DATABASE_OWNER["USER"], False)
        for sql in (f"DELETE FROM {AUDIT}", f"UPDATE {AUDIT} SET reason = ''"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                cursor.execute(sql)
