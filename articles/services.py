"""Importing page dumps into articles and their comment threads."""

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.dispatch import Signal
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import require_moderator
from articles.models import BLOCK_SEPARATOR, Article, Comment
from articles.parser import ParsedArticle, ParseError, parse_bytes

# Sent inside the import's transaction after an article's text and thread were replaced, so the
# layer above can find the quotes anchored in them again (debates/anchoring.py).
article_text_changed = Signal()  # article, comment_count, authors ({comment pk: old author})


class ImportRefused(Exception):
    """A file cannot be imported; the message names the file and the reason."""


@dataclass(frozen=True)
class ImportItem:
    """One file read and parsed, with the manifest's values laid over it."""

    name: str
    path: str
    article: ParsedArticle
    checksum: str

    def as_dict(self) -> dict:
        return {"file": self.path, **self.article.as_dict()}


@dataclass(frozen=True)
class ImportOutcome:
    item: ImportItem
    article: Article
    status: str  # "created", "updated" or "unchanged"


def load_manifest(path: Path | None = None) -> dict[str, dict]:
    path = path or settings.CORPUS_MANIFEST
    with open(path, "rb") as f:
        return tomllib.load(f)


def read_item(name: str, data: bytes, *, label: str | None = None, manifest=None) -> ImportItem:
    """Parse one file's bytes and apply its manifest entry. Raises ImportRefused."""
    label = label or name
    try:
        parsed = parse_bytes(data)
    except ParseError as error:
        raise ImportRefused(f"{label}: {error}") from None
    entry = (manifest if manifest is not None else load_manifest()).get(name, {})
    overrides = {key: entry[key] for key in ("title", "author", "source", "url") if key in entry}
    if "published" in entry:
        overrides["published"] = date.fromisoformat(entry["published"])
    if "title" in overrides:  # a corrected title is no longer in doubt
        overrides["notes"] = [note for note in parsed.notes if note[0] != "title_chrome"]
    parsed = replace(parsed, **overrides)
    if "author" in overrides:  # the thread's author marks follow the manifest's author
        parsed = replace(
            parsed,
            comments=[
                replace(c, by_article_author=c.author == parsed.author) for c in parsed.comments
            ],
        )
    digest = hashlib.sha256(data)
    digest.update(json.dumps(entry, sort_keys=True).encode())
    return ImportItem(name=name, path=label, article=parsed, checksum=digest.hexdigest())


# A saved column is some tens of kB; anything this large is not a page dump.
MAX_FILE_BYTES = 5_000_000


def read_files(paths: list[str]) -> list[ImportItem]:
    """Read and parse every file before anything is written: one bad file refuses them all."""
    manifest = load_manifest()
    items = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise ImportRefused(f"{raw}: no such file")
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ImportRefused(
                    f"{raw}: the file is too large for a page dump "
                    f"({size / 1e6:.1f} MB; at most {MAX_FILE_BYTES // 1_000_000} MB)"
                )
            data = path.read_bytes()
        except OSError as error:
            raise ImportRefused(f"{raw}: cannot be read ({error.strerror})") from None
        items.append(read_item(path.name, data, label=raw, manifest=manifest))
    return items


def _unique_slug(title: str, source_file: str) -> str:
    base = slugify(title)[:100] or "artikel"
    taken = set(
        Article.objects.filter(slug__startswith=base)
        .exclude(source_file=source_file)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def import_items(items: list[ImportItem]) -> list[ImportOutcome]:
    """Create or update one article per item, all in one transaction.

    An article is identified by its file name: re-importing an unchanged file (same
    checksum) writes nothing; a changed file updates the article and its thread in place.
    """
    outcomes = []
    existing = Article.objects.in_bulk([item.name for item in items], field_name="source_file")
    for item in items:
        article = existing.get(item.name)
        if article is not None and article.checksum == item.checksum:
            outcomes.append(ImportOutcome(item, article, "unchanged"))
            continue
        status = "created" if article is None else "updated"
        article = article or Article(source_file=item.name)
        parsed = item.article
        article.title = parsed.title
        article.slug = _unique_slug(parsed.title, item.name)
        article.author = parsed.author
        article.source = parsed.source
        article.source_url = parsed.url
        article.published = parsed.published
        article.body = [
            {"type": block.kind, "text": block.text, "ordered": block.ordered}
            for block in parsed.body
        ]
        article.body_text = BLOCK_SEPARATOR.join(block.text for block in parsed.body)
        article.checksum = item.checksum
        # Who wrote each comment before: a quote follows its commenter when positions shift.
        authors = dict(article.comments.values_list("pk", "author_name")) if article.pk else {}
        article.save()
        _sync_comments(article, parsed)
        if status == "updated":
            count = len(parsed.comments)
            article_text_changed.send(
                sender=Article, article=article, comment_count=count, authors=authors
            )
            _drop_comments(article, count, item.path)
        outcomes.append(ImportOutcome(item, article, status))
    return outcomes


def _sync_comments(article: Article, parsed: ParsedArticle) -> None:
    """Make the article's thread match the parsed one, keeping comments by position.
    Comments beyond the new thread's end are left to _drop_comments."""
    by_position = {comment.position: comment for comment in article.comments.all()}
    new, changed = [], []
    for position, source in enumerate(parsed.comments, start=1):
        comment = by_position.get(position) or Comment(article=article, position=position)
        comment.author_name = source.author
        comment.badge = source.badge
        comment.text = source.text
        comment.by_article_author = source.by_article_author
        comment.reply_to = None
        (changed if comment.pk else new).append(comment)
    fields = ["author_name", "badge", "text", "by_article_author", "reply_to"]
    Comment.objects.bulk_update(changed, fields)
    Comment.objects.bulk_create(new)
    thread = sorted(changed + new, key=lambda comment: comment.position)
    for comment, source in zip(thread, parsed.comments, strict=True):
        if source.reply_to is not None:
            comment.reply_to = thread[source.reply_to]
    Comment.objects.bulk_update([c for c in thread if c.reply_to_id], ["reply_to"])


def _drop_comments(article: Article, count: int, label: str) -> None:
    """Delete the comments the new text no longer has, unless something refers to them (an
    argument quoting one): then the whole import is refused and its transaction undone."""
    try:
        article.comments.filter(position__gt=count).delete()
    except ProtectedError as error:
        held = sorted({obj.comment.position for obj in error.protected_objects})
        raise ImportRefused(
            f"{label}: the new text drops reader comment {', '.join(map(str, held))}, which "
            f"{len(error.protected_objects)} extracted argument(s) quote; nothing was imported"
        ) from None


# The browser import: a moderator's upload or paste, previewed, then saved.

# The raw text travels back in a hidden field between preview and save: keep it well under
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) once base64-encoded.
MAX_IMPORT_BYTES = 1_000_000
# The metadata a moderator may give with an import, as the corpus manifest spells it.
# "title" corrects a headline the importer got wrong (the preview says when it is unsure).
IMPORT_METADATA = ("title", "author", "source", "url", "published")
_FILE_NAME = re.compile(r"[\w][\w.-]{0,199}")
# Sent inside the import's transaction; a receiver that fails undoes the import.
article_imported = Signal()  # moderator, reason, after


