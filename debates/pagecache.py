"""Debate pages rendered once per version of the content, shared by every viewer who sees the same.

The version is one number in the database that every write to what these pages show moves on,
inside the writing transaction (a trigger, migration 0009): a reader that reads the new number
sees the new content too, so a page cached under a version is never stale. Each part is cached
under the version, the language and the address (its sort order and the `next` of its forms).

Who shares: anonymous readers and members who see what they see, that is members without a post
of their own waiting for approval or hidden (policy.appearance shows those to their author
only). Moderators, and those members, get the page rendered for them alone. What differs between
sharing viewers is laid over the shared HTML per request: the member's own votes (the vote
widgets of the arguments they voted on, rendered with the page, swapped in) and the CSRF token.
"""

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts.access import is_moderator
from debates.models import Argument, Vote
from debates.ranking import SORTS

# Stands in for the CSRF token in shared HTML; each response gets its own token there.
CSRF_PLACEHOLDER = "tegenspraak-csrf-placeholder"
TIMEOUT = 24 * 3600
VOTES_TEMPLATE = "debates/includes/votes.html"


@dataclass
class Part:
    html: str
    title: str = ""
    # argument id -> its vote widget as rendered in `html`, voted up, voted down
    votes: dict[int, tuple[str, str, str]] = field(default_factory=dict)


# The version a part is being built under: what it shows is kept under that one too.
_building = ContextVar("pagecache_version", default=None)


def version() -> int:
    if (building := _building.get()) is not None:
        return building
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM debates_content_version")
        return cursor.fetchone()[0]


