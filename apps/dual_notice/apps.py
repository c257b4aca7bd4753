from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DualNoticeConfig(AppConfig):
    """ "Double notification": registration to licensing departments, claims, notices."""

    name = "apps.dual_notice"
    label = "dual_notice"
    verbose_name = _("双告知")

    def ready(self) -> None:
        """Register the home-page panel of pending claim tasks."""
        from apps.core.panels import register_home_panel

        from .panels import pending_tasks_panel

        register_home_panel("dual_notice.pending", pending_tasks_panel, order=45)
