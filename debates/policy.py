"""The one rulebook: who sees an argument and in what form, what counts, who may do what.

Every place that decides one of these questions asks this module: the QuerySets (`visible_to`,
`listed_to`), the debate graph (placeholders), the views (404s, the rights they hand to
templates) and the services (before every write). Templates get the booleans of `Rights`,
never status strings to compare.

Seeing (`appearance`):
- published: everyone sees it;
- pending: its author and the moderators; nobody else knows it exists;
- hidden: its author and the moderators see it, marked; everyone else sees a placeholder with
  the date and the reason, so that its answers keep their context;
- merged: a tombstone; its address leads to the argument it repeated.

Counting: only published arguments count, in every count and ranking (attacks, answers,
"most disputed", strengths, the standing). What is public by nature shows what counts, to
everyone alike: search, the highlights in an article, the exports and the feeds.

Acting: members vote on, answer and link published arguments of open debates only. A debate
that is locked or archived refuses every member's write anywhere in it, checked under a row lock
(FOR SHARE on the debates), so a lock also stops the writes already under way. Moderators may
still moderate inside a locked or archived debate: that is what locking is for.
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_moderator
from debates.vocabulary import ArgumentStatus, DebateStatus

PUBLISHED, PENDING, HIDDEN, MERGED = (
    ArgumentStatus.PUBLISHED,
    ArgumentStatus.PENDING,
    ArgumentStatus.HIDDEN,
    ArgumentStatus.MERGED,
)


class Appearance(StrEnum):
    SHOWN = "shown"
    PLACEHOLDER = "placeholder"
    ABSENT = "absent"


def _viewer_pk(viewer) -> int | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def appearance(viewer, argument) -> Appearance:
    """How `viewer` (a user, anonymous or None) sees one argument."""
    if argument.status == MERGED:
        return Appearance.ABSENT
    if argument.status == PUBLISHED or is_moderator(viewer):
        return Appearance.SHOWN
    viewer_pk = _viewer_pk(viewer)
    if viewer_pk is not None and argument.author_id == viewer_pk:
        return Appearance.SHOWN
    return Appearance.PLACEHOLDER if argument.status == HIDDEN else Appearance.ABSENT


def shown_q(viewer) -> Q:
    """The arguments `viewer` sees in full: `appearance(...) == SHOWN`, in SQL."""
    if is_moderator(viewer):
        return ~Q(status=MERGED)
    viewer_pk = _viewer_pk(viewer)
    if viewer_pk is None:
        return Q(status=PUBLISHED)
    return Q(status=PUBLISHED) | Q(status__in=[PENDING, HIDDEN], author_id=viewer_pk)


def listed_q(viewer) -> Q:
    """Shown or standing as a placeholder: what a page lists where it stands."""
    return shown_q(viewer) | Q(status=HIDDEN)


def counted_q(prefix: str = "") -> Q:
    """What counts in counts and rankings: published arguments only."""
    return Q(**{f"{prefix}status": PUBLISHED})


def counts(argument) -> bool:
    return argument.status == PUBLISHED


# The debates an argument belongs to (those whose thesis it reaches), locked for share: a
# moderator's lock (FOR UPDATE) waits for the writes under way and they see a lock committed
# before them. A PL/pgSQL function (debates/migrations/0014): its walk is planned once per
# connection, not at every write.
_CLOSED_SQL = "SELECT id, title, status FROM debates_of_argument(%s)"
# Every argument in a debate that is not open: one query for a whole page.
_FROZEN_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT thesis_id FROM debates_debate WHERE status <> 'open'
    UNION
    SELECT link.source_id FROM debates_link link JOIN reach ON link.target_id = reach.id
)
SELECT id FROM reach
"""


def closed_message(debate) -> str:
    """Why a member cannot write in this debate (locked or archived)."""
    if debate.status == DebateStatus.ARCHIVED:
        return _("The debate “%(title)s” is archived: it takes no posts, links or votes.") % {
            "title": debate.title
        }
    return _("The debate “%(title)s” is locked: no posts, links or votes for now.") % {
        "title": debate.title
    }


@dataclass(frozen=True)
class _Closed:
    title: str
    status: str


def check_debates_open(argument) -> None:
    """Refuse a member's write to an argument of a locked or archived debate.

    Call it inside the write's transaction: the debates' rows stay share-locked until it ends.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CLOSED_SQL, [argument.pk])
        rows = cursor.fetchall()
    for _pk, title, status in rows:
        if status != DebateStatus.OPEN:
            raise ValidationError(closed_message(_Closed(title, status)))


def check_answerable(argument) -> None:
    """A vote, an answer or a link needs a published argument in open debates only."""
    if argument.status != PUBLISHED:
        raise ValidationError(_("This argument is not open: it is hidden or waits for moderation."))
    check_debates_open(argument)


def frozen_ids() -> set[int]:
    """Every argument inside a locked or archived debate (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_FROZEN_SQL)
        return {row[0] for row in cursor.fetchall()}


def closed_debate(debates):
    """The first of these debates that is not open, if any (nothing is queried)."""
    return next((debate for debate in debates if debate.status != DebateStatus.OPEN), None)


def editable_by_author(user, argument, *, answered: bool) -> bool:
    """A member may reword their own post until someone has voted on it or answered it."""
    return (
        _viewer_pk(user) is not None
        and argument.author_id == user.pk
        and argument.status in (PUBLISHED, PENDING)
        and argument.up_votes + argument.down_votes == 0
        and not answered
    )


# Flags are not weapons: only members with some standing count towards hiding a post.
TRUST_AGE = timedelta(days=7)


def trusted_flag_q() -> Q:
    """Flags (as a filter on Flag) that count towards hiding an argument until a moderator
    decides: from members who joined at least TRUST_AGE ago and have a published argument."""
    return Q(
        user__date_joined__lte=timezone.now() - TRUST_AGE,
        user__arguments__status=PUBLISHED,
    )


def flaggable(argument) -> bool:
    return argument.status in (PUBLISHED, PENDING)


@dataclass(frozen=True)
class Rights:
    """What the viewer may do with one argument where it is shown; templates read these."""

    vote: bool = False
    reply: bool = False  # rebut, support and link an existing argument
    edit: bool = False
    flag: bool = False
    moderate: bool = False


def rights(viewer, argument, *, frozen: bool, answered: bool = True) -> Rights:
    """`frozen`: the argument stands in a locked or archived debate. Anonymous readers get the
    members' buttons: using one leads to the login page and back."""
    open_ = argument.status == PUBLISHED and not frozen
    return Rights(
        vote=open_,
        reply=open_,
        edit=not frozen and editable_by_author(viewer, argument, answered=answered),
        flag=argument.status == PUBLISHED and not is_moderator(viewer),
        moderate=is_moderator(viewer),
    )
