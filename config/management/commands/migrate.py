"""`manage.py migrate` as the owner of the tables, then granting the app role its rights."""

from django.core.management.commands import migrate

from config.database import as_owner, grant_app_role


class Command(migrate.Command):
    help = migrate.Command.help + " Runs as DATABASE_OWNER_URL and grants the app role its rights."

    def handle(self, *args, **options):
        with as_owner(options["database"]):
            super().handle(*args, **options)
            grant_app_role(options["database"])
