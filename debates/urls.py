from django.urls import path
from django.views.decorators.http import require_safe

from debates import export_views, feeds, reading_views, views

app_name = "debates"
urlpatterns = [
    path("debates/", views.debate_list, name="list"),
    path("debates/<slug:slug>/", views.debate_detail, name="detail"),
    path("debates/<slug:slug>/map/", views.debate_map_view, name="map"),
    path("debates/<slug:slug>/feed/", require_safe(feeds.DebateFeed()), name="feed"),
    path("debates/<slug:slug>/export.json", export_views.export_json, name="export-json"),
    path("debates/<slug:slug>/export.aif.json", export_views.export_aif, name="export-aif"),
    path("debates/<slug:slug>/export.argdown", export_views.export_argdown, name="export-argdown"),
    path("debates/<slug:slug>/arguments/<int:pk>/", views.debate_node, name="node"),
    path("arguments/<int:pk>/", views.argument_detail, name="argument"),
    path("arguments/<int:pk>/panel/", reading_views.argument_panel, name="argument-panel"),
    path("arguments/<int:pk>/vote/", views.vote, name="vote"),
    path("arguments/<int:pk>/reply/", views.reply_form, name="reply-form"),
    path("arguments/<int:pk>/edit/", views.edit_own, name="edit-own"),
    path("arguments/<int:pk>/replies/", views.replies, name="replies"),
    path("arguments/<int:pk>/similar/", views.similar, name="similar"),
    path("arguments/<int:pk>/link/", views.link_candidates, name="link-candidates"),
    path("arguments/<int:pk>/links/", views.links, name="links"),
]
