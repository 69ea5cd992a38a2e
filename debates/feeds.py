"""Atom feeds of a debate's and an article's arguments (Django's syndication framework).

Feeds are public by nature: they hold published arguments only (debates.policy: "what counts"),
so a hidden or waiting post never reaches a feed reader, and one hidden later drops out.
"""

from django.contrib.syndication.views import Feed
from django.db import connection
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.models import Article
from debates.models import Argument, Debate, arguments_reaching

FEED_SIZE = 50

# The arguments extracted from an article and every argument that answers one of them,
# directly or further down (cycles cut by UNION).
_ARTICLE_REACH_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT id FROM debates_argument WHERE article_id = %s
    UNION
    SELECT link.source_id FROM debates_link link JOIN reach ON link.target_id = reach.id
)
SELECT id FROM reach
"""


class _ArgumentFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, argument: Argument) -> str:
        return Truncator(argument.text).chars(100)

    def item_description(self, argument: Argument) -> str:
        return argument.text

    def item_pubdate(self, argument: Argument):
        return argument.created_at

    def item_updateddate(self, argument: Argument):
        return argument.edited_at or argument.created_at

    def item_author_name(self, argument: Argument) -> str:
        if argument.author_id:
            return argument.author.get_username()
        if argument.comment_id:
            return argument.comment.author_name
        if argument.article_id:
            return argument.article.author or "Tegenspraak"
        return "Tegenspraak"

    def _newest(self, ids):
        return list(
            Argument.objects.published()
            .filter(pk__in=ids)
            .with_source()
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )


class DebateFeed(_ArgumentFeed):
    """A debate's newest published arguments."""

    def get_object(self, request, slug: str) -> Debate:
        return get_object_or_404(Debate.objects.filter(thesis__status="published"), slug=slug)

    def title(self, debate: Debate) -> str:
        return _("Tegenspraak: %(title)s") % {"title": debate.title}

    def subtitle(self, debate: Debate) -> str:
        return _("The newest arguments in this debate.")

    def link(self, debate: Debate) -> str:
        return debate.get_absolute_url()

    def items(self, debate: Debate) -> list[Argument]:
        return self._newest(arguments_reaching(debate.thesis_id))


class ArticleFeed(_ArgumentFeed):
    """The published arguments taken from an article and those that answer them."""

    def get_object(self, request, slug: str) -> Article:
        return get_object_or_404(Article.objects.only("pk", "slug", "title"), slug=slug)

    def title(self, article: Article) -> str:
        return _("Tegenspraak: arguments about “%(title)s”") % {"title": article.title}

    def subtitle(self, article: Article) -> str:
        return _("The arguments taken from this article and the answers to them.")

    def link(self, article: Article) -> str:
        return article.get_absolute_url()

    def items(self, article: Article) -> list[Argument]:
        with connection.cursor() as cursor:
            cursor.execute(_ARTICLE_REACH_SQL, [article.pk])
            ids = [row[0] for row in cursor.fetchall()]
        return self._newest(ids)
