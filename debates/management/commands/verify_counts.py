"""Check the stored vote counts against the votes themselves, and repair drift on request."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from debates import strength
from debates.models import Argument, Vote


def _counted(value: int):
    votes = (
        Vote.objects.filter(argument=OuterRef("pk"), value=value)
        .values("argument")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(votes, output_field=IntegerField()), 0)


class Command(BaseCommand):
    help = (
        "Compare every argument's up and down counts with its votes; --repair sets them from the "
        "votes and recomputes the strengths, in one transaction. Exits 1 on drift left unrepaired."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what drifted")

    def handle(self, *args, repair: bool = False, **options):
        drifted = list(
            Argument.objects.annotate(up=_counted(Vote.UP), down=_counted(Vote.DOWN))
            .exclude(Q(up_votes=F("up")) & Q(down_votes=F("down")))
            .values_list("pk", "up_votes", "down_votes", "up", "down")
        )
        for pk, up_votes, down_votes, up, down in drifted:
            self.stdout.write(
                f"argument {pk}: stored {up_votes} up / {down_votes} down, "
                f"its votes {up} up / {down} down"
            )
        if not drifted:
            self.stdout.write("All vote counts match their votes.")
            return
        if not repair:
            raise CommandError(f"{len(drifted)} arguments drifted; run with --repair to fix them.")
        with transaction.atomic():
            Argument.objects.filter(pk__in=[row[0] for row in drifted]).update(
                up_votes=_counted(Vote.UP), down_votes=_counted(Vote.DOWN)
            )
            strength.refresh([row[0] for row in drifted])
        self.stdout.write(f"Repaired {len(drifted)} arguments and their strengths.")
