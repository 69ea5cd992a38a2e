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
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections, router
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts.access import is_moderator
from debates.models import Argument, Vote
from debates.ranking import SORTS


def _placeholder(name: str) -> str:
    """A string that stands in for a per-request value in shared HTML and is replaced wherever
    it occurs: derived from the secret key, so no claim, name or address can contain it (a
    member who wrote it in a claim would otherwise show each reader their CSRF token)."""
    digest = hashlib.blake2b(f"{name}:{settings.SECRET_KEY}".encode(), digest_size=16)
    return f"tegenspraak-{name}-{digest.hexdigest()}"


# Stands in for the CSRF token in shared HTML; each response gets its own token there.
CSRF_PLACEHOLDER = _placeholder("csrf")
# And for the CSP nonce in a plain reader's whole page (`respond`).
NONCE_PLACEHOLDER = _placeholder("nonce")
TIMEOUT = 24 * 3600
VOTES_TEMPLATE = "debates/includes/votes.html"


@dataclass
class Part:
    html: str
    title: str = ""
    # argument id -> each of its vote widgets in `html` (where it starts, its length, the
    # widget voted up, voted down): an argument the page shows twice has two
    votes: dict[int, list[tuple[int, int, str, str]]] = field(default_factory=dict)


# The version a part is being built under: what it shows is kept under that one too.
_building = ContextVar("pagecache_version", default=None)


def reading():
    """The connection this request reads content from (a replica's, config/replicas.py): the
    versions are read there too, so a page is never kept under a version its content is older
    than."""
    return connections[router.db_for_read(Argument)]


def version() -> int:
    if (building := _building.get()) is not None:
        return building
    with reading().cursor() as cursor:
        cursor.execute("SELECT value FROM debates_content_version")
        return cursor.fetchone()[0]


def debate_version(slug: str) -> int:
    """The version of one debate's content (migration 0011): it moves on with every write that
    debate shows. The version of all content for a slug that names no debate."""
    if (building := _building.get()) is not None:
        return building
    with reading().cursor() as cursor:
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


# A vote widget as the page has it (templates/debates/includes/votes.html): its argument, and the
# address and anchor its form sends the member back to.
_WIDGET = re.compile(
    r'<div class="votes">\s*<form method="post" action="/arguments/(\d+)/vote/".*?'
    r'name="next" value="([^"#]*)#([^"]*)".*?</div>',
    re.S,
)


def render_part(
    request: HttpRequest, template: str, context: dict, voting: Iterable[Argument] = ()
) -> Part:
    """Render `template` with the CSRF placeholder, and find in it the vote widget of each
    voting argument: each rendered again voted up and voted down, for the member's overlay."""
    context = {**context, "csrf_token": CSRF_PLACEHOLDER}
    part = Part(html=render_to_string(template, context, request))
    arguments = {argument.pk: argument for argument in voting}
    language = get_language()
    # A made-up address (`?utm=…`) would fill the widgets' cache with its `next`: rendered anew.
    variants = _variants if _cacheable(request) else _variants.__wrapped__
    for found in _WIDGET.finditer(part.html):
        argument = arguments.get(int(found[1]))
        if argument is None or getattr(argument, "my_vote", 0):
            continue
        as_is, up, down = variants(
            language,
            argument.pk,
            argument.up_votes,
            argument.down_votes,
            argument.rights.vote,
            html.unescape(found[2]),
            html.unescape(found[3]),
        )
        if as_is == found[0]:  # else it is not the widget it seems: left as it is
            part.votes.setdefault(argument.pk, []).append((found.start(), len(found[0]), up, down))
    return part


