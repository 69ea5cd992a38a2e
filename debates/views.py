import re
from dataclasses import replace
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import member_required, safe_next
from articles.models import search_terms
from debates import argmap, pagecache, policy, strength
from debates.forms import LinkForm, ReplyForm
from debates.graph import DebateGraph, debate_graph, debate_graphs, debate_map
from debates.models import (
    Argument,
    Debate,
    Link,
    Strength,
    Vote,
    arguments_reached_from,
)
from debates.pagecache import Part
from debates.policy import Appearance
from debates.ranking import SORTS, chosen_sort, sort_key
from debates.search import pick_arguments
from debates.services import (
    RateLimited,
    argument_edit_own,
    argument_link,
    argument_rebut,
    can_edit_own,
    vote_cast,
)
from debates.standing import sides as standing_sides
from debates.standing import standing
from debates.templatetags.debates import strength as strength_line

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
SIMILAR_LIMIT = 5
CANDIDATE_LIMIT = 8


def _for_viewer(request: HttpRequest, arguments, frozen: set[int] | bool = False) -> None:
    """Give each argument the member's own vote and what the viewer may do with it (the rights
    of debates.policy, which templates read): one query for the votes of all of them.

    `frozen`: the ids of arguments in locked or archived debates, or True for all of them.
    """
    arguments = list(arguments)
    votes = {}
    if request.user.is_authenticated:
        votes = dict(
            Vote.objects.filter(
                user=request.user, argument__in=[argument.pk for argument in arguments]
            ).values_list("argument_id", "value")
        )
    for argument in arguments:
        argument.my_vote = votes.get(argument.pk, 0)
        is_frozen = frozen if isinstance(frozen, bool) else argument.pk in frozen
        answered = bool(getattr(argument, "answers", True))
        argument.rights = policy.rights(request.user, argument, frozen=is_frozen, answered=answered)


# Reading


_DEBATE_VERSIONS_SQL = """
SELECT debate.id, coalesce(version.value, 0) FROM debates_debate debate
LEFT JOIN debates_debate_version version ON version.debate_id = debate.id
ORDER BY debate.position, debate.title  -- Debate.Meta.ordering
"""


def debates_standing() -> list[Debate]:
    """Every debate whose thesis is public, with where it stands (`debate.standing`), its
    number of arguments under the thesis (`debate.size`) and when the newest one came
    (`debate.last_activity`). Each kept under its debate's version (the home page and the
    debate list show them): a write computes anew only the debates it reaches, all of them
    in four queries, after the one that reads the debates and their versions."""
    with pagecache.reading().cursor() as cursor:
        cursor.execute(_DEBATE_VERSIONS_SQL)
        versions = dict(cursor.fetchall())  # in the debates' order
    shown = pagecache.per_debate("standing", versions, _debates_standing)
    return [shown[pk] for pk in versions if shown[pk]]


def _debates_standing(ids: list[int]) -> dict[int, Debate]:
    shown = {}
    for graph in debate_graphs(Debate.objects.filter(pk__in=ids).select_related("article")):
        if not graph.arguments:  # its thesis is not public: the debate's page is 404 too
            continue
        debate = graph.debate
        # Kept without each argument's side: the pages show the standing, not the sides.
        debate.thesis, debate.standing = graph.thesis, replace(standing(graph), sides={})
        debate.size, debate.last_activity = graph.size(), graph.last_activity()
        shown[debate.pk] = debate
    return shown


@require_safe
def debate_list(request: HttpRequest) -> HttpResponse:
    def build(reader: HttpRequest) -> Part:
        context = {"debates": debates_standing()}
        return pagecache.render_part(reader, "debates/includes/debate_list_body.html", context)

    part = pagecache.shared(request, "debates", build)
    if unchanged := pagecache.not_modified(request):
        return unchanged
    context = {"body": pagecache.personal(request, part)}
    return pagecache.tagged(request, render(request, "debates/debate_list.html", context))


