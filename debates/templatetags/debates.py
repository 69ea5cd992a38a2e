from django import template
from django.template.defaultfilters import floatformat
from django.templatetags.l10n import unlocalize
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from debates.highlight import highlight, highlight_paragraphs
from debates.models import Argument

register = template.Library()


@register.simple_tag
def highlighted(text: str, offset: int, arguments):
    """A block of an article's body with its extracted quotes linked to their arguments."""
    return highlight(text, offset, arguments)


@register.simple_tag
def highlighted_comment(text: str, arguments):
    """A reader comment as paragraphs, with its extracted quotes linked."""
    return highlight_paragraphs(text, arguments)


# The badges after an argument's source, in this order where it has them: its flag, the badge's
# classes, its words. Waiting and hidden exclude each other (statuses).
_MARKS = (
    ("by_moderator", "badge", gettext_lazy("moderator")),
    ("is_pending", "badge badge-waiting", gettext_lazy("waiting for approval")),
    ("is_hidden", "badge badge-hidden", gettext_lazy("hidden")),
    ("pinned", "badge", gettext_lazy("pinned")),
)


@register.simple_tag
def source(argument: Argument) -> SafeString:
    """Where an argument comes from (a reader comment, an article, a member, or the thesis) and
    its marks: moderator, waiting for approval or hidden, pinned, edited. One line of every list
    of arguments, built here rather than in an included template: a debate page shows it for
    every argument it lists, and the include cost twice as much (27 µs against 12)."""
    if argument.comment_id:
        text = _("comment by %(name)s on “%(title)s”") % {
            "name": escape(argument.comment.author_name),
            "title": escape(argument.article.title),
        }
    elif argument.article_id and argument.article.author:
        text = _("%(name)s in “%(title)s”") % {
            "name": escape(argument.article.author),
            "title": escape(argument.article.title),
        }
    elif argument.article_id:
        text = _("in “%(title)s”") % {"title": escape(argument.article.title)}
    elif argument.author_id:
        text = _("posted by %(name)s") % {"name": escape(argument.author.username)}
    else:
        text = escape(_("thesis"))
    html = format_html('<span class="source">{}</span>', mark_safe(text))
    html += format_html_join(
        "",
        ' <span class="{}">{}</span>',
        ((css, words) for flag, css, words in _MARKS if getattr(argument, flag, False)),
    )
    if argument.edited_at:
        address = reverse("moderation:revisions", args=[argument.pk])
        html += format_html(' <a class="edited" href="{}">{}</a>', address, _("edited"))
    return html


@register.simple_tag
def strength(argument, oob: bool = False) -> SafeString:
    """An argument's DF-QuAD strength: a meter with its number as text; says so where none is
    computed or a cycle did not settle. With `oob`, it replaces the one on the page (htmx, out
    of band). On every card of a debate page and in every vote's answer; built here rather than
    in an included template, which cost a debate page's cold render 0.3 ms a card."""
    pk = int(argument.pk)
    score = getattr(argument, "score", None)  # no row: RelatedObjectDoesNotExist, an AttributeError
    if not score:
        words = escape(_("strength not computed"))
        return mark_safe(f'<span class="strength strength-none strength-{pk}">{words}</span>')
    value = score.strength
    swap = f' hx-swap-oob="outerHTML:.strength-{pk}"' if oob else ""
    exact = "%.4f" % value  # as the stringformat filter writes it  # noqa: UP031
    html = (
        f'<span class="strength strength-{pk}"{swap} data-strength="{exact}">'
        f'<meter min="0" max="1" low="0.4" high="0.6" optimum="1" value="{unlocalize(value)}"'
        ' aria-hidden="true"></meter> <span class="strength-number">'
        f"{escape(_('strength'))} {floatformat(value, 2)}</span>"
    )
    if not score.settled:
        unsettled = escape(_("not settled: a cycle of arguments keeps it moving"))
        html += f' <span class="badge">{unsettled}</span>'
    return mark_safe(html + "</span>")  # noqa: S308 (ids and numbers; the words escaped)
