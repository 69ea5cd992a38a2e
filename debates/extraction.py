"""Moderators' editorial tools: arguments extracted from a passage, and articles imported
through the browser.

An extracted argument carries the exact quote it stands on and the quote's offsets: in the
comment's text when it comes from a reader comment, else in the article's `body_text`. The
offsets are checked against the stored text here, so a stale page or a hand-made request can
never anchor a quote where it does not stand. Both writes leave one audit row.
"""

import re
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.models import Article, Comment
from articles.services import (
    ImportItem,
    ImportOutcome,
    ImportRefused,
    import_items,
    load_manifest,
    read_item,
)
from debates.models import Argument, Link
from debates.moderation import _record, require_moderator

MAX_CLAIM = 280
MAX_QUOTE = 5000
# The raw text travels back in a hidden field between preview and save: keep it well under
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) once base64-encoded.
MAX_IMPORT_BYTES = 1_000_000
# The metadata a moderator may give with an import, as the corpus manifest spells it.
IMPORT_METADATA = ("author", "source", "url", "published")
_FILE_NAME = re.compile(r"[\w][\w.-]{0,199}")


# Extraction


def extraction_source(article: Article, comment_id) -> tuple[str, Comment | None]:
    """The text a quote's offsets count in: the comment's, or else the article's body."""
    if comment_id in (None, ""):
        return article.body_text, None
    try:
        comment = article.comments.get(pk=int(comment_id))
    except (TypeError, ValueError, Comment.DoesNotExist):
        raise ValidationError(
            {"comment": _("That reader comment is not under this article.")}
        ) from None
    return comment.text, comment


def _occurrences(source: str, quote: str) -> list[int]:
    starts, at = [], source.find(quote)
    while at != -1:
        starts.append(at)
        at = source.find(quote, at + 1)
    return starts


def locate_quote(
    article: Article, *, comment_id, quote: str, occurrence: int = 1
) -> tuple[int, int, str]:
    """Find a pasted quote in the article or comment: (start, end, quote).

    The quote must occur verbatim (its ends trimmed); `occurrence` (1-based) picks one when
    it occurs more than once.
    """
    source, _comment = extraction_source(article, comment_id)
    quote = (quote or "").strip()
    if not quote:
        raise ValidationError({"quote": _("Paste the passage the argument stands on.")})
    starts = _occurrences(source, quote)
    if not starts:
        raise ValidationError(
            {
                "quote": _(
                    "This passage does not occur in the chosen text. Copy it exactly, with its "
                    "punctuation, from one paragraph."
                )
            }
        )
    if not 1 <= occurrence <= len(starts):
        raise ValidationError(
            {
                "occurrence": _(
                    "The passage occurs %(count)s times: choose a number from 1 to %(count)s."
                )
                % {"count": len(starts)}
            }
        )
    start = starts[occurrence - 1]
    return start, start + len(quote), quote


def occurrence_at(article: Article, comment_id, quote: str, start: int) -> int:
    """Which occurrence (1-based) of the quote starts at `start`; 1 if none does."""
    try:
        source, _comment = extraction_source(article, comment_id)
    except ValidationError:
        return 1
    starts = _occurrences(source, quote) if quote else []
    return starts.index(start) + 1 if start in starts else 1


def clean_claim(text: str) -> str:
    """A claim: trimmed, 1 to 280 characters, not the text of an existing argument."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Write the claim this passage makes.")})
    if len(text) > MAX_CLAIM:
        raise ValidationError(
            {
                "text": _("Keep the claim to %(max)s characters; it has %(length)s.")
                % {"max": MAX_CLAIM, "length": len(text)}
            }
        )
    if Argument.objects.annotate(lower=Lower("text")).filter(lower=text.lower()).exists():
        raise ValidationError({"text": _("An argument with this text exists already.")})
    return text


def _link_target(target_id, relation) -> Argument:
    try:
        target = Argument.objects.get(pk=int(target_id))
    except (TypeError, ValueError, Argument.DoesNotExist):
        raise ValidationError({"target": _("There is no argument with this number.")}) from None
    if target.status != Argument.Status.PUBLISHED:
        raise ValidationError(
            {"target": _("That argument is hidden, merged or waits for moderation.")}
        )
    if relation not in Link.Relation.values:
        raise ValidationError(
            {"relation": _("Choose whether the new argument attacks or supports it.")}
        )
    return target


@transaction.atomic
def argument_extract(
    moderator,
    article: Article,
    *,
    comment_id,
    start,
    end,
    quote: str,
    text: str,
    target_id=None,
    relation=None,
    reason: str = "",
) -> Argument:
    """Create a published argument from a passage of an article or one of its comments.

    `quote` must be exactly the source text from `start` to `end`. With `target_id` the new
    argument attacks or supports that argument (`relation`). One audit row, action "extract".
    Raises PermissionDenied for non-moderators and ValidationError (keyed by field) otherwise.
    """
    require_moderator(moderator)
    source, comment = extraction_source(article, comment_id)
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValidationError(
            {"quote": _("The passage has no position: select it again.")}
        ) from None
    if not quote or not 0 <= start < end <= len(source) or source[start:end] != quote:
        raise ValidationError(
            {
                "quote": _(
                    "The quote does not stand at that place in the text (was the text changed?): "
                    "select the passage again."
                )
            }
        )
    if len(quote) > MAX_QUOTE:
        raise ValidationError(
            {"quote": _("Quote at most %(max)s characters.") % {"max": MAX_QUOTE}}
        )
    text = clean_claim(text)
    target = None if target_id in (None, "") else _link_target(target_id, relation)
    reason = " ".join((reason or "").split())[:1000] or _("Extracted from the text.")
    try:
        with transaction.atomic():
            # The claim is the source's, not the moderator's: like the corpus's extracted
            # arguments it has no author; the audit row says who extracted it.
            argument = Argument.objects.create(
                text=text,
                article=article,
                comment=comment,
                quote=quote,
                quote_start=start,
                quote_end=end,
                status=Argument.Status.PUBLISHED,
            )
    except IntegrityError:  # the same text saved a moment ago
        raise ValidationError({"text": _("An argument with this text exists already.")}) from None
    if target is not None:
        Link.objects.create(source=argument, target=target, relation=relation, author=moderator)
    after = {
        "status": argument.status,
        "text": argument.text,
        "article": article.slug,
        "comment": comment.pk if comment else None,
        "quote": quote,
        "start": start,
        "end": end,
        "link": {"target": target.pk, "relation": relation} if target else None,
    }
    _record(moderator, "extract", reason, argument=argument, before={}, after=after)
    return argument


# Import


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
        reason = " ".join((reason or "").split())[:1000] or _("Imported through the browser.")
        _record(moderator, "import", reason, before={}, after=after)
    return outcome
