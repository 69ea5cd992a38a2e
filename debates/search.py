"""Full-text search over the arguments, quick over 100,000 of them (docs/search.md).

A common word matches a quarter of 100,000 arguments, and ranking all of its matches (ts_rank on
every one) took PostgreSQL 175 ms a query. So search ranks at most the RANKED newest matches of a
query, and the page says when there are more.

The newest matches are found by reading the newest WINDOW arguments backwards along the primary
key, which stops as soon as it has RANKED + 1 of them: about a millisecond for a common word. A
word with fewer matches there is rare enough for the full-text index, which finds its matches
anywhere; their newest RANKED + 1 are ranked. The planner cannot make this choice itself: it
estimates any prefix query ("klant:*") at 2 % of the rows, whatever its real share.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import router

from accounts.access import moderator_q
from articles.models import MARK_START, MARK_STOP, SEARCH_CONFIG, Article, Comment, search_terms
from debates.models import Argument

# How many matches of a query are ranked at most: the newest ones.
RANKED = 500
# How many of the newest arguments are read for them before the full-text index is asked.
WINDOW = 10_000

# One statement: the candidates, their ordering, how many there are, and for the best `limit` of
# them what a result shows (the `source` tag, debates/templatetags/debates.py) with a snippet.
# {order}: by rank for search, by votes for the link pickers; %(exclude)s: ids left out (the
# pickers').
_BEST_SQL = """
WITH recent AS MATERIALIZED (
    SELECT id, up_votes, ts_rank(search, to_tsquery(%(config)s::regconfig, %(terms)s)) AS rank
    FROM (
        SELECT id, status, search, up_votes FROM debates_argument
        ORDER BY id DESC LIMIT %(window)s
    ) newest
    WHERE status = %(published)s AND search @@ to_tsquery(%(config)s::regconfig, %(terms)s)
        AND id <> ALL(%(exclude)s::bigint[])
    LIMIT %(ranked)s + 1
), candidates AS (
    SELECT id, up_votes, rank FROM recent WHERE (SELECT count(*) FROM recent) > %(ranked)s
    UNION ALL
    SELECT id, up_votes, ts_rank(search, to_tsquery(%(config)s::regconfig, %(terms)s)) FROM (
        SELECT id, up_votes, search FROM debates_argument
        WHERE (SELECT count(*) FROM recent) <= %(ranked)s
            AND status = %(published)s AND search @@ to_tsquery(%(config)s::regconfig, %(terms)s)
            AND id <> ALL(%(exclude)s::bigint[])
        -- id + 0: sort the index's few matches; a walk down the primary key could read every row
        ORDER BY id + 0 DESC LIMIT %(ranked)s + 1
    ) matches
), best AS (
    SELECT id, up_votes, rank
    FROM (SELECT id, up_votes, rank FROM candidates ORDER BY id DESC LIMIT %(ranked)s) newest
    ORDER BY {order} LIMIT %(limit)s
)
SELECT argument.id, argument.text, argument.status, argument.pinned, argument.edited_at,
    argument.up_votes, argument.article_id, argument.comment_id, argument.author_id,
    article.title AS article_title, article.author AS article_author,
    comment.author_name AS comment_author, author.username AS author_username,
    (SELECT count(*) FROM candidates) AS matches,
    ts_headline(%(config)s::regconfig, argument.text,
                to_tsquery(%(config)s::regconfig, %(terms)s), %(snippet)s) AS snippet
FROM best
JOIN debates_argument argument ON argument.id = best.id
LEFT JOIN articles_article article ON article.id = argument.article_id
LEFT JOIN articles_comment comment ON comment.id = argument.comment_id
LEFT JOIN auth_user author ON author.id = argument.author_id
ORDER BY {best_order}
"""
_ORDERED = {
    "rank": _BEST_SQL.format(order="rank DESC, id", best_order="best.rank DESC, best.id"),
    "votes": _BEST_SQL.format(order="up_votes DESC, id", best_order="best.up_votes DESC, best.id"),
}
_SNIPPET = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", HighlightAll=true'


@dataclass(frozen=True)
class Found:
    """The best of the ranked matches, and how many matches there are: RANKED + 1 when there
    are more than were ranked."""

    arguments: list[Argument] = field(default_factory=list)
    matches: int = 0

    @property
    def more(self) -> bool:
        return self.matches > RANKED


def search_arguments(text: str, limit: int) -> Found:
    """The `limit` best published arguments for a Dutch full-text query, each with a snippet
    with its matches marked and where it comes from: one query however many arguments match,
    two when a member posted one of the shown."""
    return _best(text, limit, "rank", ())


def pick_arguments(text: str, limit: int, exclude: Iterable[int] = ()) -> list[Argument]:
    """For the link pickers, as a member types: the `limit` most-voted published arguments
    among the newest RANKED that match, but those in `exclude`, each with its source."""
    return _best(text, limit, "votes", exclude).arguments


def _best(text: str, limit: int, order: str, exclude: Iterable[int]) -> Found:
    terms = search_terms(text)
    if terms is None:
        return Found()
    params = {
        "window": WINDOW,
        "ranked": RANKED,
        "limit": limit,
        "published": Argument.Status.PUBLISHED,
        "config": SEARCH_CONFIG,
        "terms": terms,
        "snippet": _SNIPPET,
        "exclude": [int(pk) for pk in exclude],
    }
    alias = router.db_for_read(Argument)  # one replica for both queries
    arguments = list(Argument.objects.using(alias).raw(_ORDERED[order], params))
    if not arguments:
        return Found()
    users = get_user_model()
    for argument in arguments:  # its source as far as a result shows it, from the same row
        if argument.article_id:
            argument.article = Article(
                pk=argument.article_id, title=argument.article_title, author=argument.article_author
            )
        if argument.comment_id:
            argument.comment = Comment(pk=argument.comment_id, author_name=argument.comment_author)
        if argument.author_id:
            argument.author = users(pk=argument.author_id, username=argument.author_username)
    # Posts by moderators are marked, as with_source() marks them; asked only when a member
    # wrote one of these (its join of permissions and groups costs more than the rest).
    moderators = set()
    if authors := {argument.author_id for argument in arguments if argument.author_id}:
        moderating = users.objects.using(alias).filter(moderator_q(), pk__in=authors)
        moderators = set(moderating.values_list("pk", flat=True))
    for argument in arguments:
        argument.by_moderator = argument.author_id in moderators
    return Found(arguments, arguments[0].matches)
