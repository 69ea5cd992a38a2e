import time

from django.core.management.base import BaseCommand

from debates.strength import refresh_all


class Command(BaseCommand):
    help = (
        "Recompute every published argument's DF-QuAD strength and bring the Strength table in "
        "step (writes only rows that change). Safe while the site runs: it takes the same lock "
        "as the writes."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        done = refresh_all()
        elapsed = (time.perf_counter() - start) * 1000
        self.stdout.write(
            f"{done.arguments} arguments, {done.unsettled} unsettled, {done.written} rows "
            f"written, {done.deleted} deleted, {elapsed:.0f} ms"
        )
