"""Articles as their authors wrote them, and the reader comments under them."""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

SEARCH_CONFIG = "dutch"
# ts_headline marks matches with these control characters; the view escapes the
# snippet first and only then turns them into <mark> tags, so text stays escaped.
MARK_START, MARK_STOP = "\x02", "\x03"
# Blocks of the body are joined with a blank line in `body_text`; quote offsets count in it.
BLOCK_SEPARATOR = "\n\n"
# Letters and digits only: nothing a user types can break out of the tsquery syntax.
_WORD = re.compile(r"\w+")


def search_terms(text: str) -> str | None:
    """The text of a Dutch full-text query (for to_tsquery) in which every word also matches
    as a prefix, or None when `text` holds no word.

    Prefixes let results update while a word is still being typed ("chatb" finds
    "chatbots"); the Dutch stemmer still applies, so "klanten" finds "klant".
    """
    words = [word for word in _WORD.findall(text.lower()) if word]
    if not words:
        return None
    return " & ".join(f"{word}:*" for word in words[:12])


# Search results in one query each: a snippet (12 to 30 words, the matches marked) made for the
# shown ones only, after the LIMIT, and the number of matches beside them. Plain SQL: building
# the same from the ORM's expressions took longer than running it on a few hundred articles.
_SNIPPET = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=30, MinWords=12'
_ARTICLES_SQL = """
SELECT id, title, slug, author, published, count(*) OVER () AS matches,
    ts_headline(%(config)s::regconfig, body_text, to_tsquery(%(config)s::regconfig, %(terms)s),
                %(snippet)s) AS snippet
FROM articles_article
WHERE search @@ to_tsquery(%(config)s::regconfig, %(terms)s)
ORDER BY ts_rank(search, to_tsquery(%(config)s::regconfig, %(terms)s)) DESC, title
LIMIT %(limit)s
"""
_COMMENTS_SQL = """
SELECT comment.id, comment.article_id, comment.position, comment.author_name, article.title,
    article.slug, count(*) OVER () AS matches,
    ts_headline(%(config)s::regconfig, comment.text, to_tsquery(%(config)s::regconfig, %(terms)s),
                %(snippet)s) AS snippet
FROM articles_comment comment JOIN articles_article article ON article.id = comment.article_id
WHERE comment.search @@ to_tsquery(%(config)s::regconfig, %(terms)s)
ORDER BY ts_rank(comment.search, to_tsquery(%(config)s::regconfig, %(terms)s)) DESC,
    article.title, comment.position
LIMIT %(limit)s
"""


def _search_params(text: str, limit: int) -> dict | None:
    terms = search_terms(text)
    if terms is None:
        return None
    return {"config": SEARCH_CONFIG, "terms": terms, "limit": limit, "snippet": _SNIPPET}


def search_query(text: str) -> SearchQuery | None:
    """`search_terms` as a query expression."""
    terms = search_terms(text)
    if terms is None:
        return None
    return SearchQuery(terms, search_type="raw", config=SEARCH_CONFIG)


class ArticleQuerySet(models.QuerySet):
    def with_comment_count(self):
        # Aggregation drops Meta.ordering, so order explicitly: newest first, undated last.
        return self.annotate(comment_count=models.Count("comments")).order_by(
            F("published").desc(nulls_last=True), "title"
        )

    def search(self, text: str, limit: int) -> list["Article"]:
        """The `limit` best articles for a Dutch full-text query (a match in the title above
        one by the author above one in the text), each with a snippet of its text; `matches`
        on each: how many articles match."""
        params = _search_params(text, limit)
        return list(self.raw(_ARTICLES_SQL, params)) if params else []


class Article(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="nl")
    # [{"type": "heading" | "paragraph" | "list_item", "text": ...}, ...]
    body = models.JSONField(_("body"), default=list)
    # The blocks' texts joined by BLOCK_SEPARATOR: what search and quote offsets read.
    body_text = models.TextField(_("body text"))
    source_file = models.CharField(_("source file"), max_length=255, unique=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("author", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published").desc(nulls_last=True), "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Full-text search over articles (ArticleQuerySet.search).
            GinIndex(fields=["search"], name="article_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    def layout(self) -> list[dict]:
        """The body for display: headings and paragraphs, with consecutive list items
        gathered into lists. Every text block carries its start offset in `body_text`."""
        layout, start = [], 0
        for block in self.body:
            block = {**block, "start": start}
            start += len(block["text"]) + len(BLOCK_SEPARATOR)
            if block["type"] != "list_item":
                layout.append(block)
                continue
            ordered = block.get("ordered", False)
            if not (layout and layout[-1]["type"] == "list" and layout[-1]["ordered"] == ordered):
                layout.append({"type": "list", "ordered": ordered, "items": []})
            layout[-1]["items"].append(block)
        return layout


class CommentQuerySet(models.QuerySet):
    def search(self, text: str, limit: int) -> list["Comment"]:
        """The `limit` best reader comments for a Dutch full-text query, each with a snippet and
        its article's title and address; `matches` on each: how many comments match."""
        params = _search_params(text, limit)
        if not params:
            return []
        comments = list(self.raw(_COMMENTS_SQL, params))
        for comment in comments:  # the article as far as a result shows it, from the same row
            comment.article = Article(pk=comment.article_id, title=comment.title, slug=comment.slug)
        return comments


class Comment(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    position = models.PositiveIntegerField(_("position"))
    author_name = models.CharField(_("author"), max_length=200)
    badge = models.CharField(_("badge"), max_length=100, blank=True)
    text = models.TextField(_("text"))
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    by_article_author = models.BooleanField(_("by the article's author"), default=False)
    search = models.GeneratedField(
        expression=SearchVector("author_name", weight="B", config=SEARCH_CONFIG)
        + SearchVector("text", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="comment_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="comment_position_gte_1"),
            models.CheckConstraint(
                condition=~Q(reply_to=F("pk")), name="comment_not_reply_to_itself"
            ),
        ]
        indexes = [
            # Full-text search over comments (CommentQuerySet.search).
            GinIndex(fields=["search"], name="comment_search_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} (#{self.position})"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"reactie-{self.position}"