# About 4.5 KB an entry: a worker keeps at most 4.5 MB of them, the widgets of eight pages.
@lru_cache(maxsize=1024)
def _variants(
    language: str, pk: int, up: int, down: int, can_vote: bool, next_: str, anchor: str
) -> tuple[str, str, str]:
    """A vote widget as a page shows it (not voted), voted up and voted down. The widget shows
    nothing but these (templates/debates/includes/votes.html), so they are kept per process:
    after a vote a page is rendered anew, and of its widgets only the voted one has changed
    (a third of a cold 1,000-argument page went into rendering them all again)."""
    widget = get_template(VOTES_TEMPLATE)
    argument = SimpleNamespace(
        pk=pk, anchor=Argument(pk=pk).anchor, up_votes=up, down_votes=down,
        rights=SimpleNamespace(vote=can_vote),
    )  # fmt: skip
    context = {
        "csrf_token": CSRF_PLACEHOLDER, "next": next_, "vote_anchor": anchor,
        "request": SimpleNamespace(get_full_path=lambda: next_),  # the form's default `next`
    }  # fmt: skip
    rendered = []
    with translation.override(language):
        for value in (0, Vote.UP, Vote.DOWN):
            argument.my_vote = value
            rendered.append(widget.render({**context, "argument": argument}).strip())
    return tuple(rendered)


# Per process: locks the parts are built under, so the threads that miss a part together wait
# for one rendering of it instead of each rendering it (striped: a fixed number, shared by
# pages that hash alike), and the key each page was last stored under, so a part stored under a
# new version drops the one it supersedes and the cache holds one version of a page, not one
# per write since the worker started (at most LATEST pages remembered).
# Two levels, taken in one order: a page's build may ask for values (the debate list asks for
# the standings), a value's build asks for nothing kept. Reentrant, so a thread never waits
# on a lock it holds.
_page_locks = [threading.RLock() for _ in range(64)]
_value_locks = [threading.RLock() for _ in range(64)]
_latest: OrderedDict[str, str] = OrderedDict()
_latest_guard = threading.Lock()
LATEST = 1024


_LINKED_QUERIES = frozenset(["", *(f"sort={sort}" for sort in SORTS)])


def _cacheable(request: HttpRequest) -> bool:
    """Only the addresses a page links to are cached: no query string or a known sort order,
    written as the pages write it. Any other (`?&`, `?sort=%6Eewest`, `?utm=`) renders anew,
    so made-up addresses cannot fill the cache."""
    return request.META.get("QUERY_STRING", "") in _LINKED_QUERIES


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
    page, current, key = _address(request, name, debate)
    # A reader needs only the page; a member the page with its vote widgets, in one entry (the
    # widgets' places hold for that HTML only).
    wanted = key + ":member" if request.user.is_authenticated else key

    def build_both(_missing) -> dict:
        with one_version(current):
            part = build(as_reader(request))
        _supersede(page, key)
        return {key: Part(part.html, part.title), key + ":member": part}

    found = _kept(_page_locks, page, [wanted], build_both)
    _mark_plain(request, key)
    return found[wanted]


def _address(request: HttpRequest, name: str, debate: str) -> tuple[str, int, str]:
    """The page (language, part, address), the version it is read under, and its cache key;
    the version read once per request."""
    known = request.__dict__.setdefault("_page_addresses", {})
    if (name, debate) not in known:
        path = hashlib.blake2b(request.get_full_path().encode(), digest_size=12).hexdigest()
        page = f"{get_language()}:{name}:{path}"
        current = debate_version(debate) if debate else version()
        known[name, debate] = page, current, f"page:{current}:{page}"
    return known[name, debate]


def _etag(key: str) -> str:
    return f'"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}"'


def _mark_plain(request: HttpRequest, key: str) -> None:
    """For a plain reader: where their whole page is kept, and (with a CSRF cookie) its ETag."""
    if _plain_reader(request):
        request.page_whole = key + ":whole"
        if cookie := request.COOKIES.get(settings.CSRF_COOKIE_NAME):
            # The page's forms hold tokens for this cookie: a new cookie (a log-in changes it)
            # must not be answered 304 with a page made for the old one.
            request.page_etag = _etag(f"{key}:{cookie}")


