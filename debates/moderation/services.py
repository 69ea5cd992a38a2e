"""Moderation: who moderates, what they may do, and the audit row every action leaves.

Nothing here deletes data: hiding, rejecting and merging change a status; editing keeps the
earlier wording as a revision; every action writes one append-only ModerationAction row and
can be undone by its inverse, which is logged in turn.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import MODERATORS, is_moderator, require_moderator
from accounts.ratelimit import Limit, hit
from articles.services import article_imported
from debates import policy, strength
from debates.models import (
    Argument,
    Debate,
    Flag,
    Link,
    ModerationAction,
    Revision,
    Vote,
    arguments_reached_from,
)
from debates.services import clean_claim
from debates.signals import argument_moderated
from debates.vocabulary import NOTE_MAX, REASON_MAX, Action, FlagOutcome

FLAGS_TO_HIDE = 3
ARGUMENT_ACTIONS = [
    Action.APPROVE,
    Action.REJECT,
    Action.HIDE,
    Action.RESTORE,
    Action.PIN,
    Action.UNPIN,
]
# The inverse of each action: what "undo" does.
INVERSE = {
    Action.APPROVE: Action.UNAPPROVE,
    Action.UNAPPROVE: Action.APPROVE,
    Action.REJECT: Action.RESTORE,
    Action.HIDE: Action.RESTORE,
    Action.AUTO_HIDE: Action.RESTORE,
    Action.RESTORE: Action.HIDE,
    Action.PIN: Action.UNPIN,
    Action.UNPIN: Action.PIN,
    Action.EDIT: Action.EDIT,
    Action.MERGE: Action.UNMERGE,
    Action.UNMERGE: Action.MERGE,
    Action.LOCK: Action.UNLOCK,
    Action.UNLOCK: Action.LOCK,
    Action.PREMODERATE: Action.UNPREMODERATE,
    Action.UNPREMODERATE: Action.PREMODERATE,
}
# The actions readers see in a debate's public log.
PUBLIC_ACTIONS = {
    Action.HIDE,
    Action.AUTO_HIDE,
    Action.REJECT,
    Action.RESTORE,
    Action.MERGE,
    Action.UNMERGE,
    Action.LOCK,
    Action.UNLOCK,
}


def moderators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    permission = Permission.objects.get(codename="moderate", content_type__app_label="debates")
    group.permissions.add(permission)
    return group


def _snapshot(argument: Argument) -> dict:
    return {
        "status": argument.status,
        "text": argument.text,
        "pinned": argument.pinned,
        "merged_into": argument.merged_into_id,
        "reason": argument.moderation_reason,
    }


def _debate_slugs(argument: Argument) -> list[str]:
    return list(
        Debate.objects.filter(thesis_id__in=arguments_reached_from(argument.pk))
        .order_by("slug")
        .values_list("slug", flat=True)
    )


def _record(moderator, action, reason, *, argument=None, debate=None, before, after, undoes=None):
    if debate is not None:
        slugs = [debate.slug]
    elif argument is not None:
        slugs = _debate_slugs(argument)
    else:
        slugs = []
    entry = ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        argument=argument,
        debate=debate,
        debates=slugs,
        reason=reason,
        before=before,
        after=after,
        undoes=undoes,
    )
    if argument is not None:
        argument_moderated.send(sender=ModerationAction, entry=entry)
    return entry


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give a reason: it goes into the log."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("Keep the reason to %(max)s characters; it has %(length)s.")
            % {"max": REASON_MAX, "length": len(reason)}
        )
    return reason


def _resolve_flags(argument: Argument, moderator, outcome: str) -> None:
    argument.flags.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, outcome=outcome
    )


# Transitions: (allowed statuses before, status after, flag outcome)
_TRANSITIONS = {
    Action.APPROVE: ({Argument.Status.PENDING}, Argument.Status.PUBLISHED, ""),
    Action.UNAPPROVE: ({Argument.Status.PUBLISHED}, Argument.Status.PENDING, ""),
    Action.REJECT: ({Argument.Status.PENDING}, Argument.Status.HIDDEN, FlagOutcome.REJECTED),
    Action.HIDE: (
        {Argument.Status.PUBLISHED, Argument.Status.PENDING},
        Argument.Status.HIDDEN,
        FlagOutcome.HIDDEN,
    ),
    Action.RESTORE: ({Argument.Status.HIDDEN}, Argument.Status.PUBLISHED, FlagOutcome.KEPT),
}


@transaction.atomic
def moderate_argument(moderator, argument: Argument, action: str, reason: str, *, undoes=None):
    """approve, reject, hide, restore, pin or unpin one argument, with a reason, on record."""
    require_moderator(moderator)
    reason = _clean_reason(reason)
    argument = Argument.objects.select_for_update(no_key=True).get(pk=argument.pk)
    before = _snapshot(argument)
    if action in _TRANSITIONS:
        allowed, status, outcome = _TRANSITIONS[action]
        if argument.status not in allowed:
            raise ValidationError(
                _("This argument is %(status)s: it cannot be %(action)s.")
                % {"status": argument.get_status_display(), "action": _(action)}
            )
        argument.status = status
        argument.moderated_at = timezone.now()
        argument.moderation_reason = reason if status == Argument.Status.HIDDEN else ""
        if outcome:
            _resolve_flags(argument, moderator, outcome)
    elif action in (Action.PIN, Action.UNPIN):
        argument.pinned = action == Action.PIN
    else:
        raise ValidationError(_("Unknown action."))
    argument.save()
    if action in _TRANSITIONS:  # published or not: its strength and what it reaches change
        strength.refresh([argument.pk])
    return _record(
        moderator, action, reason, argument=argument, before=before,
        after=_snapshot(argument), undoes=undoes,
    )  # fmt: skip


@transaction.atomic
def dismiss_flags(moderator, argument: Argument, reason: str):
    """Decide on an argument's open flags without changing what readers see: a shown argument
    is kept (outcome "kept"); one the flags hid stays hidden, now for the moderator's reason."""
    require_moderator(moderator)
    reason = _clean_reason(reason)
    argument = Argument.objects.select_for_update(no_key=True).get(pk=argument.pk)
    flags = list(argument.flags.filter(resolved_at__isnull=True).values_list("pk", flat=True))
    if not flags:
        raise ValidationError(_("This argument has no open flags."))
    before = _snapshot(argument)
    if argument.status == Argument.Status.HIDDEN:
        outcome = FlagOutcome.HIDDEN
        argument.moderation_reason = reason
        argument.moderated_at = timezone.now()
        argument.save()
    else:
        outcome = FlagOutcome.KEPT
    _resolve_flags(argument, moderator, outcome)
    after = {**_snapshot(argument), "flags": flags, "outcome": outcome}
    return _record(moderator, "dismiss", reason, argument=argument, before=before, after=after)