def debate_version(slug: str) -> int:
    """The version of one debate's content (migration 0011): it moves on with every write that
    debate shows. The version of all content for a slug that names no debate."""
    if (building := _building.get()) is not None:
        return building
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce((SELECT version.value FROM debates_debate_version version "
            "JOIN debates_debate debate ON debate.id = version.debate_id WHERE debate.slug = %s), "
            "(SELECT value FROM debates_content_version))",
            [slug],
        )
        return cursor.fetchone()[0]


def shares(user) -> bool:
    """Whether this viewer sees what an anonymous reader sees, their own votes apart."""
    if not user.is_authenticated:
        return True
    if is_moderator(user):
        return False
    own = Argument.objects.filter(author=user).exclude(status__in=[Argument.Status.PUBLISHED])
    return not own.exclude(status=Argument.Status.MERGED).exists()


def as_reader(request: HttpRequest) -> HttpRequest:
    """The request as an anonymous reader's, to render what every sharing viewer sees."""
    reader = copy.copy(request)
    reader.user = AnonymousUser()
    return reader


def render_part(
    request: HttpRequest, template: str, context: dict, voting: Iterable[Argument] = ()
) -> Part:
    """Render `template` with the CSRF placeholder, and each voting argument's widget three
    ways (as in the page, voted up, voted down) for the member's overlay."""
    context = {**context, "csrf_token": CSRF_PLACEHOLDER}
    part = Part(html=render_to_string(template, context, request))
    widget = get_template(VOTES_TEMPLATE)
    for argument in voting:
        if argument.pk in part.votes or getattr(argument, "my_vote", 0):
            continue
        variants = []
        for value in (0, Vote.UP, Vote.DOWN):
            argument.my_vote = value
            variants.append(widget.render({"argument": argument, **context}, request))
        argument.my_vote = 0
        part.votes[argument.pk] = tuple(variants)
    return part


# Per process: locks the parts are built under, so the threads that miss a part together wait
# for one rendering of it instead of each rendering it (striped: a fixed number, shared by
# pages that hash alike), and the key each page was last stored under, so a part stored under a
# new version drops the one it supersedes and the cache holds one version of a page, not one
# per write since the worker started (at most LATEST pages remembered).
_locks = [threading.Lock() for _ in range(64)]
_latest: OrderedDict[str, str] = OrderedDict()
_latest_guard = threading.Lock()
LATEST = 1024


def _cacheable(request: HttpRequest) -> bool:
    """Only the addresses a page links to are cached: none or a known sort order in the query
    string. Any other query string renders anew, so made-up addresses cannot fill the cache."""
    return all(
        key == "sort" and len(values) == 1 and values[0] in SORTS
        for key, values in request.GET.lists()
    )


def shared(
    request: HttpRequest,
    name: str,
    build: Callable[[HttpRequest], Part],
    *,
    debate: str = "",
) -> Part:
    """The part `name` of a page for this viewer: from the cache when they share it (built as
    an anonymous reader's), else built for them. The part of one `debate` (a slug) is kept under
    that debate's version: writes to other debates leave it be."""
    if not shares(request.user):
        return build(request)
    if not _cacheable(request):
        return build(as_reader(request))
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
    page = f"{get_language()}:{name}:{path}"
    current = debate_version(debate) if debate else version()
    key = f"page:{current}:{page}"
    # The vote widgets apart: a reader needs only the page, a member both.
    member = request.user.is_authenticated
    keys = [key, key + ":votes"] if member else [key]

    def build_both(_missing) -> dict:
        with one_version(current):
            part = build(as_reader(request))
        _supersede(page, key)
        return {key: Part(part.html, part.title), key + ":votes": part.votes}

    found = _kept(page, keys, build_both)
    if _plain_reader(request):
        request.page_etag = f'"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}"'
    part = found[key]
    return Part(part.html, part.title, found[key + ":votes"]) if member else part


def _plain_reader(request: HttpRequest) -> bool:
    """A reader with nothing of their own on the page: not signed in, no session (no message
    waiting to be shown), a CSRF cookie the page's forms were made for already set."""
    cookies = request.COOKIES
    return (
        not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and settings.CSRF_COOKIE_NAME in cookies
    )


def not_modified(request: HttpRequest) -> HttpResponse | None:
    """304 for a plain reader whose browser holds the page as it is (If-None-Match names its
    ETag: the version, the language and the address it was rendered for); else None."""
    tag = getattr(request, "page_etag", None)
    held = parse_etags(request.headers.get("If-None-Match", ""))
    # Weakly: compressed, the answer carried the tag as W/"..." (GZipMiddleware).
    if tag and tag in {held_tag.removeprefix("W/") for held_tag in held}:
        response = HttpResponseNotModified()
        response["ETag"] = tag
        return response
    return None


def tagged(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The response with the page's ETag, for a plain reader's next visit."""
    if tag := getattr(request, "page_etag", None):
        response["ETag"] = tag
        patch_cache_control(response, no_cache=True)  # ask each time; the answer may be 304
    return response


@contextmanager
def one_version(known: int | None = None):
    """Within it, every part and value is read under one version: `known`, or the content's
    version read once at its start."""
    token = _building.set(version() if known is None else known)
    try:
        yield
    finally:
        _building.reset(token)


def per_version[T](name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept under the content's version like the pages (and computed once per
    version by the threads that want it together): for values several pages show."""
    key = f"value:{version()}:{name}"

    def build(_missing) -> dict:
        _supersede(name, key)
        return {key: compute()}

    return _kept(name, [key], build)[key]


def per_debate[T](
    name: str, versions: dict[int, int], compute: Callable[[list[int]], dict[int, T]]
) -> dict[int, T]:
    """A value for each debate (id -> its version), each kept under its debate's version: only
    those of the debates that changed are computed, by `compute(their ids)` together. A debate
    `compute` leaves out is kept as False."""
    keys = {pk: f"value:{value}:{name}:{pk}" for pk, value in versions.items()}
    debates = {key: pk for pk, key in keys.items()}

    def build(missing: list[str]) -> dict:
        computed = compute([debates[key] for key in missing])
        for key in missing:
            _supersede(f"{name}:{debates[key]}", key)
        return {key: computed.get(debates[key], False) for key in missing}

    found = _kept(name, list(debates), build)
    return {pk: found[key] for pk, key in keys.items()}


def _kept(lock: str, keys: list[str], build: Callable[[list[str]], dict]) -> dict:
    """The cached values of `keys`; those missing made by `build(missing keys)` (key -> value,
    stored) under the lock of `lock`, so the threads that miss them together build them once."""
    found = cache.get_many(keys)
    if len(found) < len(keys):
        with _locks[hash(lock) % len(_locks)]:
            found = cache.get_many(keys)  # built meanwhile by the thread this one waited for
            missing = [key for key in keys if key not in found]
            if missing:
                fresh = build(missing)
                cache.set_many(fresh, TIMEOUT)
                found.update(fresh)
    return found


def _supersede(page: str, key: str) -> None:
    with _latest_guard:
        old = _latest.pop(page, None)
        _latest[page] = key
        while len(_latest) > LATEST:
            _latest.popitem(last=False)
    if old and old != key:
        cache.delete_many([old, old + ":votes"])


def personal(request: HttpRequest, part: Part) -> SafeString:
    """The shared HTML with this viewer's votes and CSRF token in it (one query for the votes)."""
    html = part.html
    if request.user.is_authenticated and part.votes:
        mine = Vote.objects.filter(user=request.user, argument_id__in=list(part.votes))
        for pk, value in mine.values_list("argument_id", "value"):
            plain, up, down = part.votes[pk]
            html = html.replace(plain, up if value == Vote.UP else down)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308
