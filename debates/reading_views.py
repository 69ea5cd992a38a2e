"""Pages that read arguments beside their sources: an article with its highlights, search,
and a member's own contributions. Routed by config/urls.py under /articles/, /search/ and
/accounts/, because the articles and accounts apps know nothing of the debates above them.
"""

from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from accounts.access import member_required
from articles.models import Article, Comment
from articles.threads import thread_order
from debates import policy
from debates.models import Argument, Link, Vote
from debates.policy import Appearance

PER_PAGE = 50


@require_GET
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


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    articles = list(Article.objects.search(q)[:SEARCH_LIMIT]) if q else []
    comments = list(Comment.objects.search(q)[:SEARCH_LIMIT]) if q else []
    arguments = list(Argument.objects.search(q).with_source()[:SEARCH_LIMIT]) if q else []
    context = {"q": q, "articles": articles, "comments": comments, "arguments": arguments}
    context["total"] = len(articles) + len(comments) + len(arguments)
    partial = request.htmx and not request.htmx.history_restore_request
    template = "articles/search.html#results" if partial else "articles/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
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
    # Which of them lead somewhere for this member: the policy decides, not the template.
    shown = [*arguments_page, *(vote.argument for vote in votes_page)]
    shown += [a.merged_into for a in arguments_page if a.merged_into_id]
    shown += [link.target for a in arguments_page for link in a.answered]
    for argument in shown:
        argument.linkable = policy.appearance(request.user, argument) != Appearance.ABSENT
    context = {"arguments": arguments_page, "votes": votes_page}
    return render(request, "accounts/contributions.html", context)
