"""The moderators' pages and actions, the members' flags, and what readers see of moderation.

Every rule lives in debates.moderation.services and debates.policy; these views only read the
request, call a service and answer: an HTMX request gets the fragment it swaps (with a status
message), a plain one a redirect back with a message (Post/Redirect/Get).
"""

import re
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseLocation

from accounts.access import member_required, moderator_required, safe_next
from debates import policy
from debates.forms import ascii_int
from debates.models import (
    Argument,
    Debate,
    Flag,
    ModerationAction,
    arguments_reaching,
)
from debates.moderation import services as moderation
from debates.policy import Appearance
from debates.search import pick_arguments
from debates.vocabulary import REASON_MAX, Action, FlagOutcome, QuoteState

PER_PAGE = 50
PICK_LIMIT = 8
FORM_ID = re.compile(r"[a-z][-a-z0-9]{0,60}")
# What the queue's shared decision form may ask of one argument ("dismiss" closes its flags).
ARGUMENT_ACTIONS = [*moderation.ARGUMENT_ACTIONS, Action.DISMISS]

# How the logs name each action.
ACTION_LABELS = dict(Action.choices)
# What a moderator is told once an action is done.
DONE = {
    "approve": gettext_lazy("Approved: readers see it now."),
    "reject": gettext_lazy("Rejected: readers do not see it."),
    "hide": gettext_lazy("Hidden: readers no longer see it."),
    "restore": gettext_lazy("Restored: readers see it again."),
    "pin": gettext_lazy("Pinned."),
    "unpin": gettext_lazy("Unpinned."),
    "dismiss": gettext_lazy("The flags are dismissed."),
    "lock": gettext_lazy("The debate is locked: no posts, links or votes."),
    "unlock": gettext_lazy("The debate is open again."),
    "premoderate": gettext_lazy("Pre-moderation is on: members' posts wait for approval."),
    "unpremoderate": gettext_lazy("Pre-moderation is off."),
}
# The state fields the log shows, in this order, when an action changed them.
FIELDS = {
    "status": gettext_lazy("status"),
    "text": gettext_lazy("text"),
    "pinned": gettext_lazy("pinned"),
    "merged_into": gettext_lazy("merged into"),
    "premoderated": gettext_lazy("pre-moderated"),
    "outcome": gettext_lazy("flags"),
    "votes_moved": gettext_lazy("votes moved"),
    "links_moved": gettext_lazy("links moved"),
}
STATUS_LABELS = {**dict(Argument.Status.choices), **dict(Debate.Status.choices)}
OUTCOME_LABELS = dict(FlagOutcome.choices)


# The picker: moderators choose an argument by its words, never by typing its number


def pick_candidates(q: str, exclude: int | None = None) -> list[Argument]:
    """Published arguments whose words match `q` (Dutch full-text, prefixes while typing)."""
    return pick_arguments(q, PICK_LIMIT, [exclude] if exclude else [])


def picker_context(
    request: HttpRequest,
    *,
    purpose: str,
    form: str,
    exclude=None,
    action="",
    keep=None,
    chosen: int | None = None,
) -> dict:
    """What templates/moderation/includes/picker.html shows: the search and its candidates,
    or the chosen argument (`?chosen=`), whose number goes into the POST form `form` as
    `into` (purpose "merge") or `target` ("extract"). `action` is the page a plain GET
    search or choice goes to without JavaScript."""
    q = request.GET.get("q", "").strip()[:200]
    chosen_id = chosen or ascii_int(request.GET.get("chosen", ""))
    chosen = None
    if chosen_id and chosen_id != exclude:
        chosen = Argument.objects.published().with_source().filter(pk=chosen_id).first()
    return {
        "purpose": purpose,
        "form_id": form,
        "exclude": exclude or "",
        "q": q,
        "candidates": [] if chosen else pick_candidates(q, exclude),
        "chosen": chosen,
        "action": action or request.path,
        "keep": keep or {},
        "ask_reason": request.GET.get("ask_reason") == "1",
        "reason_max": REASON_MAX,
    }


