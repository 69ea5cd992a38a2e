from django.db import migrations

# One number that every committed change to what the pages show moves on: the debate pages'
# caches are keyed by it (debates/pagecache.py). The trigger bumps it in the writing transaction
# itself, so a reader sees the new number exactly when it sees the change. Each bump draws a
# fresh value from a sequence: a number a rolled-back transaction used is never used again.
# Once per statement: the first write of a transaction takes the row's lock, which its later
# writes already hold; writers of page content queue there, as they queue on the strength lock.
TABLES = [
    "debates_argument",
    "debates_link",
    "debates_debate",
    "debates_strength",
    "articles_article",
    "articles_comment",
]
FORWARD = """
CREATE SEQUENCE debates_content_version_seq;
CREATE TABLE debates_content_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    value bigint NOT NULL
);
INSERT INTO debates_content_version VALUES (true, nextval('debates_content_version_seq'));

CREATE FUNCTION debates_bump_content_version() RETURNS void LANGUAGE sql AS $$
    UPDATE debates_content_version SET value = nextval('debates_content_version_seq');
$$;

CREATE FUNCTION debates_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM debates_bump_content_version();
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION debates_content_changed();
"""
    for table in TABLES
) + """
-- Members: only a new name shows on the pages (a log-in, which sets last_login, does not).
CREATE TRIGGER content_version AFTER UPDATE OF username OR DELETE OR TRUNCATE ON auth_user
    FOR EACH STATEMENT EXECUTE FUNCTION debates_content_changed();
"""
BACKWARD = "".join(f"DROP TRIGGER content_version ON {table};\n" for table in [*TABLES, "auth_user"]) + """
DROP FUNCTION debates_content_changed();
DROP FUNCTION debates_bump_content_version();
DROP TABLE debates_content_version;
DROP SEQUENCE debates_content_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("debates", "0009_quote_anchoring"),
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
