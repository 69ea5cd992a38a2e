"""Marking extracted quotes where they stand in an article's text or a comment.

Each quote is a link to its argument's page; with htmx it opens the argument in the article page's
panel instead (#reading-panel, templates/articles/article_detail.html), beside the text."""

from django.urls import reverse
from django.utils.html import format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from debates.vocabulary import QuoteState


def _plain(text: str) -> str:
    return urlize(text, nofollow=True, autoescape=True)


def _panel_url(argument) -> str:
    return reverse("debates:argument-panel", args=[argument.pk])


def highlight(text: str, offset: int, arguments) -> SafeString:
    """`text` (which starts at `offset` in its source) escaped, with each argument's quote a
    link to the argument. Quotes overlapping an earlier one get a numbered link at their start,
    so every argument keeps an anchor and a keyboard-reachable link."""
    end_of_text = offset + len(text)
    spans = sorted(
        (
            argument
            for argument in arguments
            # A drifted or retired quote is not marked: its offsets may point at other words.
            if argument.quote_state == QuoteState.ANCHORED
            and offset <= argument.quote_start
            and argument.quote_end <= end_of_text
        ),
        key=lambda argument: (argument.quote_start, -argument.quote_end),
    )
    parts, cursor = [], offset
    for argument in spans:
        start, end = argument.quote_start, argument.quote_end
        if start < cursor:  # overlaps the previous highlight: a marker instead
            parts.append(
                format_html(
                    '<a class="quote-marker" id="{}" href="{}" hx-get="{}" '
                    'hx-target="#reading-panel" title="{}">'
                    '<span class="visually-hidden">{}</span>↗</a>',
                    argument.anchor,
                    argument.get_absolute_url(),
                    _panel_url(argument),
                    argument.text,
                    _("Argument: %(claim)s") % {"claim": argument.text},
                )
            )
            continue
        parts.append(_plain(text[cursor - offset : start - offset]))
        parts.append(
            format_html(
                '<a class="quote" id="{}" href="{}" hx-get="{}" hx-target="#reading-panel" '
                'title="{}">{}</a>',
                argument.anchor,
                argument.get_absolute_url(),
                _panel_url(argument),
                argument.text,
                text[start - offset : end - offset],
            )
        )
        cursor = end
    parts.append(_plain(text[cursor - offset :]))
    return mark_safe("".join(parts))


def highlight_paragraphs(text: str, arguments) -> SafeString:
    """A comment's paragraphs (separated by a blank line) as <p>, quotes marked."""
    paragraphs, offset = [], 0
    for paragraph in text.split("\n\n"):
        inner = highlight(paragraph, offset, arguments).replace("\n", "<br>")
        paragraphs.append(f'<p data-offset="{offset}">{inner}</p>')
        offset += len(paragraph) + 2
    return mark_safe("\n".join(paragraphs))
