"""Pages that read arguments beside their sources: an article with its highlights, the panel
that opens a highlight's argument beside the text, search, and a member's own contributions.
Routed by config/urls.py under /articles/, /search/ and /accounts/, because the articles and
accounts apps know nothing of the debates above them (the panel: debates/urls.py).
"""

from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.access import member_required
from articles.models import Article, Comment
from articles.threads import thread_order
from debates import pagecache, policy
from debates.models import Argument, Debate, Link, Vote
from debates.policy import Appearance
from debates.ranking import sort_key
from debates.search import RANKED, search_arguments
from debates.views import _for_viewer

PER_PAGE = 50


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.prefetch_related(
            Prefetch("comments", queryset=Comment.objects.order_by("position"))
        ),
        slug=slug,
    )
    comments = thread_order(article.comments.all())
    # The extracted arguments, to highlight their quotes where they stand (one query).
    extracted = list(Argument.objects.published().filter(article=article).order_by("quote_start"))
    body_arguments, by_comment = [], defaultdict(list)
    for argument in extracted:
        if argument.comment_id is None:
            body_arguments.append(argument)
        else:
            by_comment[argument.comment_id].append(argument)
    for comment in comments:
        comment.highlights = by_comment[comment.pk]
    context = {
        "article": article,
        "comments": comments,
        "body_arguments": body_arguments,
        "argument_count": len(extracted),
    }
    return render(request, "articles/article_detail.html", context)


SEARCH_LIMIT = 20


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The best articles, arguments and comments for a query, and how many match: exactly, or
    "more than" when a common word has more matching arguments than search ranks."""
    q = request.GET.get("q", "").strip()[:200]
    articles = Article.objects.search(q, SEARCH_LIMIT)
    comments = Comment.objects.search(q, SEARCH_LIMIT)
    found = search_arguments(q, SEARCH_LIMIT)
    counts = {
        "articles": articles[0].matches if articles else 0,
        "comments": comments[0].matches if comments else 0,
        "arguments": min(found.matches, RANKED),  # "more than" RANKED when found.more
    }
    context = {
        "q": q,
        "articles": articles,
        "comments": comments,
        "arguments": found.arguments,
        "counts": counts,
        "total": sum(counts.values()),
        "more": found.more,
        "ranked": RANKED,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "articles/search.html#results", {**context, "oob": True})
    else:
        response = pagecache.framed(request, "articles/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@member_required
def contributions(request: HttpRequest) -> HttpResponse:
    """The member's own arguments and votes, newest first, each list paged by 50."""
    arguments = (
        Argument.objects.filter(author=request.user)
        .select_related("merged_into")
        .prefetch_related(
            Prefetch(
                "outgoing",
                queryset=Link.objects.select_related("target").order_by("pk"),
                to_attr="answered",
            )
        )
        .order_by("-created_at", "-pk")
    )
    votes = (
        Vote.objects.filter(user=request.user)
        .select_related("argument")
        .order_by("-updated_at", "-pk")
    )
    arguments_page = Paginator(arguments, PER_PAGE).get_page(request.GET.get("arguments_page"))
    votes_page = Paginator(votes, PER_PAGE).get_page(request.GET.get("votes_page"))
    # How this member may see the other arguments named here: the policy decides, not the
    # template (one's own are always one's own, merged ones included).
    others = [vote.argument for vote in votes_page]
    others += [a.merged_into for a in arguments_page if a.merged_into_id]
    others += [link.target for a in arguments_page for link in a.answered]
    for other in others:
        own = other.author_id == request.user.pk
        other.seen = Appearance.SHOWN if own else policy.appearance(request.user, other)
    context = {"arguments": arguments_page, "votes": votes_page}
    return render(request, "accounts/contributions.html", context)


PANEL_LIST = 5  # answers per kind in the panel; the argument page lists them all


@require_safe
def argument_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """One argument beside the text it is read in (the article page's panel): its claim,
    strength, votes and replies, and the first of what attacks and supports it. htmx gets the
    fragment; a plain request goes to the argument page, the panel's full twin. A fixed number
    of queries, however many answers the argument has."""
    argument = get_object_or_404(Argument.objects.with_source(), pk=pk)
    if argument.status == Argument.Status.MERGED:  # the duplicate's place is the original's
        name = "debates:argument-panel" if request.htmx else "debates:argument"
        return redirect(name, argument.merged_into_id)
    seen = policy.appearance(request.user, argument)
    if seen == Appearance.ABSENT:
        raise Http404("No such argument.")
    if request.htmx:
        argument.placeholder = seen == Appearance.PLACEHOLDER
        template = "debates/includes/argument_panel.html"
        if request.GET.get("part") == "relations":  # after an answer posted in the panel
            template += "#panel-relations"
        response = render(request, template, _panel_context(request, argument))
    else:
        response = redirect(argument)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _panel_context(request: HttpRequest, argument: Argument) -> dict:
    # Its answers as this viewer sees them (hidden ones as placeholders), strongest first.
    answers = list(
        Link.objects.filter(target=argument, source__in=Argument.objects.listed_to(request.user))
        .select_related("source", "source__score")
        .defer("source__search")
    )
    for link in answers:
        seen = policy.appearance(request.user, link.source)
        link.source.placeholder = seen == Appearance.PLACEHOLDER
    rank = sort_key("strongest")
    context = {"argument": argument}
    kinds = ((Link.Relation.ATTACK, "attackers"), (Link.Relation.SUPPORT, "supporters"))
    for relation, name in kinds:
        sources = [link.source for link in answers if link.relation == relation]
        sources.sort(key=lambda source: (source.placeholder, *rank(source)))
        context[name] = sources[:PANEL_LIST]
        context[f"{name}_counted"] = sum(policy.counts(source) for source in sources)
        context[f"{name}_more"] = max(len(sources) - PANEL_LIST, 0)
    closed = policy.closed_debate(Debate.objects.containing(argument))
    argument.answers = answers  # answered arguments are no longer their author's to reword
    _for_viewer(request, [argument], frozen=closed is not None)
    context["closed_message"] = policy.closed_message(closed) if closed else ""
    return context
