from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The front door to every record store: the kind registry and the generic store."""

    name = "apps.records"
    label = "records"
    verbose_name = _("涉企信息记录")
