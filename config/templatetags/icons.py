"""The heroicons template tags, each icon rendered once per process: a page of a hundred vote
widgets would otherwise parse and write the same arrow hundreds of times (`{% load icons %}`,
the same tags as `{% load heroicons %}`)."""

from functools import lru_cache

from django import template
from django.utils.safestring import mark_safe
from heroicons.templatetags import heroicons

register = template.Library()


@lru_cache(maxsize=256)
def _render(style: str, name: str, size: int | None, attrs: tuple) -> str:
    tag = getattr(heroicons, f"heroicon_{style}")
    return str(tag(name, size=size, **dict(attrs)))


def _tag(style: str, default_size: int):
    def render(name: str, *, size: int | None = default_size, **attrs: object) -> str:
        return mark_safe(_render(style, name, size, tuple(sorted(attrs.items()))))  # noqa: S308

    render.__name__ = f"heroicon_{style}"
    return register.simple_tag(render, name=render.__name__)


_tag("micro", 16)
_tag("mini", 20)
_tag("outline", 24)
_tag("solid", 24)
