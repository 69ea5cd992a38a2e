"""Who hears what, written in the same transaction as what happened; mail after it commits.

debates/services.py and debates/moderation/services.py send signals (debates.signals) inside
their transactions; notifications.receivers turns them into calls here. Nobody hears of their
own act, of a down vote, or of a post they may not see (a waiting post tells its target's
author nothing until a moderator approves it).
"""

from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from debates.models import Argument, Debate, Link
from debates.vocabulary import Action, ArgumentStatus, Relation
from notifications.models import Follow, Kind, Notification, Preferences
from notifications.tasks import send_digest, send_notification

# What a member hears when a moderator acts on their post.
ACTION_KINDS = {
    Action.APPROVE: Kind.APPROVED,
    Action.REJECT: Kind.REJECTED,
    Action.HIDE: Kind.HIDDEN,
    Action.AUTO_HIDE: Kind.HIDDEN,
    Action.RESTORE: Kind.RESTORED,
    Action.UNMERGE: Kind.RESTORED,
    Action.MERGE: Kind.MERGED,
    Action.EDIT: Kind.EDITED,
}


def follow_debates_of(user, argument: Argument) -> None:
    """Posting in a debate follows it, unless the member unfollowed it before."""
    debates = Debate.objects.containing(argument).values_list("pk", flat=True)
    Follow.objects.bulk_create(
        [Follow(user=user, debate_id=pk) for pk in debates], ignore_conflicts=True
    )


def set_following(user, debate: Debate, follow: bool) -> None:
    Follow.objects.update_or_create(user=user, debate=debate, defaults={"active": follow})


def is_following(user, debate: Debate) -> bool:
    return (
        user.is_authenticated
        and Follow.objects.filter(user=user, debate=debate, active=True).exists()
    )


def answered(link: Link, actor) -> None:
    """`link.source` now attacks or supports `link.target` in public: its author hears it, and
    so do the followers of every debate the answer enters (collected per debate)."""
    source, target = link.source, link.target
    if source.status != ArgumentStatus.PUBLISHED:
        return  # a waiting post says nothing yet; moderated() tells them once it is approved
    actor_pk = actor.pk if actor is not None else None
    told = [actor_pk]
    notes = []
    if target.author_id and target.author_id != actor_pk:
        kind = Kind.ATTACKED if link.relation == Relation.ATTACK else Kind.SUPPORTED
        notes.append(
            Notification.objects.create(
                recipient_id=target.author_id,
                kind=kind,
                actor_id=actor_pk,
                argument=source,
                target=target,
            )
        )
        told.append(target.author_id)
    debates = list(Debate.objects.containing(target).values_list("pk", flat=True))
    notes += _collect(debates, source, actor_pk, [pk for pk in told if pk is not None])
    dispatch(notes)


# One statement for all followers of all the debates: a new unread notification per follower
# and debate, or one more argument counted on the unread one (the partial unique index).
# xmax = 0 marks the rows this statement inserted, not updated.
_COLLECT_SQL = """
INSERT INTO notifications_notification
    (recipient_id, kind, actor_id, argument_id, debate_id, reason, count, created_at, updated_at)
SELECT follow.user_id, 'debate', %s, %s, follow.debate_id, '', 1, now(), now()
FROM notifications_follow follow
WHERE follow.active AND follow.debate_id = ANY(%s) AND NOT follow.user_id = ANY(%s)
ON CONFLICT (recipient_id, debate_id) WHERE kind = 'debate' AND read_at IS NULL
DO UPDATE SET count = notifications_notification.count + 1,
    argument_id = EXCLUDED.argument_id, actor_id = EXCLUDED.actor_id, updated_at = now()
RETURNING id, xmax = 0
"""


def _collect(debates: list[int], argument: Argument, actor_pk, skip: list[int]):
    if not debates:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_COLLECT_SQL, [actor_pk, argument.pk, debates, skip or [0]])
        inserted = [pk for pk, new in cursor.fetchall() if new]
    # Only a new notification mails: the ones that count more arguments were mailed already.
    return list(Notification.objects.filter(pk__in=inserted))


def moderated(entry) -> None:
    """A moderator's action on a post: its author hears it, with the reason. An approved
    post's answers now reach the authors of what it answers."""
    argument = entry.argument
    kind = ACTION_KINDS.get(entry.action)
    if kind is None:
        return
    notes = []
    if argument.author_id and argument.author_id != entry.moderator_id:
        notes.append(
            Notification.objects.create(
                recipient_id=argument.author_id,
                kind=kind,
                actor_id=entry.moderator_id,
                argument=argument,
                reason=entry.reason,
            )
        )
    dispatch(notes)
    if entry.action == Action.APPROVE:
        for link in Link.objects.filter(source=argument).select_related("source", "target"):
            answered(link, argument.author)


# Mail


def dispatch(notes: list[Notification]) -> None:
    """Mail each note its recipient wants by e-mail: at once (after the commit, by the task
    worker), or in the next daily digest. Queuing is robust: should it fail, the error is
    logged and the member's request, already committed, still succeeds."""
    if not notes:
        return
    recipients = {note.recipient_id for note in notes}
    chosen = Preferences.objects.in_bulk(list(recipients))
    for note in notes:
        preferences = chosen.get(note.recipient_id) or Preferences(user_id=note.recipient_id)
        if not preferences.wants_email(note.kind):
            continue
        if preferences.digest:
            _schedule_digest(preferences)
        else:
            transaction.on_commit(partial(send_notification.enqueue, note.pk), robust=True)


def next_digest_time(now: datetime | None = None) -> datetime:
    """The next DIGEST_HOUR o'clock, local time."""
    now = timezone.localtime(now)
    due = timezone.make_aware(datetime.combine(now.date(), time(settings.DIGEST_HOUR)))
    return due if due > now else due + timedelta(days=1)


def _schedule_digest(preferences: Preferences) -> None:
    due = next_digest_time()
    # One digest pending per member, whatever runs in parallel: only the update that finds
    # no digest pending enqueues one.
    scheduled = Preferences.objects.filter(pk=preferences.pk, digest_due_at__isnull=True).update(
        digest_due_at=due
    )
    if scheduled:
        transaction.on_commit(
            partial(send_digest.using(run_after=due).enqueue, preferences.pk), robust=True
        )


def unsubscribe(user) -> None:
    """No more e-mail of any kind; the inbox keeps everything."""
    Preferences.objects.update_or_create(
        user=user,
        defaults={"email_answers": False, "email_moderation": False, "email_debates": False},
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pk: int | None = None) -> int:
    """Mark one of the member's notifications (or all of them) read; how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
