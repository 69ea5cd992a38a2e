"""The one argument graph: arguments, the links between them, and debates rooted in it."""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import (
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least, Length, Lower
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import moderator_q
from articles.models import Article, Comment
from debates import policy
from debates.vocabulary import (
    CLAIM_MAX,
    CLAIM_MIN,
    NOTE_MAX,
    QUOTE_MAX,
    REASON_MAX,
    Action,
    ArgumentStatus,
    DebateStatus,
    FlagOutcome,
    FlagReason,
    QuoteState,
    Relation,
)


def _length_within(field: str, maximum: int, minimum: int = 0) -> Q:
    """For a CHECK: the field holds `minimum` to `maximum` characters."""
    within = Q(LessThanOrEqual(Length(field), maximum))
    return within & Q(GreaterThanOrEqual(Length(field), minimum)) if minimum else within


class Unaccent(Func):
    """f_unaccent(text): unaccent() declared IMMUTABLE (migration 0002), so indexes can use it."""

    function = "f_unaccent"
    output_field = TextField()


class TrigramSimilar(Func):
    """a % b: trigram similarity above pg_trgm.similarity_threshold."""

    template = "%(expressions)s"
    arg_joiner = " %% "
    output_field = BooleanField()


class WordSimilarWithin(Func):
    """a <% b: a is like some stretch of words in b (pg_trgm.word_similarity_threshold)."""

    template = "%(expressions)s"
    arg_joiner = " <%% "
    output_field = BooleanField()


class ArgumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Argument.Status.PUBLISHED)

    def with_source(self):
        """With where it comes from, and whether its author moderates (their posts are marked)."""
        moderators = get_user_model().objects.filter(moderator_q(), pk=OuterRef("author"))
        return (
            self.select_related("article", "comment", "author", "score")
            # Listings need the source's title, names and slug, not its full text: an article's
            # body would otherwise travel once per argument quoting it.
            .defer(
                "search",
                "article__body",
                "article__body_text",
                "article__search",
                "comment__text",
                "comment__search",
                "author__password",
            )
            .annotate(by_moderator=Exists(moderators))
        )

    def similar_to(self, text: str):
        """Published arguments whose wording is like `text`, most similar first.

        Like as a whole (%, trigram similarity), or found inside a longer `text` (<%, word
        similarity: a member who writes a long text that begins like an existing claim would
        otherwise find nothing, the long text's trigrams swamping the short claim's). Both
        operators on f_unaccent(lower(text)) can use the trigram index.
        """
        query = Unaccent(Lower(Value(text)))
        plain = Unaccent(Lower("text"))
        return (
            self.published()
            .filter(Q(TrigramSimilar(plain, query)) | Q(WordSimilarWithin(plain, query)))
            .annotate(
                similarity=Greatest(
                    TrigramSimilarity(plain, query), TrigramWordSimilarity(plain, query)
                )
            )
            .order_by("-similarity", "pk")
        )

    def most_disputed(self):
        """Published arguments by the number of published attacks they draw."""
        attacks = Count(
            "incoming",
            filter=Q(incoming__relation=Relation.ATTACK) & policy.counted_q("incoming__source__"),
        )
        # Only the attacked are counted: the links say which, not every argument's row.
        attacked = Link.objects.filter(relation=Relation.ATTACK).values("target_id")
        return (
            self.published()
            .filter(pk__in=attacked)
            .annotate(attacks=attacks)
            .filter(attacks__gt=0)
            .order_by("-attacks", "-down_votes", "pk")
        )

    def visible_to(self, user):
        """What `user` sees in full (debates.policy.appearance == SHOWN)."""
        return self.filter(policy.shown_q(user))

    def for_queue(self):
        """With everything a moderator's card shows (open flags, what it answers), for all of
        the cards at once."""
        open_flags = Flag.objects.filter(resolved_at__isnull=True).select_related("user")
        return self.with_source().prefetch_related(
            Prefetch("flags", queryset=open_flags.order_by("-created_at"), to_attr="open_flags"),
            Prefetch(
                "outgoing", queryset=Link.objects.select_related("target"), to_attr="answers_to"
            ),
        )

    def listed_to(self, user):
        """What `user` sees in full or as a placeholder, where it stands."""
        return self.filter(policy.listed_q(user))