def _arrange(request: HttpRequest, graph: DebateGraph, sort: str) -> None:
    """Give each argument its answers, ordered as asked, the counts that rank them (published
    answers only), the member's own vote and the viewer's rights."""
    for pk, argument in graph.arguments.items():
        answers = graph.answers(pk)
        counted = [link for link in answers if policy.counts(link.source)]
        argument.answer_count = len(counted)
        argument.attacks_in = sum(link.relation == Link.Relation.ATTACK for link in counted)
    rank = sort_key(sort, lambda argument: argument.attacks_in)

    def key(argument):  # placeholders of hidden arguments come last, whatever the order
        return (argument.placeholder, *rank(argument))

    sides = standing_sides(graph)
    for pk, argument in graph.arguments.items():
        argument.answers = sorted(graph.answers(pk), key=lambda link: key(link.source))
        argument.side = sides.get(pk)
    frozen = True if graph.debate.status != Debate.Status.OPEN else policy.frozen_ids()
    _for_viewer(request, graph.arguments.values(), frozen)


def _arranged_graph(request: HttpRequest, slug: str) -> tuple[Debate, DebateGraph, str]:
    """A debate's graph as this viewer sees it, answers ordered as asked; 404 without a
    public thesis."""
    debate = get_object_or_404(Debate, slug=slug)
    graph = debate_graph(debate, viewer=request.user, placeholders=True)
    if not graph.arguments or graph.thesis.placeholder:
        raise Http404("The thesis of this debate is not public.")
    sort = chosen_sort(request)
    _arrange(request, graph, sort)
    return debate, graph, sort


# Where the shared debate page leaves room for the follow button, which is each member's own.
FOLLOW_SLOT = re.compile(r"<!--follow-button:(\d+)-->")


def _with_follow_button(request: HttpRequest, body: str, slug: str) -> str:
    """The page with this viewer's follow button in its slot (one query for a member)."""
    match = FOLLOW_SLOT.search(body)
    if match is None:
        return body
    debate = Debate(pk=int(match[1]), slug=slug)
    button = render_to_string("debates/includes/follow_slot.html", {"debate": debate}, request)
    return mark_safe(body[: match.start()] + button + body[match.end() :])  # noqa: S308


def _shown(links) -> list[Argument]:
    """The arguments of these answers and of their answers: what a page shows of them."""
    shown = []
    for link in links:
        shown.append(link.source)
        shown.extend(answer.source for answer in getattr(link.source, "answers", ()))
    return shown


def _debate_page_context(debate: Debate, graph: DebateGraph, sort: str) -> dict:
    """What the debate page shows; its parts updated in place after an answer read the same."""
    answers = graph.thesis.answers
    return {
        "debate": debate,
        "graph": graph,
        "thesis": graph.thesis,
        "standing": standing(graph),
        "pros": [link for link in answers if link.relation == Link.Relation.SUPPORT],
        "cons": [link for link in answers if link.relation == Link.Relation.ATTACK],
        "shown": graph.size(),
        "closed_message": "" if debate.is_open else policy.closed_message(debate),
        "sort": sort,
        "sorts": SORTS,
    }


@require_safe
def debate_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The debate: rendered once per version for its readers (debates/pagecache.py), with the
    member's own votes laid over it."""
    sides_only = bool(request.htmx and request.htmx.target == "sides")

    def build(viewer: HttpRequest) -> Part:
        debate, graph, sort = _arranged_graph(viewer, slug)
        context = _debate_page_context(debate, graph, sort)
        template = "debates/includes/debate_body.html" + ("#sides" if sides_only else "")
        answers = graph.thesis.answers
        voting = [] if viewer.user.is_authenticated else [graph.thesis, *_shown(answers)]
        part = pagecache.render_part(viewer, template, context, voting)
        part.title = debate.title
        return part

    name = f"debate:{slug}:{sides_only}"
    if not sides_only and (kept := pagecache.kept_whole(request, name, debate=slug)):
        return kept
    part = pagecache.shared(request, name, build, debate=slug)
    if sides_only:
        return HttpResponse(pagecache.personal(request, part))
    return pagecache.respond(
        request,
        "debates/debate_detail.html",
        part,
        lambda body: {"title": part.title, "body": _with_follow_button(request, body, slug)},
    )


