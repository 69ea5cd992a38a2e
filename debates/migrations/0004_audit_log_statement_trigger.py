from django.db import migrations

# A row trigger lets "DELETE FROM debates_moderationaction" through when the table is empty
# (no row, no trigger call). A statement trigger refuses every UPDATE and DELETE statement.
# TRUNCATE stays possible for the test runner's flush between transactional tests.
STATEMENT_TRIGGER = """
DROP TRIGGER IF EXISTS moderationaction_append_only ON debates_moderationaction;
CREATE TRIGGER moderationaction_append_only
    BEFORE UPDATE OR DELETE ON debates_moderationaction
    FOR EACH STATEMENT EXECUTE FUNCTION debates_moderationaction_append_only();
"""
ROW_TRIGGER = """
DROP TRIGGER IF EXISTS moderationaction_append_only ON debates_moderationaction;
CREATE TRIGGER moderationaction_append_only
    BEFORE UPDATE OR DELETE ON debates_moderationaction
    FOR EACH ROW EXECUTE FUNCTION debates_moderationaction_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("debates", "0003_moderation")]

    operations = [migrations.RunSQL(STATEMENT_TRIGGER, ROW_TRIGGER)]
