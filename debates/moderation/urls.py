from django.urls import path

from articles import views as article_views
from debates.moderation import anchor_views, extraction_views
from debates.moderation import views as moderation_views

app_name = "moderation"
urlpatterns = [
    path("moderation/", moderation_views.queue, name="queue"),
    path("moderation/log/", moderation_views.log, name="log"),
    path("moderation/log/<int:pk>/undo/", moderation_views.undo, name="undo"),
    path("moderation/arguments/<int:pk>/edit/", moderation_views.edit, name="edit"),
    path("moderation/arguments/<int:pk>/merge/", moderation_views.merge, name="merge"),
    path("moderation/pick/", moderation_views.pick, name="pick"),
    path(
        "moderation/quotes/<int:pk>/<str:action>/",
        anchor_views.quote_action,
        name="quote-action",
    ),
    path(
        "moderation/arguments/<int:pk>/<str:action>/",
        moderation_views.argument_action,
        name="argument-action",
    ),
    path(
        "moderation/debates/<slug:slug>/<str:action>/",
        moderation_views.debate_action,
        name="debate-action",
    ),
    path("arguments/<int:pk>/flag/", moderation_views.flag, name="flag"),
    path("arguments/<int:pk>/revisions/", moderation_views.revisions, name="revisions"),
    path("debates/<slug:slug>/log/", moderation_views.public_log, name="public-log"),
    path(
        "moderation/articles/<slug:slug>/extract/",
        extraction_views.extract,
        name="extract",
    ),
    path("moderation/import/", article_views.import_article, name="import"),
]