@require_safe
def debate_map_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The argument map: the debate as a graph laid out by Graphviz (debates/argmap.py), and
    below it the same arguments as one outline under the thesis, its text alternative."""

    def build(viewer: HttpRequest) -> Part:
        debate, graph, _sort = _arranged_graph(viewer, slug)
        root = debate_map(graph)  # in the order _arrange gave each argument's answers
        hidden = sum(argument.placeholder for argument in graph.arguments.values())
        context = {
            "debate": debate,
            "root": root,
            # The same number as the debate page and the debate list: the arguments under the
            # thesis that count (a moderator's map also draws the waiting ones).
            "count": graph.size(),
            "hidden": hidden,
            "map_svg": argmap.map_svg(graph),
        }
        part = pagecache.render_part(viewer, "debates/includes/map_body.html", context)
        part.title = debate.title
        return part

    if kept := pagecache.kept_whole(request, f"map:{slug}", debate=slug):
        return kept
    part = pagecache.shared(request, f"map:{slug}", build, debate=slug)
    return pagecache.respond(
        request, "debates/debate_map.html", part, lambda body: {"title": part.title, "body": body}
    )


@require_safe
def debate_node(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One argument of a debate with its direct answers: expands a level in place (HTMX;
    rendered once per version of the debate, like its page) or, as a plain page, shows that
    part of the debate."""

    def context(viewer: HttpRequest) -> dict:
        debate = get_object_or_404(Debate, slug=slug)
        graph = debate_graph(debate, viewer=viewer.user, placeholders=True)
        argument = graph.arguments.get(pk)
        if argument is None:
            raise Http404("No such argument in this debate.")
        _arrange(viewer, graph, chosen_sort(viewer))
        return {"debate": debate, "argument": argument, "answers": argument.answers}

    if not request.htmx:
        return render(request, "debates/debate_node.html", context(request))

    def build(viewer: HttpRequest) -> Part:
        shown = context(viewer)
        voting = [] if viewer.user.is_authenticated else _shown(shown["answers"])
        return pagecache.render_part(viewer, "debates/debate_node.html#answers", shown, voting)

    part = pagecache.shared(request, f"node:{slug}:{pk}", build, debate=slug)
    return HttpResponse(pagecache.personal(request, part))


def _argument_context(request: HttpRequest, argument: Argument, **extra) -> dict:
    """Everything the argument page shows; a fixed number of queries."""
    sort = chosen_sort(request)
    attack_count = Count(
        "incoming",
        filter=Q(incoming__relation=Link.Relation.ATTACK) & policy.counted_q("incoming__source__"),
    )
    visible = Argument.objects.listed_to(request.user).with_source()
    visible = visible.annotate(attacks_in=attack_count)
    links = list(Link.objects.filter(Q(source=argument) | Q(target=argument)).order_by("pk"))
    others = visible.in_bulk(
        [link.target_id if link.source_id == argument.pk else link.source_id for link in links]
    )
    key = sort_key(sort, lambda other: other.attacks_in)
    relations = {"attacked_by": [], "supported_by": [], "attacks": [], "supports": []}
    for link in links:
        if link.source_id == argument.pk and link.target_id in others:
            link.target = others[link.target_id]
            group = "attacks" if link.relation == Link.Relation.ATTACK else "supports"
            relations[group].append(link)
        elif link.target_id == argument.pk and link.source_id in others:
            link.source = others[link.source_id]
            group = "attacked_by" if link.relation == Link.Relation.ATTACK else "supported_by"
            relations[group].append(link)
    for other in others.values():
        other.placeholder = policy.appearance(request.user, other) == Appearance.PLACEHOLDER
    for group, items in relations.items():
        end = "source" if group.endswith("_by") else "target"
        # placeholders of hidden arguments come last, as on the debate page
        items.sort(
            key=lambda link, end=end: (getattr(link, end).placeholder, *key(getattr(link, end)))
        )
    debates = list(Debate.objects.containing(argument))
    closed = policy.closed_debate(debates)
    argument.answers = [link for link in links if link.target_id == argument.pk]
    _for_viewer(request, [argument], frozen=closed is not None)
    _for_viewer(request, others.values(), frozen=policy.frozen_ids() if closed is None else True)
    older_votes = 0
    if argument.edited_at:  # votes cast before the last rewording are marked as such
        older_votes = argument.votes.filter(updated_at__lt=argument.edited_at).count()
    return {
        "older_votes": older_votes,
        "explanation": strength.explain(argument),
        "argument": argument,
        **relations,
        "debates": debates,
        "closed_debate": closed,
        "closed_message": policy.closed_message(closed) if closed else "",
        "sort": sort,
        "sorts": SORTS,
        "reply_form": ReplyForm(),
        "link_form": LinkForm(),
        **extra,
    }


