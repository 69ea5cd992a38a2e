from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "debates"
    verbose_name = _("Debates")

    def ready(self) -> None:
        from debates import anchoring  # noqa: F401  (re-anchors quotes after a re-import)
        from debates.moderation import services  # noqa: F401  (connects the audit log's receivers)
