"""The benchmark's settings: production's, with the rate limits lifted (one member votes and
posts thousands of times a minute there) and one more address (bench/urls.py). Used by
`make bench` only."""

from config.settings import *  # noqa: F403
from config.settings import RATE_LIMITS

RATE_LIMITS = {scope: (10**9, seconds) for scope, (_count, seconds) in RATE_LIMITS.items()}

ROOT_URLCONF = "bench.urls"
