"""A vote's member gets no index of its own: vote_one_per_member (member, argument) and
vote_user_recent (member, updated) both lead with the member. Only the index is dropped; the
foreign key stays as it is (Django's AlterField would drop and re-add it, scanning every vote).
Concurrently, outside a transaction: votes go on while it is dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("debates", "0012_version_functions_plpgsql"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="vote",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="votes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX CONCURRENTLY IF EXISTS debates_vote_user_id_394cf43a",
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS debates_vote_user_id_394cf43a "
                    "ON debates_vote (user_id)",
                ),
            ],
        ),
    ]
