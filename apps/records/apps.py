from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The front door to every record store: the kind registry and the generic store."""

    name = "apps.records"
    label = "records"
    verbose_name = _("涉企信息记录")

    def ready(self) -> None:
        """Register the generic store as the fallback for every kind without a typed store."""
        from .registry import register_store
        from .stores import GenericStore

        register_store("*", GenericStore())