@transaction.atomic
def edit_argument(moderator, argument: Argument, text: str, reason: str, *, undoes=None):
    """Change an argument's wording; the earlier wording is kept as a revision."""
    require_moderator(moderator)
    reason = _clean_reason(reason)
    argument = Argument.objects.select_for_update(no_key=True).get(pk=argument.pk)
    if " ".join((text or "").split()) == argument.text:
        raise ValidationError(_("The text is unchanged."))
    text = clean_claim(text, exclude=argument)
    before = _snapshot(argument)
    Revision.objects.create(
        argument=argument, text=argument.text, edited_by=moderator, reason=reason
    )
    argument.text = text
    argument.edited_at = timezone.now()
    try:
        with transaction.atomic():
            argument.save()
    except IntegrityError:
        raise ValidationError(_("Another argument has this text already: merge them.")) from None
    return _record(
        moderator, "edit", reason, argument=argument, before=before,
        after=_snapshot(argument), undoes=undoes,
    )  # fmt: skip


def _recount(*arguments: Argument) -> None:
    """Counts derived from the votes themselves, after votes moved between arguments."""
    for argument in arguments:
        counts = argument.votes.aggregate(
            up=Count("pk", filter=Q(value=Vote.UP)), down=Count("pk", filter=Q(value=Vote.DOWN))
        )
        Argument.objects.filter(pk=argument.pk).update(
            up_votes=counts["up"], down_votes=counts["down"]
        )


def _move_link_ends(moves: list, to: Argument, only_from: Argument | None = None) -> None:
    """Point the recorded ends ([link id, "source"|"target"]) at `to`: one UPDATE per end."""
    for end in ("source", "target"):
        pks = [pk for pk, moved_end in moves if moved_end == end]
        links = Link.objects.filter(pk__in=pks)
        if only_from is not None:
            links = links.filter(**{end: only_from})
        if pks:
            links.update(**{end: to})