def clean_file_name(name: str) -> str:
    """A safe file name for the article's `source_file`: no folders, ending in .txt.

    Returns "" for an empty name (the caller derives one from the title).
    """
    name = PurePath((name or "").strip().replace("\\", "/")).name
    if not name:
        return ""
    if not name.lower().endswith(".txt"):
        name += ".txt"
    if not _FILE_NAME.fullmatch(name):
        raise ImportRefused(
            _(
                "The file name may hold only letters, digits, dots, hyphens and underscores, "
                "up to 200 characters."
            )
        )
    return name


def _manifest_entry(name: str, metadata: dict) -> dict:
    """The corpus manifest's values for this file name, with the moderator's laid over them."""
    entry = dict(load_manifest().get(name, {}))
    for key in IMPORT_METADATA:
        value = metadata.get(key)
        if isinstance(value, date):
            value = value.isoformat()
        if value:
            entry[key] = value
    return entry


def import_preview(moderator, data: bytes, *, name: str = "", metadata=None) -> ImportItem:
    """The importer's dry run over one text: parsed, with its manifest values, nothing written.

    Raises ImportRefused with a message for the moderator when the text cannot be imported.
    """
    require_moderator(moderator)
    metadata = metadata or {}
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(
            _("The text is too long: at most %(max)s kB.") % {"max": MAX_IMPORT_BYTES // 1000}
        )
    name = clean_file_name(name)
    provisional = name or "import.txt"
    item = read_item(provisional, data, manifest={provisional: _manifest_entry(provisional, {})})
    if not name:
        name = f"{slugify(item.article.title)[:80] or 'artikel'}.txt"
    item = read_item(name, data, manifest={name: _manifest_entry(name, metadata)})
    existing = Article.objects.filter(source_file=name).first()
    if existing is not None and existing.checksum != item.checksum:
        # Updating would move the text under the quotes anchored in it; the command line
        # importer does that deliberately, the browser only adds articles.
        raise ImportRefused(
            _(
                "An article was imported from a file named %(name)s already (“%(title)s”). "
                "Give this text another file name."
            )
            % {"name": name, "title": existing.title}
        )
    return item


def imported_already(item: ImportItem) -> Article | None:
    """The article this very text (same file name and checksum) was imported as, if any."""
    return Article.objects.filter(source_file=item.name, checksum=item.checksum).first()


@transaction.atomic
def import_article(
    moderator, data: bytes, *, name: str = "", metadata=None, reason: str = ""
) -> ImportOutcome:
    """Import one text as a new article with its comment thread: all of it or nothing.

    The text is parsed again here (never trusted from a preview). An unchanged re-import
    writes nothing; anything else leaves one audit row, action "import".
    """
    item = import_preview(moderator, data, name=name, metadata=metadata)
    (outcome,) = import_items([item])
    if outcome.status != "unchanged":
        article = outcome.article
        after = {
            "slug": article.slug,
            "title": article.title,
            "file": item.name,
            "checksum": item.checksum,
            "status": outcome.status,
            "blocks": len(article.body),
            "comments": len(item.article.comments),
        }
        reason = " ".join((reason or "").split()) or _("Imported through the browser.")
        # The audit log belongs to the debates app, which listens (articles knows no app above).
        article_imported.send(sender=Article, moderator=moderator, reason=reason, after=after)
    return outcome
