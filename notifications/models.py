"""What a member hears back: notifications, the debates they follow, how they want e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from debates.models import Argument, Debate
from debates.vocabulary import REASON_MAX


class Kind(models.TextChoices):
    ATTACKED = "attacked", _("attacked")
    SUPPORTED = "supported", _("supported")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    HIDDEN = "hidden", _("hidden")
    RESTORED = "restored", _("restored")
    MERGED = "merged", _("merged")
    EDITED = "edited", _("edited")
    DEBATE = "debate", _("new arguments in a debate you follow")


class Topic(models.TextChoices):
    """The kinds grouped as a member chooses them for e-mail."""

    ANSWERS = "answers", _("Someone attacks or supports one of my arguments")
    MODERATION = "moderation", _("A moderator decides on one of my posts")
    DEBATES = "debates", _("New arguments in a debate I follow")


TOPIC_OF = {
    Kind.ATTACKED: Topic.ANSWERS,
    Kind.SUPPORTED: Topic.ANSWERS,
    Kind.DEBATE: Topic.DEBATES,
}


def topic_of(kind: str) -> str:
    return TOPIC_OF.get(kind, Topic.MODERATION)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def described(self):
        """With everything a line of the inbox or a mail shows, in the same query."""
        return self.select_related(
            "actor", "debate", "argument__merged_into", "target__merged_into", "recipient"
        ).defer(
            "argument__search",
            "target__search",
            "argument__merged_into__search",
            "target__merged_into__search",
        )

    def for_inbox(self, user):
        """A member's notifications, newest first."""
        return self.filter(recipient=user).described().order_by("-updated_at", "-pk")


class Notification(models.Model):
    """One thing a member hears about. `argument` is what it is about (the new answer, the
    moderated post, the latest new argument of a followed debate); `target` is the member's
    own argument that was answered. Texts are never copied in: the inbox and the mail show the
    argument as the reader may see it when they read it (debates.policy.appearance)."""

    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(
        Argument, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    debate = models.ForeignKey(
        Debate, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    # A followed debate's new arguments are collected in one unread notification.
    count = models.PositiveIntegerField(_("count"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.DEBATE) | Q(debate__isnull=False),
                name="notification_debate_named",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("reason"), REASON_MAX)),
                name="notification_reason_length",
            ),
            # One unread notification per followed debate collects its new arguments; the
            # upsert in notifications.services counts on it.
            models.UniqueConstraint(
                fields=["recipient", "debate"],
                condition=Q(kind="debate", read_at__isnull=True),
                name="notification_one_unread_per_debate",
            ),
        ]
        indexes = [
            # The inbox: a member's notifications, newest first.
            models.Index(fields=["recipient", "-updated_at"], name="notification_inbox"),
            # The header's unread count.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Follow(models.Model):
    """A member follows a debate. Posting in a debate follows it; unfollowing keeps the row
    with `active` off, so a later post does not follow it again behind the member's back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(_("following"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed debate")
        verbose_name_plural = _("followed debates")
        constraints = [
            models.UniqueConstraint(fields=["user", "debate"], name="follow_one_per_member"),
        ]
        indexes = [
            # The followers of the debates a new argument enters.
            models.Index(fields=["debate"], condition=Q(active=True), name="follow_debate_active")
        ]


class Preferences(models.Model):
    """How a member wants to hear: which topics by e-mail, a daily digest, in which language.
    A member without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    email_answers = models.BooleanField(Topic.ANSWERS.label, default=True)
    email_moderation = models.BooleanField(Topic.MODERATION.label, default=True)
    email_debates = models.BooleanField(Topic.DEBATES.label, default=False)
    digest = models.BooleanField(
        _("One e-mail a day with everything, instead of one e-mail each"), default=False
    )
    language = models.CharField(
        _("Language of the e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # When the pending digest goes out; set once per digest, atomically (services).
    digest_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def wants_email(self, kind: str) -> bool:
        return getattr(self, f"email_{topic_of(kind)}")

    @property
    def emails_anything(self) -> bool:
        return self.email_answers or self.email_moderation or self.email_debates
