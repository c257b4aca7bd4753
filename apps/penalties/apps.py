from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PenaltiesConfig(AppConfig):
    """Administrative penalties, publicity windows and credit repair."""

    name = "apps.penalties"
    label = "penalties"
    verbose_name = _("行政处罚")

    def ready(self) -> None:
        """Register the penalty store for the PENALTY kind and the repair panel."""
        from apps.catalogue.choices import ResourceKind
        from apps.core.panels import register_home_panel
        from apps.records.registry import register_store

        from .panels import repair_panel
        from .stores import PenaltyStore

        register_store(ResourceKind.PENALTY, PenaltyStore())
        register_home_panel("penalties.repair", repair_panel, order=40)