def kept_whole(request: HttpRequest, name: str, *, debate: str = "") -> HttpResponse | None:
    """For a plain reader, the whole page `name` as `respond` kept it (one query: the version),
    or 304 when their browser holds it; None when it is not kept or the viewer is not one."""
    if not (_plain_reader(request) and _cacheable(request)):
        return None
    _mark_plain(request, _address(request, name, debate)[2])
    if unchanged := not_modified(request):
        return unchanged
    content = cache.get(request.page_whole)
    return None if content is None else _filled(request, content)


def respond(
    request: HttpRequest, template: str, part: Part, context: Callable[[str], dict]
) -> HttpResponse:
    """The page around `part` (`context(its HTML)` for `template`). A plain reader's is the same
    for all of them but for the CSRF token and the CSP nonce: rendered once per version with
    placeholders for those two, kept whole for `kept_whole`, filled in per request. Anyone
    else's is rendered for them, their votes laid over the part."""
    if unchanged := not_modified(request):
        return unchanged
    whole = getattr(request, "page_whole", None)
    if whole is None:
        return render(request, template, context(personal(request, part)))
    html = render_to_string(
        template, {**context(mark_safe(part.html)), "csrf_token": CSRF_PLACEHOLDER}, request
    )
    if (nonce := get_nonce(request)) is not None:
        html = html.replace(str(nonce), NONCE_PLACEHOLDER)
    content = html.encode()  # kept encoded: a request fills in two strings, nothing more
    cache.set(whole, content, TIMEOUT)
    return _filled(request, content)


# Stand in, in the site's frame (`framed`), for what differs between a page's plain readers.
_FRAME_TITLE = _placeholder("title")
_FRAME_CONTENT = _placeholder("content")
_HERE = _placeholder("here")
_HERE_QUERY = _placeholder("here-query")
_FILLED = re.compile("|".join([_HERE, _HERE_QUERY, CSRF_PLACEHOLDER, NONCE_PLACEHOLDER]))
# (language, script prefix, view name) -> the frame, per process. A prefix comes from the
# request (gunicorn trusts a SCRIPT_NAME header from its proxy), so no more are kept than this.
_frames: dict[tuple[str, str, str], str] = {}
FRAMES = 32


