"""A change of a debate (a new one, a title, a thesis, a lock) takes the content row first.

Every writer takes the one content row before the debates' version rows (0010, 0011): so the
version rows are never taken in two orders and two writers cannot deadlock there. The debate's
own trigger broke that order: it runs for each row, and row triggers fire before the statement
triggers that bump the content version, so a moderator locking a debate took its version row
and then waited for the content row, which a hide or a merge under way held while waiting for
that version row. Now the debate's trigger bumps the content version before its version row
(the statement trigger's bump after it finds the row already taken).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION debates_debate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM debates_bump_content_version();
    INSERT INTO debates_debate_version VALUES (NEW.id, nextval('debates_content_version_seq'))
    ON CONFLICT (debate_id) DO UPDATE SET value = excluded.value;
    RETURN NULL;
END $$;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION debates_debate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO debates_debate_version VALUES (NEW.id, nextval('debates_content_version_seq'))
    ON CONFLICT (debate_id) DO UPDATE SET value = excluded.value;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("debates", "0014_writes_plan_once")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