def _seen_or_404(request: HttpRequest, pk: int, *, in_full: bool) -> Argument:
    """An argument to act on, as the viewer sees it: 404 for another member's waiting post (no
    answer, not even a refusal, tells that it exists). `in_full`: the answer shows its wording,
    so a hidden one, which others see as a placeholder, is 404 too."""
    visible = Argument.objects.visible_to if in_full else Argument.objects.listed_to
    return get_object_or_404(visible(request.user), pk=pk)


def _published_or_404(pk: int) -> Argument:
    """The forms that answer an argument exist for published arguments only."""
    return get_object_or_404(Argument.objects.filter(policy.counted_q()).with_source(), pk=pk)


@require_safe
def argument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One argument as the viewer sees it: in full, or as the placeholder of a hidden one with
    its answers around it; a merged duplicate's address leads to the argument it repeated."""
    argument = get_object_or_404(Argument.objects.with_source(), pk=pk)
    seen = policy.appearance(request.user, argument)
    if argument.status == Argument.Status.MERGED:
        return redirect("debates:argument", argument.merged_into_id)
    if seen == Appearance.ABSENT:
        raise Http404("No such argument.")
    argument.placeholder = seen == Appearance.PLACEHOLDER
    template = "debates/argument_detail.html"
    if request.htmx and request.htmx.target == "relations":
        template += "#relations"
    context = _argument_context(request, argument)
    if argument.rights.moderate:  # the moderator's card, with its open flags
        context["item"] = Argument.objects.filter(pk=argument.pk).for_queue().get()
    return render(request, template, context)


# Acting


def _limited(request: HttpRequest, argument: Argument, message: str, partial: str):
    """Over a limit: 429 with the message where the action was asked."""
    if request.htmx:
        context = {"argument": argument, "error": message, "debate_slug": _debate_slug(request)}
        _for_viewer(request, [argument])
        context["reply_form"], context["link_form"] = ReplyForm(), LinkForm()
        return render(request, partial, context, status=429)
    return render(
        request,
        "debates/limited.html",
        {"argument": argument, "message": message, "back": safe_next(request, "")},
        status=429,
    )


def _debate_slug(request: HttpRequest) -> str:
    """The debate a form was opened in (its links lead back there): a slug, or nothing."""
    slug = request.POST.get("debate") or request.GET.get("debate") or ""
    return slug if SLUG.fullmatch(slug) else ""


@require_POST
@member_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    partial = "debates/includes/votes.html"
    try:
        cast = vote_cast(request.user, pk, request.POST.get("value", ""))
    except Argument.DoesNotExist:
        raise Http404("No such argument.") from None
    except RateLimited as limited:
        argument = _seen_or_404(request, pk, in_full=False)
        return _limited(request, argument, str(limited), partial)
    except ValidationError as error:
        argument = _seen_or_404(request, pk, in_full=False)
        if request.htmx:  # refused: the buttons stay, greyed out, with the reason
            _for_viewer(request, [argument], frozen=True)
            return render(request, partial, {"argument": argument, "error": error.messages[0]})
        messages.error(request, error.messages[0])
        return redirect(safe_next(request, argument.get_absolute_url()))
    argument = cast.argument
    if request.htmx:
        # The vote moved this argument's strength and those of what it reaches: the response
        # carries them too (out of band), so the page shows no stale strength.
        argument.my_vote = cast.held  # what _for_viewer would read back
        argument.rights = policy.rights(request.user, argument, frozen=False)
        moved = [
            SimpleNamespace(pk=key, score=SimpleNamespace(strength=value, settled=settled))
            for key, (value, settled) in sorted(cast.moved.items())
        ]
        context = {"argument": argument, "announce": True, "moved": moved}
        return render(request, "debates/includes/vote_result.html", context)
    messages.success(request, _("Your vote is counted."))
    return redirect(safe_next(request, argument.get_absolute_url()))


