"""The fixed words and limits of the debate layer, each written once.

Every vocabulary is a TextChoices that the models store and the database checks (a named
CHECK per field); every limit is one constant that the forms, the services and a database
CHECK share. The labels are what people read: the logs show an action by its label.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Claims: a whole sentence, not an essay; the same for posts, edits and extracted claims.
CLAIM_MIN = 15
CLAIM_MAX = 500
# A moderator's reason (audit log, hidden placeholder) and a member's note with a flag.
REASON_MAX = 1000
NOTE_MAX = 500
# The passage an extracted argument quotes.
QUOTE_MAX = 5000


class ArgumentStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    PENDING = "pending", _("waiting for moderation")
    HIDDEN = "hidden", _("hidden")
    MERGED = "merged", _("merged")


class QuoteState(models.TextChoices):
    """Whether an extracted argument's quote still stands where its offsets say."""

    ANCHORED = "anchored", _("anchored")
    # Its text changed or went away in a re-import: not highlighted until a moderator decides.
    DRIFTED = "drifted", _("drifted")
    # A moderator decided the quote is gone for good: the argument stays, unhighlighted.
    RETIRED = "retired", _("retired")


class DebateStatus(models.TextChoices):
    OPEN = "open", _("open")
    LOCKED = "locked", _("locked")
    ARCHIVED = "archived", _("archived")


class Relation(models.TextChoices):
    ATTACK = "attack", _("attacks")
    SUPPORT = "support", _("supports")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("spam")
    OFFENSIVE = "offensive", _("offensive")
    OFF_TOPIC = "off-topic", _("off-topic")
    DUPLICATE = "duplicate", _("duplicate")
    OTHER = "other", _("other")


class FlagOutcome(models.TextChoices):
    """How a moderator decided on a flag."""

    KEPT = "kept", _("kept")
    HIDDEN = "hidden", _("hidden")
    REJECTED = "rejected", _("rejected")
    MERGED = "merged", _("merged")


class Action(models.TextChoices):
    """A moderation action, as the audit log records it and names it."""

    APPROVE = "approve", _("approved")
    UNAPPROVE = "unapprove", _("approval withdrawn")
    REJECT = "reject", _("rejected")
    HIDE = "hide", _("hidden")
    AUTO_HIDE = "auto-hide", _("hidden after flags")
    RESTORE = "restore", _("restored")
    PIN = "pin", _("pinned")
    UNPIN = "unpin", _("unpinned")
    EDIT = "edit", _("edited")
    MERGE = "merge", _("merged")
    UNMERGE = "unmerge", _("merge undone")
    LOCK = "lock", _("locked")
    UNLOCK = "unlock", _("reopened")
    PREMODERATE = "premoderate", _("pre-moderation on")
    UNPREMODERATE = "unpremoderate", _("pre-moderation off")
    DISMISS = "dismiss", _("flags dismissed")
    EXTRACT = "extract", _("argument extracted")
    IMPORT = "import", _("article imported")
    DRIFT = "drift", _("quote drifted")
    REANCHOR = "reanchor", _("quote anchored again")
    RETIRE_QUOTE = "retire-quote", _("quote retired")
