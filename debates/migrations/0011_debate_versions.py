from django.db import migrations

# A version per debate beside the one for all content (0010): a write moves on the versions of
# the debates it reaches, so a debate's page and map are rendered anew when that debate changed,
# not when any debate did (debates/pagecache.py). The debates a write reaches are those whose
# thesis the changed arguments lead to by links; a change of an article, a comment or a
# member's name (shown as sources and authors anywhere) moves every debate on.
#
# The triggers run after 0010's (AFTER triggers of one event fire in name order, and
# "content_version" comes before "debate_version"), so every writer takes the one content row
# first and queues there: the debates' rows are never taken in two orders at once. No foreign key
# to debates_debate: a TRUNCATE of the debates (Django's flush) leaves the versions, and a new
# debate with an old id takes its row over.
TOUCHED = {
    # table: (the ids of the arguments a changed row is about, in the transition table `changed`)
    "debates_argument": "SELECT id FROM changed",
    "debates_link": "SELECT source_id FROM changed UNION SELECT target_id FROM changed",
    "debates_strength": "SELECT argument_id FROM changed",
}
# Only a link's update can change what a row is about (a link moved to another argument).
BEFORE_TOO = {"debates_link"}
EVERYTHING = ["articles_article", "articles_comment"]

FORWARD = (
    """
CREATE TABLE debates_debate_version (
    debate_id bigint PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO debates_debate_version
SELECT id, nextval('debates_content_version_seq') FROM debates_debate;

-- The debates whose thesis these arguments lead to, each moved on (locked in id order).
CREATE FUNCTION debates_touch_debates(arguments bigint[]) RETURNS void LANGUAGE sql AS $$
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
$$;

CREATE FUNCTION debates_touch_all_debates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM debates_debate_version ORDER BY debate_id FOR NO KEY UPDATE;
    UPDATE debates_debate_version SET value = nextval('debates_content_version_seq');
    RETURN NULL;
END $$;

-- A debate of its own: a new one gets its row, a changed one (title, thesis, lock) moves on.
CREATE FUNCTION debates_debate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO debates_debate_version VALUES (NEW.id, nextval('debates_content_version_seq'))
    ON CONFLICT (debate_id) DO UPDATE SET value = excluded.value;
    RETURN NULL;
END $$;
CREATE TRIGGER debate_version AFTER INSERT OR UPDATE ON debates_debate
    FOR EACH ROW EXECUTE FUNCTION debates_debate_changed();
"""
    + "".join(
        f"""
CREATE FUNCTION {table}_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM debates_touch_debates(ARRAY({ids}));
    RETURN NULL;
END $$;
CREATE TRIGGER debate_version_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {table}_touched();
CREATE TRIGGER debate_version_update_new AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {table}_touched();
{before_too}CREATE TRIGGER debate_version_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {table}_touched();
CREATE TRIGGER debate_version_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION debates_touch_all_debates();
"""
        for table, ids in TOUCHED.items()
        for before_too in [
            f"""CREATE TRIGGER debate_version_update_old AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {table}_touched();
"""
            if table in BEFORE_TOO
            else ""
        ]
    )
    + "".join(
        f"""
CREATE TRIGGER debate_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION debates_touch_all_debates();
"""
        for table in EVERYTHING
    )
    + """
CREATE TRIGGER debate_version AFTER UPDATE OF username OR DELETE OR TRUNCATE ON auth_user
    FOR EACH STATEMENT EXECUTE FUNCTION debates_touch_all_debates();
"""
)

BACKWARD = (
    "".join(
        f"""
DROP TRIGGER debate_version_insert ON {table};
DROP TRIGGER debate_version_update_new ON {table};
DROP TRIGGER IF EXISTS debate_version_update_old ON {table};
DROP TRIGGER debate_version_delete ON {table};
DROP TRIGGER debate_version_truncate ON {table};
DROP FUNCTION {table}_touched();
"""
        for table in TOUCHED
    )
    + "".join(f"DROP TRIGGER debate_version ON {table};\n" for table in EVERYTHING)
    + """
DROP TRIGGER debate_version ON auth_user;
DROP TRIGGER debate_version ON debates_debate;
DROP FUNCTION debates_debate_changed();
DROP FUNCTION debates_touch_all_debates();
DROP FUNCTION debates_touch_debates(bigint[]);
DROP TABLE debates_debate_version;
"""
)


class Migration(migrations.Migration):
    dependencies = [("debates", "0010_content_version")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
