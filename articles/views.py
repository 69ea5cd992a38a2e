from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from articles.models import Article, Comment
from articles.threads import thread_order


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
    return render(
        request, "articles/article_detail.html", {"article": article, "comments": comments}
    )


SEARCH_LIMIT = 20


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    articles = list(Article.objects.search(q)[:SEARCH_LIMIT]) if q else []
    comments = list(Comment.objects.search(q)[:SEARCH_LIMIT]) if q else []
    context = {"q": q, "articles": articles, "comments": comments}
    context["total"] = len(articles) + len(comments)
    partial = request.htmx and not request.htmx.history_restore_request
    template = "articles/search.html#results" if partial else "articles/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
