from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import MARK_START, MARK_STOP

register = template.Library()


@register.filter
def marked(snippet: str) -> SafeString:
    """A search snippet with its matches in <mark>: the text is escaped first."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)