def _with_page_updates(request: HttpRequest, response: HttpResponse, target: Argument):
    """After an answer posted or linked with htmx: the page it was given on shows it at once in
    the list it belongs to, with every count and strength it changes, swapped out of band.

    The page is the one htmx names in HX-Current-URL: a debate page (the thesis's sides, or the
    answered card's answers; the debate's size; where it stands) or the answered argument's
    own page (what attacks and supports it). On an article page the reading panel is told (an
    HX-Trigger event) to fetch its lists again. Elsewhere the message is all there is.
    """
    try:
        match = resolve(urlsplit(request.htmx.current_url_abs_path or "").path)
    except (Resolver404, ValueError):  # another site's address, or none that parses
        return response
    parts = []
    if match.view_name == "articles:detail":  # the reading panel fetches its lists again
        response["HX-Trigger"] = "argument-answered"
    elif match.view_name == "debates:detail":
        parts = _debate_page_updates(request, match.kwargs["slug"], target)
    elif match.view_name == "debates:argument" and match.kwargs["pk"] == target.pk:
        argument = Argument.objects.with_source().get(pk=target.pk)
        argument.placeholder = False
        context = {**_argument_context(request, argument), "oob_relations": True}
        parts.append(render_to_string("debates/argument_detail.html#relations", context, request))
        parts.append(_moved_strengths(target))
    if parts:
        response.content += "".join(parts).encode()
    return response


def _debate_page_updates(request: HttpRequest, slug: str, target: Argument) -> list[str]:
    """The parts of the debate page an answer to `target` changes (the page's own context, for
    this viewer), rendered for out-of-band swaps."""
    try:
        debate, graph, sort = _arranged_graph(request, slug)
    except Http404:
        return []
    argument = graph.arguments.get(target.pk)
    if argument is None:
        return []
    context = _debate_page_context(debate, graph, sort)
    if argument.pk == graph.thesis.pk:
        sides = {**context, "oob_sides": True}
        parts = [render_to_string("debates/includes/debate_body.html#sides", sides, request)]
    else:
        card = {**context, "argument": argument, "oob_card": True}
        parts = [render_to_string("debates/includes/card_answers.html", card, request)]
    size = {**context, "oob_size": True}
    parts.append(render_to_string("debates/includes/debate_body.html#debate-size", size, request))
    standing_ = {**context, "oob_standing": True}
    parts.append(render_to_string("debates/includes/standing.html", standing_, request))
    parts.append(_moved_strengths(target))
    return parts


def _moved_strengths(target: Argument) -> str:
    moved = Strength.objects.filter(
        argument_id__in=arguments_reached_from(target.pk)
    ).select_related("argument")
    return "".join(strength_line(score.argument, oob=True) for score in moved)


