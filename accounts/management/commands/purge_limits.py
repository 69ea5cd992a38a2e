"""`manage.py purge_limits`: delete limit windows and log-in waits that limit nothing any more."""

from django.core.management.base import BaseCommand

from accounts import backoff, ratelimit


class Command(BaseCommand):
    help = "Delete expired rate-limit windows and forgotten failed log-ins (run daily from cron)."

    def handle(self, *args, **options):
        windows = ratelimit.purge_expired()
        keys = backoff.purge_forgotten()
        self.stdout.write(f"{windows} expired windows and {keys} forgotten log-in keys deleted")