@transaction.atomic
def merge_arguments(moderator, duplicate: Argument, into: Argument, reason: str, *, undoes=None):
    """Merge a duplicate into the argument it repeats.

    Its links and votes move to the kept argument, except where that would make a self-link,
    a second link between the same pair, or a second vote by the same member: those stay on
    the tombstone, which redirects to the kept argument. Undo moves everything back.
    """
    require_moderator(moderator)
    reason = _clean_reason(reason)
    if duplicate.pk == into.pk:
        raise ValidationError(_("An argument cannot be merged into itself."))
    locked = {
        a.pk: a
        for a in Argument.objects.select_for_update(no_key=True).filter(
            pk__in=[duplicate.pk, into.pk]
        )
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if duplicate.status == Argument.Status.MERGED:
        raise ValidationError(_("This argument is merged already."))
    if into.status != Argument.Status.PUBLISHED:  # its readers would lose the thread
        raise ValidationError(_("Merge into a visible argument."))
    before = _snapshot(duplicate)
    before["previous_status"] = duplicate.status

    voters = set(into.votes.values_list("user_id", flat=True))
    moved_votes = list(duplicate.votes.exclude(user_id__in=voters).values_list("pk", flat=True))
    Vote.objects.filter(pk__in=moved_votes).update(argument=into)

    partners = {
        link.target_id if link.source_id == into.pk else link.source_id
        for link in Link.objects.filter(Q(source=into) | Q(target=into))
    }
    moved_links = []
    for link in Link.objects.filter(Q(source=duplicate) | Q(target=duplicate)).order_by("pk"):
        other = link.target_id if link.source_id == duplicate.pk else link.source_id
        if other == into.pk or other in partners:
            continue  # it would link the kept argument to itself or twice to one argument
        partners.add(other)
        moved_links.append([link.pk, "source" if link.source_id == duplicate.pk else "target"])
    _move_link_ends(moved_links, into)

    duplicate.status = Argument.Status.MERGED
    duplicate.merged_into = into
    duplicate.moderated_at = timezone.now()
    duplicate.moderation_reason = reason
    duplicate.save()
    _recount(duplicate, into)
    strength.refresh([duplicate.pk, into.pk])
    _resolve_flags(duplicate, moderator, FlagOutcome.MERGED)
    after = {**_snapshot(duplicate), "votes_moved": moved_votes, "links_moved": moved_links}
    return _record(
        moderator, "merge", reason, argument=duplicate, before=before, after=after, undoes=undoes
    )


@transaction.atomic
def unmerge_argument(moderator, merge: ModerationAction, reason: str):
    """Undo a merge: the moved votes and links go back, the duplicate is visible again."""
    require_moderator(moderator)
    reason = _clean_reason(reason)
    duplicate = Argument.objects.select_for_update(no_key=True).get(pk=merge.argument_id)
    into = Argument.objects.select_for_update(no_key=True).get(
        pk=merge.before.get("merged_into") or merge.after["merged_into"]
    )
    if duplicate.status != Argument.Status.MERGED:
        raise ValidationError(_("This argument is not merged."))
    before = _snapshot(duplicate)
    Vote.objects.filter(pk__in=merge.after["votes_moved"], argument=into).update(argument=duplicate)
    _move_link_ends(merge.after["links_moved"], duplicate, only_from=into)
    duplicate.status = merge.before.get("previous_status", Argument.Status.PUBLISHED)
    duplicate.merged_into = None
    duplicate.moderation_reason = ""
    duplicate.save()
    _recount(duplicate, into)
    strength.refresh([duplicate.pk, into.pk])
    return _record(
        moderator, "unmerge", reason, argument=duplicate, before=before,
        after=_snapshot(duplicate), undoes=merge,
    )  # fmt: skip


@transaction.atomic
def set_debate_status(moderator, debate: Debate, action: str, reason: str, *, undoes=None):
    """lock / unlock a debate, or switch its pre-moderation on or off."""
    require_moderator(moderator)
    reason = _clean_reason(reason)
    debate = Debate.objects.select_for_update().get(pk=debate.pk)
    before = {"status": debate.status, "premoderated": debate.premoderated}
    if action == "lock":
        debate.status = Debate.Status.LOCKED
    elif action == "unlock":
        debate.status = Debate.Status.OPEN
    elif action in ("premoderate", "unpremoderate"):
        debate.premoderated = action == "premoderate"
    else:
        raise ValidationError(_("Unknown action."))
    debate.save()
    after = {"status": debate.status, "premoderated": debate.premoderated}
    return _record(
        moderator, action, reason, debate=debate, before=before, after=after, undoes=undoes
    )


@transaction.atomic
def undo(moderator, entry: ModerationAction, reason: str) -> ModerationAction:
    """Carry out the inverse of a logged action (itself logged, pointing back at it).

    Only the latest action on its argument or debate can be undone, and only once: the item's
    row is locked first, so parallel undos and actions queue up and each sees the others; a
    unique index on `undoes` holds even so. An older action would override later decisions.
    """
    require_moderator(moderator)
    inverse = INVERSE.get(entry.action)
    if inverse is None:
        raise ValidationError(_("This action cannot be undone."))
    if entry.argument_id:
        Argument.objects.select_for_update(no_key=True).get(pk=entry.argument_id)
    else:
        Debate.objects.select_for_update().get(pk=entry.debate_id)
    latest = (
        ModerationAction.objects.filter(argument_id=entry.argument_id, debate_id=entry.debate_id)
        .exclude(action=Action.DISMISS)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if ModerationAction.objects.filter(undoes=entry).exists():
        raise ValidationError(_("This action is undone already."))
    if latest != entry.pk:
        raise ValidationError(
            _("Only the latest action on an argument or debate can be undone; undo that one.")
        )
    if entry.action == "merge":
        return unmerge_argument(moderator, entry, reason)
    if entry.action == "unmerge":
        into = Argument.objects.get(pk=entry.before["merged_into"])
        return merge_arguments(moderator, entry.argument, into, reason, undoes=entry)
    if entry.action == "edit":
        return edit_argument(moderator, entry.argument, entry.before["text"], reason, undoes=entry)
    if entry.debate_id:
        return set_debate_status(moderator, entry.debate, inverse, reason, undoes=entry)
    return moderate_argument(moderator, entry.argument, inverse, reason, undoes=entry)


# Members' side: flags, holds and locks


@transaction.atomic
def flag_argument(user, argument: Argument, reason: str, note: str = "") -> Flag:
    """A member's flag. Three open flags from different members hide the argument until a
    moderator decides, unless a moderator wrote it."""
    if reason not in Flag.Reason.values:
        raise ValidationError(_("Choose a reason for the flag."))
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("Keep the note to %(max)s characters; it has %(length)s.")
            % {"max": NOTE_MAX, "length": len(note)}
        )
    argument = Argument.objects.select_for_update(no_key=True).get(pk=argument.pk)
    seen = policy.appearance(user, argument) == policy.Appearance.SHOWN
    if not seen or not policy.flaggable(argument):
        raise ValidationError(_("This argument is not shown: there is nothing to flag."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(argument=argument, user=user, reason=reason, note=note)
    except IntegrityError:
        raise ValidationError(
            _("You flagged this argument already; a moderator will look at it.")
        ) from None
    if not hit("flag", str(user.pk), Limit.named("flag")):
        raise ValidationError(
            _("You flagged many posts in a short time: a moderator will look at them first.")
        )
    open_flaggers = (
        argument.flags.filter(policy.trusted_flag_q(), resolved_at__isnull=True)
        .values("user")
        .distinct()
        .count()
    )
    by_moderator = argument.author is not None and is_moderator(argument.author)
    # A thesis is never hidden by flags: a whole debate would go offline. It waits in the queue.
    if (
        open_flaggers >= FLAGS_TO_HIDE
        and argument.status == Argument.Status.PUBLISHED
        and not by_moderator
        and not argument.debates_rooted.exists()
    ):
        before = _snapshot(argument)
        argument.status = Argument.Status.HIDDEN
        argument.moderated_at = timezone.now()
        argument.moderation_reason = _(
            "Hidden after %(count)s flags, until a moderator decides."
        ) % {"count": open_flaggers}
        argument.save()
        strength.refresh([argument.pk])
        _record(
            None, Action.AUTO_HIDE, argument.moderation_reason, argument=argument,
            before=before, after=_snapshot(argument),
        )  # fmt: skip
    return flag


@receiver(article_imported)
def _log_import(sender, moderator, reason: str, after: dict, **kwargs) -> None:
    """An article imported through the browser goes into the audit log, in the same transaction."""
    _record(moderator, Action.IMPORT, reason[:REASON_MAX], before={}, after=after)
