import json

from django.core.management.base import BaseCommand, CommandError

from articles.services import ImportRefused, import_items, read_files


class Command(BaseCommand):
    help = (
        "Import articles and their reader comments from raw page dumps "
        "(see docs/import-format.md). "
        "All files are imported or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="page dump files (.txt)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be imported; write nothing"
        )
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="with --dry-run: print the parsed files as JSON",
        )

    def handle(self, *args, paths, dry_run, as_json, **options):
        if as_json and not dry_run:
            raise CommandError("--json only works together with --dry-run")
        try:
            items = read_files(paths)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None

        if dry_run:
            if as_json:
                self.stdout.write(
                    json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2)
                )
            else:
                for item in items:
                    self._describe(item)
            return

        try:
            outcomes = import_items(items)
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        for outcome in outcomes:
            self.stdout.write(
                f"{outcome.status:9} {outcome.article.slug} "
                f"({len(outcome.item.article.comments)} comments)"
            )
        counts = {s: sum(o.status == s for o in outcomes) for s in ("created", "updated")}
        unchanged = len(outcomes) - sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(outcomes)} files: {counts['created']} created, {counts['updated']} updated, "
                f"{unchanged} unchanged"
            )
        )

    def _describe(self, item) -> None:
        article = item.article
        self.stdout.write(self.style.MIGRATE_HEADING(f"{item.path}: {article.title}"))
        published = article.published.isoformat() if article.published else "-"
        self.stdout.write(
            f"  author: {article.author or '-'}   published: {published}   "
            f"source: {article.source or '-'}"
        )
        kinds = [block.kind for block in article.body]
        self.stdout.write(
            f"  body: {kinds.count('paragraph')} paragraphs, {kinds.count('heading')} headings, "
            f"{kinds.count('list_item')} list items"
        )
        for warning in article.warnings():
            self.stdout.write(self.style.WARNING(f"  warning: {warning['message']}"))
        self.stdout.write(f"  comments: {len(article.comments)}")
        for position, comment in enumerate(article.comments, start=1):
            badge = f" [{comment.badge}]" if comment.badge else ""
            author = " (author)" if comment.by_article_author else ""
            reply = ""
            if comment.reply_to is not None:
                target = article.comments[comment.reply_to]
                reply = f" -> #{comment.reply_to + 1} {target.author}"
            self.stdout.write(f"    #{position} {comment.author}{badge}{author}{reply}")
