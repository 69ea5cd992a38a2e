from django import template

from debates.highlight import highlight, highlight_paragraphs

register = template.Library()


@register.simple_tag
def highlighted(text: str, offset: int, arguments):
    """A block of an article's body with its extracted quotes linked to their arguments."""
    return highlight(text, offset, arguments)


@register.simple_tag
def highlighted_comment(text: str, arguments):
    """A reader comment as paragraphs, with its extracted quotes linked."""
    return highlight_paragraphs(text, arguments)
