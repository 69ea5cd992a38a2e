"""The site's addresses. The articles and accounts apps know nothing of the debates (nor of the
notifications above them), so the pages that show arguments beside an article or a member, and
a member's notifications, join their namespaces here."""

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe

from accounts.urls import urlpatterns as account_patterns
from articles.urls import urlpatterns as article_patterns
from config import views
from debates import feeds, reading_views
from notifications.urls import account_patterns as notification_patterns

articles = [
    *article_patterns,
    path("<slug:slug>/", reading_views.article_detail, name="detail"),
    path("<slug:slug>/feed/", require_safe(feeds.ArticleFeed()), name="feed"),
]
accounts = [
    *account_patterns,
    path("contributions/", reading_views.contributions, name="contributions"),
    *notification_patterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("articles/", include((articles, "articles"))),
    path("search/", reading_views.search, name="search"),
    path("", include("debates.urls")),
    path("", include("debates.moderation.urls")),
    path("", include("notifications.urls")),
    path("accounts/", include((accounts, "accounts"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
