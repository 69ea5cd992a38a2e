from django.urls import path

from debates import views

app_name = "debates"
urlpatterns = [
    path("debates/", views.debate_list, name="list"),
    path("debates/<slug:slug>/", views.debate_detail, name="detail"),
    path("debates/<slug:slug>/export.json", views.export_json, name="export-json"),
    path("debates/<slug:slug>/export.aif.json", views.export_aif, name="export-aif"),
    path("debates/<slug:slug>/arguments/<int:pk>/", views.debate_node, name="node"),
    path("arguments/<int:pk>/", views.argument_detail, name="argument"),
]
