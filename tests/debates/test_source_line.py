"""The line under every listed argument that says where it comes from and how it stands (the
`source` tag): its words in both languages, its badges, and every name in it escaped."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.template import engines
from django.utils import translation

from articles.models import Article, Comment
from debates.models import Argument

LINE = engines["django"].from_string("{% load debates %}{% source argument %}")
ARTICLE = Article(pk=1, title='Klant <b>centraal</b> & "echt"', author="Tjip <i>de</i> Jong")


def line(argument: Argument, language: str = "nl") -> str:
    with translation.override(language):
        return LINE.render({"argument": argument})


@pytest.mark.parametrize(
    ("source", "dutch", "english"),
    [
        (
            {"comment": Comment(pk=2, author_name="Sydney <script>"), "article": ARTICLE},
            "reactie van Sydney &lt;script&gt; onder „Klant &lt;b&gt;centraal&lt;/b&gt; "
            "&amp; &quot;echt&quot;”",
            "comment by Sydney &lt;script&gt; on “Klant &lt;b&gt;centraal&lt;/b&gt; "
            "&amp; &quot;echt&quot;”",
        ),
        (
            {"article": ARTICLE},
            "Tjip &lt;i&gt;de&lt;/i&gt; Jong in „Klant",
            "Tjip &lt;i&gt;de&lt;/i&gt; Jong in “Klant",
        ),
        ({"article": Article(pk=3, title="Loze beloften?")}, "in „Loze beloften?”", "in “Loze"),
        ({"author": User(pk=4, username="<em>kees</em>")}, "&lt;em&gt;kees", "posted by"),
        ({}, ">stelling</span>", ">thesis</span>"),
    ],
)
def test_says_where_an_argument_comes_from_with_every_name_escaped(source, dutch, english):
    argument = Argument(pk=9, text="x", **source)
    assert dutch in line(argument)
    assert english in line(argument, "en")
    assert "<script>" not in line(argument) and "<b>" not in line(argument)


def test_marks_what_a_reader_should_know_about_an_argument():
    argument = Argument(
        pk=9,
        text="x",
        status=Argument.Status.PENDING,
        pinned=True,
        edited_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
    )
    argument.by_moderator = True
    html = line(argument)
    assert '<span class="badge">moderator</span>' in html
    assert "wacht op goedkeuring" in html
    assert "vastgezet" in html
    assert '<a class="edited" href="/arguments/9/revisions/">bewerkt</a>' in html

    argument.status, argument.pinned, argument.edited_at = Argument.Status.HIDDEN, False, None
    argument.by_moderator = False
    html = line(argument)
    assert "verborgen" in html
    assert "moderator" not in html and "vastgezet" not in html and "bewerkt" not in html
