from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestionConfig(AppConfig):
    """Submissions through forms, files and the push API; quarantine and correction."""

    name = "apps.ingestion"
    label = "ingestion"
    verbose_name = _("信息归集")

    def ready(self) -> None:
        from apps.core.panels import register_home_panel

        from .panels import problem_panel

        register_home_panel("ingestion.problems", problem_panel, order=20)