@require_safe
def reply_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The rebuttal / support form: in place (HTMX) or as its own page."""
    argument = _published_or_404(pk)
    relation = request.GET.get("relation", Link.Relation.ATTACK)
    form = ReplyForm(initial={"relation": relation})
    context = {"argument": argument, "form": form, "debate_slug": _debate_slug(request)}
    if request.htmx:
        return render(request, "debates/reply.html#reply-form", context)
    return render(request, "debates/reply.html", context)


@require_POST
@member_required
def replies(request: HttpRequest, pk: int) -> HttpResponse:
    target = _seen_or_404(request, pk, in_full=True)  # the form page shows what it answers
    form = ReplyForm(request.POST)
    context = {"argument": target, "form": form, "debate_slug": _debate_slug(request)}
    if form.is_valid():
        try:
            posted = argument_rebut(
                request.user, target, form.cleaned_data["text"], form.cleaned_data["relation"]
            )
        except RateLimited as limited:
            form.add_error(None, str(limited))
            template = "debates/reply.html#reply-form" if request.htmx else "debates/reply.html"
            return render(request, template, context, status=429)
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if request.htmx:
                _for_viewer(request, [posted])
                link = posted.outgoing.get()
                context.update(posted=posted, link=link, form=ReplyForm())
                return _with_page_updates(
                    request, render(request, "debates/reply.html#reply-posted", context), target
                )
            messages.success(request, _("Your argument is posted."))
            return redirect(safe_next(request, target.get_absolute_url()))
    template = "debates/reply.html#reply-form" if request.htmx else "debates/reply.html"
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
@member_required
def edit_own(request: HttpRequest, pk: int) -> HttpResponse:
    """The author rewords their own post, until someone votes on it or answers it."""
    argument = get_object_or_404(Argument.objects.with_source(), pk=pk, author=request.user)
    error, text = "", argument.text
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            argument_edit_own(request.user, argument, text)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(request, _("Your argument is reworded; the earlier wording is kept."))
            return redirect(argument)
    elif not can_edit_own(request.user, argument):
        error = _("Only its author can reword a post, until someone votes on it or answers it.")
    context = {"argument": argument, "text": text, "error": error}
    return render(request, "debates/edit.html", context)


@require_safe
def similar(request: HttpRequest, pk: int) -> HttpResponse:
    """The existing arguments most like what the member is typing (trigram similarity)."""
    argument = _published_or_404(pk)
    text = " ".join(request.GET.get("text", "").split())[:500]
    found = []
    if len(text) >= 10:
        found = list(Argument.objects.similar_to(text).exclude(pk=argument.pk)[:SIMILAR_LIMIT])
    relation = request.GET.get("relation", Link.Relation.ATTACK)
    context = {"argument": argument, "similar": found, "relation": relation, "text": text}
    return render(request, "debates/includes/similar.html", context)


def _candidates(argument: Argument, q: str) -> list[Argument]:
    """The arguments a member may link to `argument`: the most voted that match `q` (of the
    newest that match, debates/search.py), but itself and those linked to it already."""
    if search_terms(q) is None:
        return []
    linked = Link.objects.filter(Q(source=argument) | Q(target=argument))
    exclude = {argument.pk, *(pk for pair in linked.values_list("source", "target") for pk in pair)}
    return pick_arguments(q, CANDIDATE_LIMIT, exclude)


@require_safe
def link_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Search-as-you-type picker for an existing argument to link; a plain page without JS."""
    argument = _published_or_404(pk)
    q = request.GET.get("q", "").strip()[:200]
    context = {
        "argument": argument,
        "q": q,
        "candidates": _candidates(argument, q),
        "debate_slug": _debate_slug(request),
    }
    template = "debates/link.html"
    if request.htmx:
        # The search box refreshes only the results; opening the picker in place, all of it.
        fragment = "candidates" if request.GET.get("fragment") == "candidates" else "picker"
        template += "#" + fragment
    return render(request, template, context)


@require_POST
@member_required
def links(request: HttpRequest, pk: int) -> HttpResponse:
    target = _seen_or_404(request, pk, in_full=False)
    form = LinkForm(request.POST)
    partial = "debates/includes/link_result.html"
    context = {"argument": target}
    if form.is_valid():
        try:
            link = argument_link(
                request.user, target, form.cleaned_data["argument"], form.cleaned_data["relation"]
            )
        except RateLimited as limited:
            return _limited(request, target, str(limited), partial)
        except ValidationError as error:
            message = error.messages[0]
        else:
            if request.htmx:
                _for_viewer(request, [link.source])
                response = render(request, partial, {**context, "link": link})
                return _with_page_updates(request, response, target)
            messages.success(request, _("The arguments are linked."))
            return redirect(safe_next(request, target.get_absolute_url()))
    else:
        message = _("Choose an argument and whether it attacks or supports.")
    if request.htmx:
        return render(request, partial, {**context, "error": message})
    messages.error(request, message)
    return redirect(safe_next(request, target.get_absolute_url()))