@require_safe
@moderator_required
def pick(request: HttpRequest) -> HttpResponse:
    """The picker's fragment for htmx: the candidates as one types, or the chosen one."""
    purpose = request.GET.get("purpose", "")
    form = request.GET.get("form", "")
    if purpose not in ("merge", "extract") or not FORM_ID.fullmatch(form):
        raise Http404("No such picker.")
    action = request.GET.get("action", "")
    context = picker_context(
        request,
        purpose=purpose,
        form=form,
        exclude=ascii_int(request.GET.get("exclude", "")),
        action=action if action.startswith("/moderation/") else "",
    )
    return render(request, "moderation/includes/picker.html", context)


# The queue


@require_safe
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    debates = list(Debate.objects.all())
    pending = Argument.objects.filter(status=Argument.Status.PENDING)
    open_flags = Flag.objects.filter(argument=OuterRef("pk"), resolved_at__isnull=True)
    flagged = (
        Argument.objects.exclude(status=Argument.Status.PENDING)
        .filter(Exists(open_flags))
        .annotate(
            last_flagged=Subquery(open_flags.order_by("-created_at").values("created_at")[:1])
        )
    )
    chosen = None
    if slug := request.GET.get("debate"):
        chosen = next((debate for debate in debates if debate.slug == slug), None)
        if chosen is None:
            raise Http404("No such debate.")
        # One recursive query for the debate, not one per argument.
        ids = arguments_reaching(chosen.thesis_id)
        pending, flagged = pending.filter(pk__in=ids), flagged.filter(pk__in=ids)
    pending = pending.order_by("-created_at", "-pk").for_queue()
    flagged = flagged.order_by("-last_flagged", "-pk").for_queue()
    context = {
        "debates": debates,
        "chosen": chosen,
        "pending": Paginator(pending, PER_PAGE).get_page(request.GET.get("pending_page")),
        "flagged": Paginator(flagged, PER_PAGE).get_page(request.GET.get("flags_page")),
        # Quotes whose text changed in a re-import (debates/anchoring.py): one query.
        "drifted": Argument.objects.filter(quote_state=QuoteState.DRIFTED)
        .select_related("article", "comment")
        .order_by("pk")[:PER_PAGE],
    }
    return render(request, "moderation/queue.html", context)


