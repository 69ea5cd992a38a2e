"""Full-text search over the arguments, quick over 100,000 of them (docs/benchmarks.md, "Search").

A common word matches a quarter of 100,000 arguments, and ranking all of its matches (ts_rank on
every one) took PostgreSQL 175 ms a query. So search ranks at most the RANKED newest matches of a
query, and the page says when there are more. Two queries: one ranks and counts, the other reads
the shown arguments with their sources (its joins for the shown ones only).

The newest matches are found by reading the newest WINDOW arguments backwards along the primary
key, which stops as soon as it has RANKED + 1 of them: well under a millisecond for a common word.
A word with fewer matches there is rare enough for the full-text index, which finds its matches
anywhere; their newest RANKED + 1 are ranked. The planner cannot make this choice itself: it
estimates any prefix query ("klant:*") at 2 % of the rows, whatever its real share.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connections, router

from accounts.access import moderator_q
from articles.models import MARK_START, MARK_STOP, SEARCH_CONFIG, search_terms
from debates.models import Argument

# How many matches of a query are ranked at most: the newest ones.
RANKED = 500
# How many of the newest arguments are read for them before the full-text index is asked.
WINDOW = 10_000
# What a result shows of an argument and its source (templates/debates/includes/source.html).
SHOWN_FIELDS = (
    "status", "pinned", "edited_at", "article__title", "article__author",
    "comment__author_name", "author__username",
)  # fmt: skip

_BEST_SQL = """
WITH recent AS MATERIALIZED (
    SELECT id, ts_rank(search, to_tsquery(%(config)s::regconfig, %(terms)s)) AS rank
    FROM (
        SELECT id, status, search FROM debates_argument ORDER BY id DESC LIMIT %(window)s
    ) newest
    WHERE status = %(published)s AND search @@ to_tsquery(%(config)s::regconfig, %(terms)s)
    LIMIT %(ranked)s + 1
), candidates AS (
    SELECT id, rank FROM recent WHERE (SELECT count(*) FROM recent) > %(ranked)s
    UNION ALL
    SELECT id, ts_rank(search, to_tsquery(%(config)s::regconfig, %(terms)s)) FROM (
        SELECT id, search FROM debates_argument
        WHERE (SELECT count(*) FROM recent) <= %(ranked)s
            AND status = %(published)s AND search @@ to_tsquery(%(config)s::regconfig, %(terms)s)
        -- id + 0: sort the index's few matches; a walk down the primary key could read every row
        ORDER BY id + 0 DESC LIMIT %(ranked)s + 1
    ) matches
)
SELECT id, (SELECT count(*) FROM candidates)
FROM (SELECT id, rank FROM candidates ORDER BY id DESC LIMIT %(ranked)s) newest
ORDER BY rank DESC, id
LIMIT %(limit)s
"""


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
    """The `limit` best published arguments for a Dutch full-text query, with their sources
    and a snippet with the matches marked: two queries however many arguments match, three when
    a member posted one of the shown."""
    terms = search_terms(text)
    if terms is None:
        return Found()
    # One database for both queries: replicas are chosen at random per read.
    alias = router.db_for_read(Argument)
    params = {
        "window": WINDOW,
        "ranked": RANKED,
        "limit": limit,
        "published": Argument.Status.PUBLISHED,
        "config": SEARCH_CONFIG,
        "terms": terms,
    }
    with connections[alias].cursor() as cursor:
        cursor.execute(_BEST_SQL, params)
        best = cursor.fetchall()
    if not best:
        return Found()
    query = SearchQuery(terms, search_type="raw", config=SEARCH_CONFIG)
    snippet = SearchHeadline(
        "text", query, config=SEARCH_CONFIG, start_sel=MARK_START, stop_sel=MARK_STOP,
        highlight_all=True,
    )  # fmt: skip
    ids = [pk for pk, _matches in best]
    # What a result shows: the snippet and where the argument comes from (source.html).
    shown = (
        Argument.objects.using(alias)
        .published()  # still, when this query reads it
        .select_related("article", "comment", "author")
        .only(*SHOWN_FIELDS)
        .annotate(snippet=snippet)
        .in_bulk(ids)
    )
    arguments = [shown[pk] for pk in ids if pk in shown]  # in the ranking's order
    # Posts by moderators are marked, as with_source() marks them; asked only when a member
    # wrote one of these (its join of permissions and groups costs more than the rest).
    authors = {argument.author_id for argument in arguments if argument.author_id}
    moderators = set()
    if authors:
        users = get_user_model().objects.using(alias).filter(moderator_q(), pk__in=authors)
        moderators = set(users.values_list("pk", flat=True))
    for argument in arguments:
        argument.by_moderator = argument.author_id in moderators
    return Found(arguments, best[0][1])
