from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from debates.moderation.services import moderators_group


class Command(BaseCommand):
    help = (
        "Manage the moderators: `add USERNAME` puts a member in the Moderators group, "
        "`remove USERNAME` takes them out, `list` shows who moderates."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "remove", "list"])
        parser.add_argument("username", nargs="?")

    def handle(self, *args, action, username, **options):
        group = moderators_group()
        if action == "list":
            self._list(group)
            return
        if not username:
            raise CommandError(f"Say whom to {action}: moderator {action} USERNAME")
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No member is called {username!r}.") from None
        if action == "add":
            user.groups.add(group)
            self.stdout.write(f"{user.get_username()} is a moderator now.")
        else:
            user.groups.remove(group)
            message = f"{user.get_username()} is no longer in the Moderators group."
            if user.is_superuser:
                message += " As a superuser they can still moderate."
            self.stdout.write(message)

    def _list(self, group) -> None:
        User = get_user_model()
        members = User.objects.filter(groups=group).order_by("username")
        superusers = User.objects.filter(is_superuser=True).exclude(groups=group)
        for user in members:
            self.stdout.write(user.get_username())
        for user in superusers.order_by("username"):
            self.stdout.write(f"{user.get_username()} (superuser)")
        if not members and not superusers:
            self.stdout.write("No moderators yet: python manage.py moderator add USERNAME")