def _item_answer(request: HttpRequest, argument: Argument, *, message="", error="", failed=""):
    """After an action on one argument: the re-rendered queue item (HTMX) or a redirect."""
    back = safe_next(request, reverse("moderation:queue"))
    page = argument.get_absolute_url()
    came_from = urlsplit(request.htmx.current_url_abs_path or "").path if request.htmx else ""
    if came_from == page and not error:
        # On the argument's own page the action changes more than the card (the notice that
        # it is hidden, its place after a merge): the page's main part is fetched again in
        # place, with the message on top.
        messages.success(request, message)
        return HttpResponseLocation(
            page, target="#main", select="#main", swap="outerHTML show:window:top"
        )
    if request.htmx:
        item = Argument.objects.filter(pk=argument.pk).for_queue().get()
        context = {
            "item": item,
            "message": message,
            "error": error,
            "failed": failed,
            "posted": request.POST if error else {},
            "next": back,
        }
        return render(request, "moderation/queue.html#queue-item", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(back)


@require_POST
@moderator_required
def argument_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ARGUMENT_ACTIONS:
        raise Http404("No such action.")
    argument = get_object_or_404(Argument, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "dismiss":
            moderation.dismiss_flags(request.user, argument, reason)
        else:
            moderation.moderate_argument(request.user, argument, action, reason)
    except ValidationError as error:
        return _item_answer(request, argument, error=error.messages[0], failed="decide")
    return _item_answer(request, argument, message=DONE[action])


@require_POST
@moderator_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    argument = get_object_or_404(Argument, pk=pk)
    try:
        moderation.edit_argument(
            request.user, argument, request.POST.get("text", ""), request.POST.get("reason", "")
        )
    except ValidationError as error:
        return _item_answer(request, argument, error=error.messages[0], failed="edit")
    message = _("The new wording is saved; the earlier one is kept in its history.")
    return _item_answer(request, argument, message=message)


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the page where a moderator finds the argument a duplicate repeats, sees both
    side by side and confirms; POST `into` + `reason`: the merge."""
    duplicate = get_object_or_404(Argument.objects.with_source(), pk=pk)
    if request.method != "POST":
        if duplicate.is_merged:
            return redirect("debates:argument", duplicate.merged_into_id)
        picker = picker_context(request, purpose="merge", form=f"merge-{pk}", exclude=pk)
        context = {"item": duplicate, **picker, "ask_reason": True, "next": safe_next(request, "")}
        return render(request, "moderation/merge.html", context)
    into_id = ascii_int(request.POST.get("into", "").strip().lstrip("#"))
    try:
        if into_id is None:
            raise ValidationError(_("Choose the argument it repeats."))
        into = Argument.objects.filter(pk=into_id).first()
        if into is None:
            raise ValidationError(_("There is no argument %(id)s.") % {"id": into_id})
        moderation.merge_arguments(request.user, duplicate, into, request.POST.get("reason", ""))
    except ValidationError as error:
        return _item_answer(request, duplicate, error=error.messages[0], failed="merge")
    message = _("Merged into “%(claim)s”: its votes and links moved there.") % {"claim": into.text}
    return _item_answer(request, duplicate, message=message)


@require_POST
@moderator_required
def debate_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in ("lock", "unlock", "premoderate", "unpremoderate"):
        raise Http404("No such action.")
    debate = get_object_or_404(Debate, slug=slug)
    error, message = "", ""
    try:
        moderation.set_debate_status(request.user, debate, action, request.POST.get("reason", ""))
    except ValidationError as invalid:
        error = invalid.messages[0]
    else:
        message = DONE[action]
    back = safe_next(request, reverse("moderation:queue"))
    if request.htmx:
        debate.refresh_from_db()
        context = {
            "debate": debate,
            "message": message,
            "error": error,
            "posted": request.POST if error else {},
            "next": back,
        }
        return render(request, "moderation/queue.html#debate-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(back)


# The audit log


def _shown(value, key: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return str(len(value))
    if key in ("status", "previous_status"):
        return str(STATUS_LABELS.get(value, value))
    if key == "outcome":
        return str(OUTCOME_LABELS.get(value, value))
    if key == "merged_into":
        return f"#{value}"
    return str(value)


def _changes(entry: ModerationAction) -> list[dict]:
    """The fields an action changed, as label, before and after (strings to show)."""
    changes = []
    for key, label in FIELDS.items():
        old, new = entry.before.get(key), entry.after.get(key)
        if key not in entry.after or old == new:
            continue
        only_after = key not in entry.before
        if key in ("votes_moved", "links_moved") and not new:
            continue
        changes.append(
            {
                "label": label,
                "before": "" if only_after else _shown(old, key),
                "after": _shown(new, key),
            }
        )
    return changes


def _describe(entries: list[ModerationAction]) -> None:
    """Give each row its label, its changes and whether (and by which row) it was undone,
    and the argument a merge went into: two queries for the whole page."""
    undone = dict(
        ModerationAction.objects.filter(undoes__in=[entry.pk for entry in entries]).values_list(
            "undoes_id", "pk"
        )
    )
    into_ids = {
        entry.after.get("merged_into") or entry.before.get("merged_into")
        for entry in entries
        if entry.action in ("merge", "unmerge")
    }
    into = Argument.objects.in_bulk([pk for pk in into_ids if pk])
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        entry.changes = _changes(entry)
        entry.undone_by = undone.get(entry.pk)
        entry.undoable = entry.action in moderation.INVERSE and entry.undone_by is None
        if entry.action in ("merge", "unmerge"):
            entry.into = into.get(entry.after.get("merged_into") or entry.before.get("merged_into"))


@require_safe
@moderator_required
def log(request: HttpRequest) -> HttpResponse:
    entries = ModerationAction.objects.select_related("moderator", "argument", "debate")
    chosen = {key: request.GET.get(key, "") for key in ("debate", "moderator", "action")}
    if chosen["debate"]:
        entries = entries.filter(debates__contains=[chosen["debate"]])
    if chosen["moderator"] == "system":
        entries = entries.filter(moderator__isnull=True)
    elif chosen["moderator"]:
        entries = entries.filter(moderator__username=chosen["moderator"])
    if chosen["action"]:
        entries = entries.filter(action=chosen["action"])
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    _describe(list(page))
    moderators = (
        get_user_model()
        .objects.filter(Exists(ModerationAction.objects.filter(moderator=OuterRef("pk"))))
        .order_by("username")
    )
    context = {
        "entries": page,
        "chosen": chosen,
        "debates": Debate.objects.all(),
        "moderators": moderators,
        "actions": sorted(ACTION_LABELS.items(), key=lambda item: str(item[1])),
    }
    return render(request, "moderation/log.html", context)


@require_POST
@moderator_required
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        ModerationAction.objects.select_related("moderator", "argument", "debate"), pk=pk
    )
    error, message = "", ""
    try:
        done = moderation.undo(request.user, entry, request.POST.get("reason", ""))
    except ValidationError as invalid:
        error = invalid.messages[0]
    else:
        message = _("Undone: the undo is on record as entry %(id)s.") % {"id": done.pk}
    back = safe_next(request, reverse("moderation:log"))
    if request.htmx:
        _describe([entry])
        context = {
            "entry": entry,
            "message": message,
            "error": error,
            "posted": request.POST if error else {},
            "next": back,
        }
        return render(request, "moderation/log.html#log-entry", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(back)


# What readers see


@require_safe
def public_log(request: HttpRequest, slug: str) -> HttpResponse:
    """A debate's hides, merges and locks with their reasons; no moderator's name."""
    debate = get_object_or_404(Debate, slug=slug)
    entries = ModerationAction.objects.filter(
        debates__contains=[debate.slug], action__in=moderation.PUBLIC_ACTIONS
    ).select_related("argument")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    into_ids = {entry.after.get("merged_into") for entry in page if entry.action == "merge"}
    into = Argument.objects.published().in_bulk([pk for pk in into_ids if pk])
    # A tombstone's wording was public only if the duplicate was published when it was merged
    # (its latest merge): merging a hidden or waiting post must not publish it here.
    tombstones = {
        entry.argument_id for entry in page if entry.argument and entry.argument.is_merged
    }
    merged_public = {
        pk
        for pk, previous in ModerationAction.objects.filter(
            action="merge", argument_id__in=tombstones
        )
        .order_by("argument_id", "-pk")
        .distinct("argument_id")
        .values_list("argument_id", "before__previous_status")
        if previous == Argument.Status.PUBLISHED
    }
    for entry in page:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
        argument = entry.argument
        # Readers see the wording only of what they may read (or a public duplicate's).
        entry.shown = argument is not None and (
            argument.pk in merged_public
            or policy.appearance(request.user, argument) == Appearance.SHOWN
        )
        if entry.action == "merge":
            entry.into = into.get(entry.after.get("merged_into"))
    return render(request, "moderation/public_log.html", {"debate": debate, "entries": page})


@require_safe
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """An argument's wording now and every earlier one, with when and why it changed."""
    argument = get_object_or_404(Argument.objects.with_source(), pk=pk)
    viewer_moderates = moderation.is_moderator(request.user)
    if policy.appearance(request.user, argument) != Appearance.SHOWN:
        raise Http404("This argument is not shown.")
    context = {
        "argument": argument,
        "revisions": argument.revisions.select_related("edited_by"),
        "viewer_moderates": viewer_moderates,
    }
    return render(request, "moderation/revisions.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    """A member reports an argument to the moderators: a page with the form, or the POST."""
    argument = get_object_or_404(Argument.objects.with_source(), pk=pk)
    # One can flag only what one sees: GET and POST alike.
    if policy.appearance(request.user, argument) != Appearance.SHOWN:
        raise Http404("This argument is not shown.")
    if request.method == "GET":
        if not policy.flaggable(argument):
            raise Http404("This argument is not shown.")
        return render(request, "moderation/flag.html", {"argument": argument})
    back = safe_next(request, argument.get_absolute_url())
    try:
        moderation.flag_argument(
            request.user, argument, request.POST.get("reason", ""), request.POST.get("note", "")
        )
    except ValidationError as error:
        if request.htmx:
            context = {
                "argument": argument,
                "error": error.messages[0],
                "posted": request.POST,
                "next": back,
            }
            return render(request, "moderation/includes/flag_form.html", context)
        messages.error(request, error.messages[0])
        return redirect(back)
    if request.htmx:
        return render(
            request, "moderation/includes/flag_form.html", {"argument": argument, "flagged": True}
        )
    messages.success(request, _("Flagged; a moderator will look at it."))
    return redirect(back)
