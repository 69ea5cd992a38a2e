from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from debates.corpus import DEFAULT_PATH, CorpusError, load_corpus


class Command(BaseCommand):
    help = (
        "Load the extracted arguments, their links and the debates from a TOML file "
        "(default: debates/corpus/arguments.toml). Idempotent; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            reports = load_corpus(Path(path))
        except CorpusError as error:
            raise CommandError(str(error)) from None
        for name, report in reports.items():
            self.stdout.write(
                f"{name}: {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged"
            )
