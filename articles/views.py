from collections import defaultdict

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from articles.models import Article, Comment
from articles.threads import thread_order
from debates.models import Argument


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_comment_count()
    return render(request, "articles/article_list.html", {"articles": articles})


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
