from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PenaltiesConfig(AppConfig):
    """Administrative penalties, publicity windows and credit repair."""

    name = "apps.penalties"
    label = "penalties"
    verbose_name = _("行政处罚")
