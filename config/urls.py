from django.contrib import admin
from django.urls import include, path

from articles import views as article_views
from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("articles/", include("articles.urls")),
    path("search/", article_views.search, name="search"),
    path("", include("debates.urls")),
    path("", include("debates.moderation_urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
