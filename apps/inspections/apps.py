from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """ "Double random, one public" inspections: pools, plans, draws, results."""

    name = "apps.inspections"
    label = "inspections"
    verbose_name = _("双随机一公开")

    def ready(self) -> None:
        from apps.core.panels import register_home_panel

        from .panels import inspection_panel

        register_home_panel("inspections.tasks", inspection_panel, order=40)
