"""Writes that members make to the graph: votes, replies and links. Each runs in one transaction.

What a member may do is decided by debates.policy; these functions ask it before writing.
Arguments' rows are locked FOR NO KEY UPDATE: writes to one argument queue up, while rows that
merely point at it (the strengths that debates.strength.refresh upserts under its advisory
lock, links, votes) never wait for that lock, so the two locks cannot deadlock.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_moderator
from accounts.ratelimit import Limit, hit
from accounts.rows import fetched
from debates import policy, strength
from debates.models import Argument, Debate, Link, Revision, Vote, arguments_reached_from
from debates.signals import argument_answered
from debates.vocabulary import CLAIM_MAX, CLAIM_MIN

VOTE_VALUES = {"up": Vote.UP, "down": Vote.DOWN, "clear": 0}
# Control characters, and the invisible ones that turn text around or hide in it (bidi
# overrides and isolates, byte-order marks): a claim could then read otherwise than it says.
_STEERING = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class RateLimited(Exception):
    """The member has used up a limit; the message says which and for how long."""


def _check_limit(user, scope: str) -> None:
    limit = Limit.named(scope)
    if not hit(scope, str(user.pk), limit):
        minutes = max(1, limit.seconds // 60)
        if scope == "vote":
            message = _("You voted %(count)s times in %(minutes)s minutes: wait a little.")
        else:
            message = _(
                "You posted or linked %(count)s times in %(minutes)s minutes: wait a little."
            )
        raise RateLimited(message % {"count": limit.count, "minutes": minutes})


@dataclass(frozen=True)
class Cast:
    """A vote as it stands after `vote_cast`: the member's vote, the argument's counts, and the
    strengths the vote moved (argument id -> strength, settled; empty when nothing changed)."""

    argument: Argument  # as locked for the vote, with the counts after it
    held: int
    moved: dict[int, tuple[float, bool]] = field(default_factory=dict)


# The member's vote set and the argument's counters moved by the difference, in one statement
# (a PL/pgSQL function, debates/migrations/0014: planned once per connection). No row when the
# vote is what it was. The caller holds the argument's row lock, so no other vote on it by this
# member runs in between.
_VOTE_SQL = "SELECT up_votes, down_votes FROM debates_cast_vote(%(user)s, %(argument)s, %(new)s)"


def _locked(pk: int) -> Argument:
    """The argument with this id, its row locked FOR NO KEY UPDATE, read by a written-out
    statement (accounts.rows: the ORM's compiled query cost 0.3 ms a vote), its search vector
    left out."""
    found = fetched(
        Argument,
        connection.alias,
        " FROM debates_argument WHERE id = %s FOR NO KEY UPDATE",
        [pk],
        leave_out=("search",),
    )
    if found is None:
        raise Argument.DoesNotExist
    return found[0]


def vote_cast(user, argument: Argument | int, value: str) -> Cast:
    """Set the member's vote on an argument (or the argument with that id) to up, down or clear.

    Only on an argument the member sees where it stands (policy.listed_q), else
    Argument.DoesNotExist: another member's waiting post is not there to vote on. The
    argument's row is locked first, so parallel votes on it queue up and the up/down
    counters, changed in the same statement as the vote, always equal the votes. The limit is
    counted before the transaction (an atomic upsert of its own), so no member's limit row is
    held while the strengths are recomputed.
    """
    if value not in VOTE_VALUES:
        raise ValidationError(_("A vote is up, down or clear."))
    new = VOTE_VALUES[value]
    _check_limit(user, "vote")
    with transaction.atomic():
        pk = argument.pk if isinstance(argument, Argument) else argument
        locked = _locked(pk)
        if policy.appearance(user, locked) == policy.Appearance.ABSENT:  # listed_q, in Python
            raise Argument.DoesNotExist
        policy.check_answerable(locked)
        with connection.cursor() as cursor:
            cursor.execute(_VOTE_SQL, {"user": user.pk, "argument": locked.pk, "new": new})
            counts = cursor.fetchone()
        if counts is None:  # the vote it already was
            return Cast(locked, new)
        locked.up_votes, locked.down_votes = counts
        return Cast(locked, new, moved=strength.refresh([locked.pk]).strengths)


def clean_claim(text: str, *, exclude: Argument | None = None) -> str:
    """Validate a claim (posted, reworded, edited or extracted): trimmed, CLAIM_MIN to CLAIM_MAX
    characters, not an existing argument's text."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Write your argument."), code="required")
    if _STEERING.search(text):
        raise ValidationError(
            _("Remove the invisible control characters from your text."), code="control"
        )
    if len(text) < CLAIM_MIN:
        raise ValidationError(
            _("Write at least %(min)s characters: a whole claim.") % {"min": CLAIM_MIN},
            code="short",
        )
    if len(text) > CLAIM_MAX:
        raise ValidationError(
            _("Keep it to %(max)s characters; you wrote %(length)s.")
            % {"max": CLAIM_MAX, "length": len(text)},
            code="long",
        )
    others = Argument.objects.exclude(pk=exclude.pk) if exclude else Argument.objects.all()
    if others.annotate(lower=Lower("text")).filter(lower=text.lower()).exists():
        raise ValidationError(
            _("This argument exists already: link it instead of posting it again."),
            code="duplicate",
        )
    return text


def can_edit_own(user, argument: Argument) -> bool:
    """A member may reword their own post until someone has voted on it or answered it."""
    return policy.editable_by_author(user, argument, answered=argument.incoming.exists())


@transaction.atomic
def argument_edit_own(user, argument: Argument, text: str) -> Argument:
    """The author rewords their post; the earlier wording is kept as a revision."""
    argument = Argument.objects.select_for_update(no_key=True).get(pk=argument.pk)
    if not can_edit_own(user, argument):
        raise ValidationError(
            _("Only its author can reword a post, until someone votes on it or answers it.")
        )
    policy.check_debates_open(argument)
    text = clean_claim(text, exclude=argument)
    if text == argument.text:
        raise ValidationError(_("The text is unchanged."))
    Revision.objects.create(
        argument=argument, text=argument.text, edited_by=user, reason=_("reworded by its author")
    )
    argument.text = text
    argument.edited_at = timezone.now()
    argument.save(update_fields=["text", "edited_at", "updated_at"])
    return argument


def _check_relation(relation: str) -> None:
    if relation not in Link.Relation.values:
        raise ValidationError(_("Choose whether it attacks or supports."))


@transaction.atomic
def argument_rebut(user, target: Argument, text: str, relation: str) -> Argument:
    """Post a new argument that attacks (a rebuttal) or supports `target`."""
    _check_relation(relation)
    text = clean_claim(text)
    policy.check_answerable(Argument.objects.select_for_update(no_key=True).get(pk=target.pk))
    _check_limit(user, "post")
    held = hold_reason(user, target, text)
    status = Argument.Status.PENDING if held else Argument.Status.PUBLISHED
    try:
        with transaction.atomic():
            argument = Argument.objects.create(
                text=text, author=user, status=status, moderation_reason=held
            )
    except IntegrityError:  # the same text posted a moment ago by someone else
        raise ValidationError(
            _("This argument exists already: link it instead of posting it again.")
        ) from None
    link = Link.objects.create(source=argument, target=target, relation=relation, author=user)
    strength.refresh([argument.pk])
    argument_answered.send(sender=Argument, link=link, actor=user, posted=True)
    return argument


@transaction.atomic
def argument_link(user, target: Argument, source_id, relation: str) -> Link:
    """Link an existing argument to `target`: it attacks or supports it."""
    _check_relation(relation)
    try:
        source = Argument.objects.get(pk=int(source_id))
    except (TypeError, ValueError, Argument.DoesNotExist):
        raise ValidationError(_("Choose an existing argument to link.")) from None
    if source.pk == target.pk:
        raise ValidationError(_("An argument cannot attack or support itself."))
    policy.check_answerable(Argument.objects.select_for_update(no_key=True).get(pk=target.pk))
    if source.status != Argument.Status.PUBLISHED:
        raise ValidationError(_("That argument is hidden or waits for moderation."))
    policy.check_debates_open(source)
    pair = Q(source=source, target=target) | Q(source=target, target=source)
    if Link.objects.filter(pair).exists():
        raise ValidationError(_("These two arguments are linked already."))
    _check_limit(user, "post")
    try:
        with transaction.atomic():
            link = Link.objects.create(source=source, target=target, relation=relation, author=user)
    except IntegrityError:  # linked in parallel a moment ago
        raise ValidationError(_("These two arguments are linked already.")) from None
    strength.refresh([source.pk])
    argument_answered.send(sender=Argument, link=link, actor=user, posted=False)
    return link


_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def hold_reason(user, target: Argument, text: str) -> str:
    """Why a member's new post should wait for a moderator, or "" to publish it at once."""
    if is_moderator(user):
        return ""
    if Debate.objects.filter(
        thesis_id__in=arguments_reached_from(target.pk), premoderated=True
    ).exists():
        return _("This debate is pre-moderated.")
    if len(_URL.findall(text)) > 2:
        return _("It contains more than two links.")
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return _("It is written mostly in capitals.")
    # A repeat: nearly the same words as one of the member's 50 latest posts (Jaccard ≥ 0.9).
    # Exact repeats of any argument are refused outright by the unique index.
    words = set(re.findall(r"\w+", text.lower()))
    if len(words) >= 6:
        latest = Argument.objects.filter(author=user).order_by("-pk").values_list("text", flat=True)
        for previous in latest[:50]:
            other = set(re.findall(r"\w+", previous.lower()))
            if len(words & other) / len(words | other) >= 0.9:
                return _("It repeats one of your earlier posts.")
    return ""
