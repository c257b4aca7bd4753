from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    """Administrative licences (double-publicity standard)."""

    name = "apps.permits"
    label = "permits"
    verbose_name = _("行政许可")

    def ready(self) -> None:
        """Register the licence store for the LICENCE kind."""
        from apps.catalogue.choices import ResourceKind
        from apps.records.registry import register_store

        from .stores import LicenceStore

        register_store(ResourceKind.LICENCE, LicenceStore())
