"""Keeping extracted quotes anchored to their text when an article is imported again.

As Hypothesis anchors annotations: a quote is stored as its exact text, the words around it
(`quote_prefix`, `quote_suffix`) and its offsets, which are only a hint. After a re-import each
anchored quote is looked up again in the new text:

- its exact text occurs and the context confirms the place: the offsets (and context) move there;
- the text is gone or changed, or only occurs where the context does not fit: the quote is
  marked drifted. It is never silently moved. A drifted quote is not highlighted; the queue
  shows it to moderators with the old and the new text until one re-anchors or retires it.

A quote from a reader comment is looked for in the same comment first, then in the other
comments by the same commenter (a comment inserted above it shifts the positions).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.access import require_moderator
from articles.models import Article
from articles.services import article_text_changed
from debates.models import Argument
from debates.moderation.services import _record
from debates.vocabulary import QUOTE_MAX, REASON_MAX, Action, QuoteState

# How much text around a quote is kept to recognise its place (Hypothesis keeps 32).
CONTEXT = 32
# A unique quote at least this long needs no context to be recognised.
UNIQUE_ENOUGH = 12


def context(source: str, start: int, end: int) -> tuple[str, str]:
    """The text right before and right after a quote."""
    return source[max(0, start - CONTEXT) : start], source[end : end + CONTEXT]


def _common_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_head(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def find(source: str, quote: str, prefix: str, suffix: str, hint: int | None) -> int | None:
    """Where the quote stands in `source`, or None when it cannot be found with confidence."""
    starts, at = [], source.find(quote)
    while at != -1:
        starts.append(at)
        at = source.find(quote, at + 1)
    if not starts:
        return None

    def score(start: int) -> int:
        before, after = context(source, start, start + len(quote))
        return _common_tail(before, prefix) + _common_head(after, suffix)

    best = max(starts, key=lambda s: (score(s), -abs(s - (hint or 0))))
    full = len(prefix) + len(suffix)
    if len(starts) == 1 and (len(quote) >= UNIQUE_ENOUGH or score(best) * 2 >= full):
        return best
    return best if full and score(best) * 2 >= full else None


def anchor(argument: Argument, source: str, start: int) -> None:
    """Set the quote's place and context in `source` (not saved)."""
    argument.quote_start, argument.quote_end = start, start + len(argument.quote)
    argument.quote_prefix, argument.quote_suffix = context(
        source, argument.quote_start, argument.quote_end
    )
    argument.quote_state = QuoteState.ANCHORED
    argument.drift_text = ""


def reanchor_article(
    article: Article, comment_count: int | None = None, authors: dict | None = None
) -> list[Argument]:
    """Find every anchored quote of the article again; return the ones that drifted.

    `comment_count`: the new thread's length (comments after it are about to go); `authors`:
    who wrote each comment before the re-import, by comment id."""
    authors = authors or {}
    comments = list(article.comments.all())
    if comment_count is not None:
        comments = [c for c in comments if c.position <= comment_count]
    arguments = list(
        Argument.objects.filter(
            article=article, quote_state=QuoteState.ANCHORED
        ).select_for_update()
    )
    changed, drifted = [], []
    for argument in arguments:
        before = (argument.comment_id, argument.quote_start, argument.quote_prefix)
        if argument.comment_id is None:
            candidates = [(None, article.body_text)]
        else:
            own = [c for c in comments if c.pk == argument.comment_id]
            author = authors.get(argument.comment_id) or (own[0].author_name if own else "")
            others = [c for c in comments if c.author_name == author and c not in own]
            candidates = [(c, c.text) for c in own + others]
        for comment, source in candidates:
            hint = (
                argument.quote_start
                if comment is None or comment.pk == argument.comment_id
                else None
            )
            start = find(source, argument.quote, argument.quote_prefix, argument.quote_suffix, hint)
            if start is not None:
                argument.comment = comment if comment is not None else argument.comment
                anchor(argument, source, start)
                break
        else:
            source = candidates[0][1] if candidates else ""
            argument.quote_state = QuoteState.DRIFTED
            argument.drift_text = source[argument.quote_start : argument.quote_end]
            drifted.append(argument)
        if argument.quote_state == QuoteState.DRIFTED or before != (
            argument.comment_id,
            argument.quote_start,
            argument.quote_prefix,
        ):
            changed.append(argument)
    fields = ["comment", "quote_start", "quote_end", "quote_prefix", "quote_suffix"]
    Argument.objects.bulk_update(changed, [*fields, "quote_state", "drift_text"])
    for argument in drifted:
        _record(
            None,
            Action.DRIFT,
            _("The article was imported again; the quote no longer stands in its text."),
            argument=argument,
            before={"quote": argument.quote},
            after={"now": argument.drift_text, "article": article.slug},
        )
    return drifted


@receiver(article_text_changed)
def _reanchor(sender, article: Article, comment_count: int, authors: dict, **kwargs) -> None:
    """Sent by the importer inside its transaction when an article's text was replaced."""
    reanchor_article(article, comment_count, authors)


# A moderator's decision on a drifted quote.


def _drifted(argument_id) -> Argument:
    """The drifted argument, locked: two moderators deciding at once do not both act."""
    try:
        argument = (
            Argument.objects.select_for_update(of=("self",))
            .select_related("article", "comment")
            .get(pk=int(argument_id))
        )
    except (TypeError, ValueError, Argument.DoesNotExist):
        raise ValidationError(_("There is no argument with this number.")) from None
    if argument.quote_state != QuoteState.DRIFTED:
        raise ValidationError(_("This quote is no longer waiting for a decision."))
    return argument


def _reason(reason: str, default: str) -> str:
    return " ".join((reason or "").split())[:REASON_MAX] or default


@transaction.atomic
def reanchor_quote(moderator, argument_id, *, quote: str, occurrence=1, reason="") -> Argument:
    """Anchor a drifted quote again, on the passage as it stands in the text now."""
    from debates.moderation.extraction import locate_quote  # it imports this module

    require_moderator(moderator)
    argument = _drifted(argument_id)
    try:
        occurrence = int(occurrence or 1)
    except (TypeError, ValueError):
        occurrence = 0  # refused below with the number of occurrences
    start, _end, quote = locate_quote(
        argument.article, comment_id=argument.comment_id, quote=quote, occurrence=occurrence
    )
    if len(quote) > QUOTE_MAX:
        raise ValidationError(
            {"quote": _("Quote at most %(max)s characters.") % {"max": QUOTE_MAX}}
        )
    before = {"quote": argument.quote, "start": argument.quote_start, "now": argument.drift_text}
    source = argument.comment.text if argument.comment_id else argument.article.body_text
    argument.quote = quote
    anchor(argument, source, start)
    argument.save()
    after = {"quote": quote, "start": argument.quote_start, "end": argument.quote_end}
    default = _("The quote is anchored again on the changed text.")
    _record(moderator, Action.REANCHOR, _reason(reason, default), argument=argument,
            before=before, after=after)  # fmt: skip
    return argument


@transaction.atomic
def retire_quote(moderator, argument_id, *, reason="") -> Argument:
    """The passage is gone for good: the argument stays, its quote is no longer marked."""
    require_moderator(moderator)
    argument = _drifted(argument_id)
    argument.quote_state = QuoteState.RETIRED
    argument.save(update_fields=["quote_state", "updated_at"])
    default = _("The passage is no longer in the text.")
    _record(moderator, Action.RETIRE_QUOTE, _reason(reason, default), argument=argument,
            before={"quote": argument.quote, "now": argument.drift_text},
            after={"state": QuoteState.RETIRED})  # fmt: skip
    return argument
