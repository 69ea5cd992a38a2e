"""Writes walk the graph on plans made once per connection, and strength rows walk it no more.

Every write walks links: up to the theses to move the debates' versions on (0011), up to the
debates to see whether they are open (debates.policy), and a strength refresh through the part
it recomputes (debates.strength). Sent as SQL, each walk was planned anew at every call, and the
planning (0.3-0.5 ms a walk) cost several times its running. These walks now run in PL/pgSQL
functions, whose plans a connection keeps: generic plans, made without the join methods that a
planner would pick for a part it cannot see (a hash of every link, 8 ms, where following the
links' indexes from the few arguments of a part takes 0.1 ms).

A strength row written no longer walks up to the theses: its write already has.
`debates.strength.refresh` is called by a write after its own changes to the arguments it
passes (their votes or status, a link added, moved or removed), and those changes fired 0011's
triggers, which moved on every debate those arguments lead to. The rows refresh then writes are
theirs and those of what they reach, so of the same debates. No other write can add a link in
between: every writer queues on the content row (0010) from its first write to its commit.
`refresh` bumps the content version itself with its lock, so the content trigger on this table
goes too. `refresh_all` (a new install, a changed formula) has no write before it: it moves every
debate on itself (`debates_touch_every_debate`) when it changed a row.
"""

from django.db import migrations

# Plans kept per connection, generic, following links by their indexes.
PLANNED = (
    "SET plan_cache_mode = force_generic_plan SET enable_hashjoin = off "
    "SET enable_mergejoin = off"
)
# The starts and every published argument they reach by following links (a start no longer
# published still leads to what it used to attack or support).
PART = """
    WITH RECURSIVE part(id) AS (
        SELECT unnest(starts)
        UNION
        SELECT link.target_id FROM debates_link link
        JOIN part ON link.source_id = part.id
        JOIN debates_argument target ON target.id = link.target_id AND target.status = 'published'
    )"""

