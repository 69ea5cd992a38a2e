"""The inbox and the settings live under /accounts/ (joined in config/urls.py under the
accounts: names, as the accounts app knows nothing of notifications); following a debate under
its own address."""

from django.urls import path

from notifications import views

account_patterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/read/", views.read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.read_one, name="notification-read"),
    path("notifications/settings/", views.preferences, name="notification-settings"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

app_name = "notifications"
urlpatterns = [
    path("debates/<slug:slug>/follow/", views.follow, name="follow"),
]
