"""Shared state for limits: counters in the database, so every server process sees them."""

from django.db import models


class RateLimit(models.Model):
    """How often one key (scope and who) acted within one fixed time window."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # unix time // window length
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            # The upsert in accounts.ratelimit counts on this.
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_key_window")
        ]
        indexes = [models.Index(fields=["expires_at"], name="ratelimit_expires")]


class Backoff(models.Model):
    """Failed log-ins of one key (scope and who), and when the last one was counted: after a few
    free attempts each next one must wait twice as long as the one before (accounts.backoff)."""

    key = models.CharField(max_length=200, primary_key=True)
    attempts = models.PositiveIntegerField()
    last_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["last_at"], name="backoff_last_at")]
