"""Ordering arguments: by strength (DF-QuAD), votes, recency or dispute."""

import math

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from debates.strength import base_score

SORTS = {
    "strongest": _("strongest"),
    "votes": _("most votes"),
    "newest": _("newest"),
    "disputed": _("most disputed"),
}
DEFAULT_SORT = "strongest"


def wilson_lower_bound(up: int, down: int, z: float = 1.96) -> float:
    """The lower bound of the 95% confidence interval of the share of up votes.

    Small samples rank low: 1 up and 0 down scores below 40 up and 5 down.
    """
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - spread) / (1 + z * z / n)


def strength_of(argument) -> float:
    """The argument's stored strength; where none is computed (not published), its votes' base."""
    try:
        return argument.score.strength
    except ObjectDoesNotExist:
        return base_score(argument.up_votes, argument.down_votes)


def sort_key(sort: str, attacks_in=lambda argument: 0):
    """A key for sorted() over arguments; `attacks_in` counts the attacks an argument draws.
    Arguments a moderator pinned come first, whatever the order."""
    if sort == "votes":
        key = lambda a: (-(a.up_votes + a.down_votes), a.pk)  # noqa: E731
    elif sort == "newest":
        key = lambda a: (-a.created_at.timestamp(), -a.pk)  # noqa: E731
    elif sort == "disputed":
        key = lambda a: (-attacks_in(a), -min(a.up_votes, a.down_votes), a.pk)  # noqa: E731
    else:  # strongest: the DF-QuAD strength, then the Wilson lower bound of the votes
        key = lambda a: (-strength_of(a), -wilson_lower_bound(a.up_votes, a.down_votes), a.pk)  # noqa: E731
    return lambda a: (not a.pinned, *key(a))


def chosen_sort(request) -> str:
    sort = request.GET.get("sort", DEFAULT_SORT)
    return sort if sort in SORTS else DEFAULT_SORT
