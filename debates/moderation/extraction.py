"""Moderators' editorial tool: arguments extracted from a passage.

An extracted argument carries the exact quote it stands on and the quote's offsets: in the
comment's text when it comes from a reader comment, else in the article's `body_text`. The
offsets are checked against the stored text here, so a stale page or a hand-made request can
never anchor a quote where it does not stand. Each extraction leaves one audit row.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import require_moderator
from articles.models import Article, Comment
from debates import anchoring, strength
from debates.models import Argument, Link
from debates.moderation.services import _record
from debates.services import clean_claim
from debates.vocabulary import QUOTE_MAX, Action

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


def _clean_claim(text: str) -> str:
    """The claim, by the rule every claim follows, its message placed on the `text` field."""
    try:
        return clean_claim(text)
    except ValidationError as error:
        raise ValidationError({"text": error.messages}) from None


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
    if len(quote) > QUOTE_MAX:
        raise ValidationError(
            {"quote": _("Quote at most %(max)s characters.") % {"max": QUOTE_MAX}}
        )
    text = _clean_claim(text)
    prefix, suffix = anchoring.context(source, start, end)
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
                quote_prefix=prefix,
                quote_suffix=suffix,
                status=Argument.Status.PUBLISHED,
            )
    except IntegrityError:  # the same text saved a moment ago
        raise ValidationError({"text": _("An argument with this text exists already.")}) from None
    if target is not None:
        Link.objects.create(source=argument, target=target, relation=relation, author=moderator)
    strength.refresh([argument.pk])
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
    _record(moderator, Action.EXTRACT, reason, argument=argument, before={}, after=after)
    return argument
