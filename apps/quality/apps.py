from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    """Quality rules and issues, scorecards, coverage, sampling checks and reports."""

    name = "apps.quality"
    label = "quality"
    verbose_name = _("数据质量")

    def ready(self) -> None:
        from apps.core.panels import register_home_panel

        from .panels import quality_panel

        register_home_panel("quality.summary", quality_panel, order=40)
