"""What the debate layer tells the layers above it, inside the write's own transaction.

The notifications app (above debates) listens; debates never imports it. A receiver that
raises rolls the write back with it, so what is told and what happened cannot drift apart.
"""

from django.dispatch import Signal

# A member answered an argument: `link` (source attacks or supports target), `actor` (the
# member), `posted` (True: a new argument, which may wait for a moderator; False: an existing
# one linked). Sent once the link exists.
argument_answered = Signal()

# A moderation action on an argument is on record: `entry` (the ModerationAction, with its
# argument, action, reason and moderator; moderator None for the system).
argument_moderated = Signal()