@lru_cache(maxsize=16)
def _around_pk(name: str, script_prefix: str) -> tuple[str, str]:
    """The address `name` reverses to for a primary key, as the text before and after the key
    (per script prefix, which reverse() puts in front): a page of a thousand arguments links
    each, and reverse() costs some 40 µs a call."""
    key = 9_876_543_210
    before, _key, after = reverse(name, args=[key]).partition(str(key))
    return before, after


class Argument(models.Model):
    """A claim: extracted from an article or a reader comment (with its exact quote), or posted."""

    Status = ArgumentStatus

    text = models.TextField(_("claim"))
    # Extracted arguments keep the key they have in debates/corpus/arguments.toml.
    key = models.SlugField(_("key"), max_length=100, unique=True, null=True, blank=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arguments",
        verbose_name=_("article"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arguments",
        verbose_name=_("comment"),
    )
    quote = models.TextField(_("quote"), blank=True)
    # Offsets of the quote in the comment's text, or else in the article's body_text.
    quote_start = models.PositiveIntegerField(_("quote start"), null=True, blank=True)
    quote_end = models.PositiveIntegerField(_("quote end"), null=True, blank=True)
    # Anchoring as Hypothesis does it: the quote is found again by its exact text and the words
    # around it; the offsets are only a hint (debates/anchoring.py).
    quote_prefix = models.CharField(_("text before the quote"), max_length=64, blank=True)
    quote_suffix = models.CharField(_("text after the quote"), max_length=64, blank=True)
    quote_state = models.CharField(
        _("quote state"), max_length=16, choices=QuoteState, default=QuoteState.ANCHORED
    )
    # For a drifted quote: what stands at its old place now, shown to moderators beside it.
    drift_text = models.TextField(_("text at the quote's place now"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="arguments",
        verbose_name=_("author"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PUBLISHED)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    up_votes = models.PositiveIntegerField(_("up votes"), default=0)
    down_votes = models.PositiveIntegerField(_("down votes"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    # Why a post waits (pre-moderation, looks like spam) or why it was hidden: shown to its
    # author and, for hidden ones, in the public log.
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector("text", config="dutch"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArgumentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        permissions = [("moderate", _("Can moderate arguments, debates and flags"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=True) | Q(article__isnull=False),
                name="argument_comment_has_article",
            ),
            # Extracted: quote and exact offsets. Posted or editorial: none of them.
            models.CheckConstraint(
                condition=(
                    Q(
                        article__isnull=True,
                        quote="",
                        quote_start__isnull=True,
                        quote_end__isnull=True,
                    )
                    | Q(
                        article__isnull=False,
                        quote_start__isnull=False,
                        quote_end=F("quote_start") + Length("quote"),
                    )
                    & ~Q(quote="")
                ),
                name="argument_quote_offsets",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="argument_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="argument_text_not_empty"),
            models.CheckConstraint(
                condition=_length_within("text", CLAIM_MAX, CLAIM_MIN),
                name="argument_text_length",
            ),
            models.CheckConstraint(
                condition=_length_within("quote", QUOTE_MAX), name="argument_quote_length"
            ),
            models.CheckConstraint(
                condition=_length_within("moderation_reason", REASON_MAX),
                name="argument_moderation_reason_length",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ArgumentStatus.values), name="argument_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(quote_state__in=QuoteState.values)
                & (Q(quote_state=QuoteState.ANCHORED) | ~Q(quote="")),
                name="argument_quote_state_valid",
            ),
            # "Not the same text as an existing argument", race-free.
            models.UniqueConstraint(Lower("text"), name="argument_unique_text"),
        ]
        indexes = [
            # Full-text search over arguments (search page, link picker).
            GinIndex(fields=["search"], name="argument_search_gin"),
            # The queue's drift section: the few quotes that wait for a moderator.
            models.Index(
                fields=["id"], condition=Q(quote_state="drifted"), name="argument_drifted"
            ),
            # "Similar arguments" while a member types (trigram similarity, accents ignored).
            GinIndex(
                OpClass(Unaccent(Lower("text")), name="gin_trgm_ops"), name="argument_text_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        before, after = _around_pk("debates:argument", get_script_prefix())
        return f"{before}{self.pk}{after}"

    @property
    def anchor(self) -> str:
        return f"argument-{self.pk}"

    @property
    def source_url(self) -> str:
        """Where the quote stands: its highlight in the article or the comment; the article
        itself once the quote drifted or was retired (it is not highlighted then)."""
        if self.article_id is None:
            return ""
        if not self.is_anchored:
            return self.article.get_absolute_url()
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def is_anchored(self) -> bool:
        return self.quote_state == QuoteState.ANCHORED

    @property
    def is_extracted(self) -> bool:
        return self.article_id is not None

    # For templates, which read booleans rather than compare status strings.
    @property
    def is_published(self) -> bool:
        return self.status == ArgumentStatus.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.status == ArgumentStatus.PENDING

    @property
    def is_hidden(self) -> bool:
        return self.status == ArgumentStatus.HIDDEN

    @property
    def is_merged(self) -> bool:
        return self.status == ArgumentStatus.MERGED


class Link(models.Model):
    """`source` attacks or supports `target`."""

    Relation = Relation

    source = models.ForeignKey(
        Argument, on_delete=models.CASCADE, related_name="outgoing", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Argument, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("to")
    )
    relation = models.CharField(_("relation"), max_length=8, choices=Relation)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(condition=~Q(source=F("target")), name="link_not_self"),
            # One link per pair, whichever way round: A attacks B excludes B supports A.
            models.UniqueConstraint(
                Least("source", "target"), Greatest("source", "target"), name="link_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="link_relation_valid"
            ),
        ]
        indexes = [
            # The recursive walks go from a target to the links that point at it.
            models.Index(fields=["target", "source"], name="link_target_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"

    @property
    def anchor(self) -> str:
        """Where an answer stands in a list of answers (its argument may stand in several)."""
        return f"answer-{self.pk}"


class Vote(models.Model):
    """A member's +1 or -1 on an argument; one per member and argument."""

    UP, DOWN = 1, -1

    # PROTECT: deleting a member who voted would change counts and strengths without a trace;
    # deactivate them instead (docs/moderation.md).
    # No index of its own: vote_one_per_member and vote_user_recent both lead with the member.
    # (With a third, the planner took a member's votes on a page's arguments from it, reading
    # every vote of theirs, and each vote kept one more index up to date.)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="votes", db_index=False
    )
    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=[(UP, _("up")), (DOWN, _("down"))])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["user", "argument"], name="vote_one_per_member"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_up_or_down"),
        ]
        indexes = [
            # "My contributions": a member's votes, newest first.
            models.Index(fields=["user", "-updated_at"], name="vote_user_recent"),
        ]


# Every argument with a path of links to the root; UNION (not UNION ALL) stops at cycles.
_REACHING_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT %s::bigint
    UNION
    SELECT link.source_id FROM debates_link link JOIN reach ON link.target_id = reach.id
)
SELECT id FROM reach
"""
# Every argument the start reaches by following its links; debates rooted there contain it.
_REACHED_SQL = """
WITH RECURSIVE reach(id) AS (
    SELECT %s::bigint
    UNION
    SELECT link.target_id FROM debates_link link JOIN reach ON link.source_id = reach.id
)
SELECT id FROM reach
"""


def arguments_reaching(root_id: int) -> list[int]:
    """Ids of the root and of every argument with a directed path of links to it (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_REACHING_SQL, [root_id])
        return [row[0] for row in cursor.fetchall()]


def reaching_sql(root_id: int) -> RawSQL:
    """The same ids as a subquery (`pk__in=`), to read a debate's arguments in one query."""
    return RawSQL(_REACHING_SQL, [root_id])


def reached_sql(start_id: int) -> RawSQL:
    """`arguments_reached_from` as a subquery (`pk__in=`)."""
    return RawSQL(_REACHED_SQL, [start_id])


def arguments_reached_from(start_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(_REACHED_SQL, [start_id])
        return [row[0] for row in cursor.fetchall()]


class DebateQuerySet(models.QuerySet):
    def containing(self, argument: Argument):
        """The debates an argument belongs to: those whose thesis it reaches through links."""
        return self.filter(thesis_id__in=arguments_reached_from(argument.pk))


class Debate(models.Model):
    """A question over the one graph, rooted at a thesis; it holds whatever reaches the thesis."""

    Status = DebateStatus

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    thesis = models.ForeignKey(
        Argument, on_delete=models.PROTECT, related_name="debates_rooted", verbose_name=_("thesis")
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debates",
        verbose_name=_("article"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    # Members' posts in this debate wait for a moderator's approval.
    premoderated = models.BooleanField(_("pre-moderated"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DebateQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DebateStatus.values), name="debate_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("debates:detail", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return self.status == DebateStatus.OPEN


class Revision(models.Model):
    """An argument's earlier wording, kept when it is edited."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(_("text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.CheckConstraint(
                condition=_length_within("reason", REASON_MAX), name="revision_reason_length"
            ),
        ]


class Flag(models.Model):
    """A member's private report on an argument, for the moderators' queue."""

    Reason = FlagReason
    Outcome = FlagOutcome

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=32, blank=True, choices=FlagOutcome)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["argument", "user"],
                condition=Q(resolved_at__isnull=True),
                name="flag_one_open_per_member",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, outcome="")
                | Q(resolved_at__isnull=False) & ~Q(outcome=""),
                name="flag_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=FlagReason.values), name="flag_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=FlagOutcome.values),
                name="flag_outcome_valid",
            ),
            models.CheckConstraint(
                condition=_length_within("note", NOTE_MAX), name="flag_note_length"
            ),
        ]
        indexes = [
            # The queue: open flags, newest first.
            models.Index(
                fields=["-created_at"], condition=Q(resolved_at__isnull=True), name="flag_open"
            ),
        ]


class ModerationAction(models.Model):
    """The audit log: one row per moderation action. The database refuses UPDATE and DELETE."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,  # null: the system (three flags hid an argument)
        blank=True,
        related_name="moderation_actions",
    )
    Action = Action

    action = models.CharField(_("action"), max_length=32, choices=Action)
    argument = models.ForeignKey(
        Argument, on_delete=models.PROTECT, null=True, blank=True, related_name="moderation_log"
    )
    debate = models.ForeignKey(
        Debate, on_delete=models.PROTECT, null=True, blank=True, related_name="moderation_log"
    )
    # The slugs of the debates the target belonged to then: the log is filtered by them.
    debates = ArrayField(models.SlugField(max_length=120), default=list, blank=True)
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    # Which earlier action this one undoes, if any.
    undoes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="modaction_action_valid"
            ),
            # An action is undone at most once, whatever runs in parallel.
            models.UniqueConstraint(
                fields=["undoes"], condition=Q(undoes__isnull=False), name="modaction_undone_once"
            ),
            # Every action says why: a reason of blanks is no reason.
            models.CheckConstraint(
                condition=Q(reason__regex=r"\S") & _length_within("reason", REASON_MAX),
                name="modaction_reason_given",
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="modaction_recent"),
            # Filtering the log by debate.
            GinIndex(fields=["debates"], name="modaction_debates"),
        ]


class Strength(models.Model):
    """A published argument's DF-QuAD strength over the whole published graph.

    Derived data, kept in its own table: debates.strength.refresh() rewrites the rows a write
    affects, in that write's transaction and under one advisory lock, so it never waits on the
    argument rows that votes and moderators lock. Hidden, pending and merged arguments have none.
    """

    argument = models.OneToOneField(
        Argument, on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    base = models.FloatField(_("base score"))
    strength = models.FloatField(_("strength"))
    # False where no fixed point satisfied the equations to 1e-9 (a cycle that would not settle).
    settled = models.BooleanField(_("settled"), default=True)

    class Meta:
        verbose_name = _("strength")
        verbose_name_plural = _("strengths")
        constraints = [
            models.CheckConstraint(
                condition=Q(base__gte=0, base__lte=1), name="strength_base_in_unit_interval"
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=0, strength__lte=1), name="strength_in_unit_interval"
            ),
        ]