def framed(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """`template` rendered for this request. A plain reader's is its partials `page-title` and
    `page-content` put into the site's frame (base.html: the head, the header, the footer). The
    frame is the same for all plain readers of one view but for four strings (the address twice,
    the CSRF token, the CSP nonce), so it is rendered once per process, language and view and
    filled in per request: on the search page that was half the template's time.

    A view that uses it adds no message of its own, and base.html and the header show a plain
    reader nothing of the request but those four, the language and the view."""
    if not _plain_reader(request) or get_messages(request):
        return render(request, template, context)
    key = (get_language(), get_script_prefix(), request.resolver_match.view_name)
    if (frame := _frames.get(key)) is None:
        frame = _frame(request)
        if not settings.DEBUG and len(_frames) < FRAMES:  # under DEBUG edits show at once
            _frames[key] = frame
    path, nonce = request.get_full_path(), get_nonce(request)
    fills = {
        _HERE_QUERY: html.escape(quote(path, safe="/")),  # as config.context_processors.here
        _HERE: html.escape(path),
        CSRF_PLACEHOLDER: get_token(request),
        # Made by str() (a LazyNonce is false until then), and so put into the header too.
        NONCE_PLACEHOLDER: "" if nonce is None else str(nonce),
    }
    frame = _FILLED.sub(lambda found: fills[found[0]], frame)  # in one pass
    before_title, _, after_title = frame.partition(_FRAME_TITLE)
    before_content, _, after_content = after_title.partition(_FRAME_CONTENT)
    title = render_to_string(f"{template}#page-title", context, request)
    content = render_to_string(f"{template}#page-content", context, request)
    return HttpResponse("".join([before_title, title, before_content, content, after_content]))


@receiver(setting_changed)
def _forget_frames(**kwargs) -> None:
    """A frame holds what the settings made of it (static files' addresses, whether scripts
    carry a nonce): a test that changes them starts without the frames made before."""
    _frames.clear()


def _frame(request: HttpRequest) -> str:
    """base.html with placeholders for the page's own parts and for what differs between the
    plain readers of this request's view."""
    placeholders = {
        "frame_title": mark_safe(_FRAME_TITLE),
        "frame_content": mark_safe(_FRAME_CONTENT),
        "here": _HERE,
        "here_query": _HERE_QUERY,
        "csrf_token": CSRF_PLACEHOLDER,
    }
    frame = render_to_string("frame.html", placeholders, request)
    if (nonce := get_nonce(request)) is not None:
        frame = frame.replace(str(nonce), NONCE_PLACEHOLDER)
    if frame.count(_FRAME_TITLE) != 1 or frame.count(_FRAME_CONTENT) != 1:
        raise ImproperlyConfigured("base.html must show the title and content blocks once each.")
    return frame


def _filled(request: HttpRequest, content: bytes) -> HttpResponse:
    """A kept whole page with this request's CSRF token and CSP nonce, and its ETag."""
    content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if (nonce := get_nonce(request)) is not None:  # read: it goes into the header too
        content = content.replace(NONCE_PLACEHOLDER.encode(), str(nonce).encode())
    return tagged(request, HttpResponse(content))


def _plain_reader(request: HttpRequest) -> bool:
    """A reader with nothing of their own on the page: not signed in, no session (no message
    waiting to be shown). Their page differs from another's only in the CSRF token (made for
    the cookie they have or are given) and the CSP nonce. Only one with the CSRF cookie gets an
    ETag: a 304 sets no cookie, and the page their browser holds was made for that one."""
    cookies = request.COOKIES
    return (
        not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
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
        # Ask each time (the answer may be 304); for this browser only: its forms hold its token.
        patch_cache_control(response, private=True, no_cache=True)
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

    return _kept(_value_locks, name, [key], build)[key]


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

    found = _kept(_value_locks, name, list(debates), build)
    return {pk: found[key] for pk, key in keys.items()}


def _kept(locks: list, lock: str, keys: list[str], build: Callable[[list[str]], dict]) -> dict:
    """The cached values of `keys`; those missing made by `build(missing keys)` (key -> value,
    stored) under the lock of `lock` in `locks`, so the threads that miss them together build
    them once."""
    found = cache.get_many(keys)
    if len(found) < len(keys):
        with locks[hash(lock) % len(locks)]:
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
        cache.delete_many([old, old + ":member", old + ":whole"])


_MINE_SQL = (
    "SELECT argument_id, value FROM debates_vote WHERE user_id = %s AND argument_id = ANY(%s)"
)


def personal(request: HttpRequest, part: Part) -> SafeString:
    """The shared HTML with this viewer's votes and CSRF token in it (one query for the votes;
    the widgets swapped in one pass over the page, at the places kept with them)."""
    html = part.html
    if request.user.is_authenticated and part.votes:
        # One array rather than a list of a few hundred literals for the ORM to build and
        # PostgreSQL to parse: the member's row of vote_one_per_member, probed per argument.
        with reading().cursor() as cursor:
            cursor.execute(_MINE_SQL, [request.user.pk, list(part.votes)])
            mine = cursor.fetchall()
        swaps = []
        for pk, value in mine:
            swaps += [
                (at, length, up if value == Vote.UP else down)
                for at, length, up, down in part.votes[pk]
            ]
        pieces, done = [], 0
        for at, length, widget in sorted(swaps):
            pieces += [html[done:at], widget]
            done = at + length
        html = "".join([*pieces, html[done:]])
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308
