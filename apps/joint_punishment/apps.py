from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointPunishmentConfig(AppConfig):
    """Lists, joint-punishment measures, checks, feedback and the list rules."""

    name = "apps.joint_punishment"
    label = "joint_punishment"
    verbose_name = _("联合惩戒")

    def ready(self) -> None:
        """Register the list-entry store and the home panel of overdue obligations."""
        from apps.catalogue.choices import ResourceKind
        from apps.core.panels import register_home_panel
        from apps.records.registry import register_store

        from .panels import obligations_panel
        from .stores import ListEntryStore

        register_store(ResourceKind.LIST_ENTRY, ListEntryStore())
        register_home_panel("joint_punishment.obligations", obligations_panel, order=30)
