"""The two version functions the triggers call on every write, rewritten in PL/pgSQL.

PostgreSQL plans the body of a LANGUAGE sql function anew at each call (its plans are not kept
between calls before PostgreSQL 18): the walk from the changed arguments up to the theses cost
5 ms a write, several times in a vote's transaction, while every other writer waited on the
content row. PL/pgSQL keeps a session's plans: 0.5 ms. Same statements, same lock order.
"""

from django.db import migrations

# The walk from the given arguments up to the theses their links lead to, and the debates of
# those theses moved on (locked in id order): the same statement in either language.
TOUCH = """
    WITH RECURSIVE up(id) AS (
        SELECT unnest(arguments)
        UNION
        SELECT link.target_id FROM debates_link link JOIN up ON link.source_id = up.id
    ), touched AS (
        SELECT version.debate_id FROM debates_debate_version version
        JOIN debates_debate debate ON debate.id = version.debate_id
        WHERE debate.thesis_id IN (SELECT id FROM up)
        ORDER BY version.debate_id
        FOR NO KEY UPDATE OF version
    )
    UPDATE debates_debate_version SET value = nextval('debates_content_version_seq')
    WHERE debate_id IN (SELECT debate_id FROM touched);
"""
BUMP = "UPDATE debates_content_version SET value = nextval('debates_content_version_seq');"

FORWARD = f"""
CREATE OR REPLACE FUNCTION debates_bump_content_version() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    {BUMP}
END $$;

CREATE OR REPLACE FUNCTION debates_touch_debates(arguments bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
{TOUCH}
END $$;
"""

BACKWARD = f"""
CREATE OR REPLACE FUNCTION debates_bump_content_version() RETURNS void LANGUAGE sql AS $$
    {BUMP}
$$;

CREATE OR REPLACE FUNCTION debates_touch_debates(arguments bigint[]) RETURNS void
LANGUAGE sql AS $$
{TOUCH}
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("debates", "0011_debate_versions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