FORWARD = f"""
DROP TRIGGER debate_version_insert ON debates_strength;
DROP TRIGGER debate_version_update_new ON debates_strength;
DROP TRIGGER debate_version_delete ON debates_strength;
DROP TRIGGER debate_version_truncate ON debates_strength;
DROP TRIGGER content_version ON debates_strength;
DROP FUNCTION debates_strength_touched();

-- Every debate moved on (locked in id order), after the content row like every writer.
CREATE FUNCTION debates_touch_every_debate() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM debates_debate_version ORDER BY debate_id FOR NO KEY UPDATE;
    UPDATE debates_debate_version SET value = nextval('debates_content_version_seq');
END $$;

ALTER FUNCTION debates_touch_debates(bigint[]) {PLANNED};

-- The part a strength refresh recomputes: its arguments with their votes and stored scores.
CREATE FUNCTION debates_strength_part(starts bigint[]) RETURNS TABLE (
    id bigint, published boolean, up_votes integer, down_votes integer,
    base double precision, strength double precision, settled boolean
) LANGUAGE plpgsql STABLE {PLANNED} AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY {PART}
    SELECT argument.id, argument.status = 'published', argument.up_votes, argument.down_votes,
           score.base, score.strength, score.settled
    FROM part JOIN debates_argument argument ON argument.id = part.id
    LEFT JOIN debates_strength score ON score.argument_id = argument.id;
END $$;

-- The published links into the part's published arguments, with the stored score of each source.
CREATE FUNCTION debates_strength_inputs(starts bigint[]) RETURNS TABLE (
    source_id bigint, target_id bigint, relation text,
    strength double precision, settled boolean
) LANGUAGE plpgsql STABLE {PLANNED} AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY {PART}
    SELECT link.source_id, link.target_id, link.relation::text, score.strength, score.settled
    FROM debates_link link
    JOIN debates_argument target ON target.id = link.target_id AND target.status = 'published'
    JOIN debates_argument source ON source.id = link.source_id AND source.status = 'published'
    LEFT JOIN debates_strength score ON score.argument_id = link.source_id
    WHERE link.target_id = ANY(ARRAY(SELECT part.id FROM part));
END $$;

-- The debates an argument belongs to (those whose thesis it reaches), locked for share in id
-- order: a moderator's lock (FOR UPDATE) waits for the writes under way, and they see a lock
-- committed before them.
CREATE FUNCTION debates_of_argument(argument bigint) RETURNS TABLE (
    id bigint, title text, status text
) LANGUAGE plpgsql {PLANNED} AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH RECURSIVE reach(id) AS (
        SELECT argument
        UNION
        SELECT link.target_id FROM debates_link link JOIN reach ON link.source_id = reach.id
    )
    SELECT debate.id, debate.title::text, debate.status::text FROM debates_debate debate
    WHERE debate.thesis_id IN (SELECT reach.id FROM reach)
    ORDER BY debate.id
    FOR SHARE OF debate;
END $$;

-- A member's vote set to `wanted` (1 up, -1 down, 0 none) and the argument's counters moved by the
-- difference, in one statement (its parts see the same snapshot: `old` is the vote before it).
-- Nothing is written when the vote is what it was (no row). The caller holds the argument's
-- row lock, so no other vote on it by this member runs in between.
CREATE FUNCTION debates_cast_vote(member integer, argument bigint, wanted integer)
RETURNS TABLE (up_votes integer, down_votes integer) LANGUAGE plpgsql {PLANNED} AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH old AS (
        SELECT coalesce(
            (SELECT value FROM debates_vote WHERE user_id = member AND argument_id = argument),
            0
        ) AS value
    ), removed AS (
        DELETE FROM debates_vote
        WHERE wanted = 0 AND user_id = member AND argument_id = argument
    ), upserted AS (
        INSERT INTO debates_vote (user_id, argument_id, value, created_at, updated_at)
        SELECT member, argument, wanted, now(), now() WHERE wanted <> 0
        ON CONFLICT (user_id, argument_id) DO UPDATE
        SET value = excluded.value, updated_at = excluded.updated_at
        WHERE debates_vote.value <> excluded.value
    )
    UPDATE debates_argument counted
    SET up_votes = counted.up_votes + (wanted = 1)::int - (old.value = 1)::int,
        down_votes = counted.down_votes + (wanted = -1)::int - (old.value = -1)::int
    FROM old
    WHERE counted.id = argument AND old.value <> wanted
    RETURNING counted.up_votes, counted.down_votes;
END $$;
"""

BACKWARD = """
DROP FUNCTION debates_cast_vote(integer, bigint, integer);
DROP FUNCTION debates_of_argument(bigint);
DROP FUNCTION debates_strength_inputs(bigint[]);
DROP FUNCTION debates_strength_part(bigint[]);
ALTER FUNCTION debates_touch_debates(bigint[]) RESET ALL;
DROP FUNCTION debates_touch_every_debate();
CREATE FUNCTION debates_strength_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM debates_touch_debates(ARRAY(SELECT argument_id FROM changed));
    RETURN NULL;
END $$;
CREATE TRIGGER content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON debates_strength
    FOR EACH STATEMENT EXECUTE FUNCTION debates_content_changed();
CREATE TRIGGER debate_version_insert AFTER INSERT ON debates_strength
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION debates_strength_touched();
CREATE TRIGGER debate_version_update_new AFTER UPDATE ON debates_strength
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION debates_strength_touched();
CREATE TRIGGER debate_version_delete AFTER DELETE ON debates_strength
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION debates_strength_touched();
CREATE TRIGGER debate_version_truncate AFTER TRUNCATE ON debates_strength
    FOR EACH STATEMENT EXECUTE FUNCTION debates_touch_all_debates();
"""


class Migration(migrations.Migration):
    dependencies = [("debates", "0013_vote_member_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
