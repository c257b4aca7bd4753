from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    """Administrative licences (double-publicity standard)."""

    name = "apps.permits"
    label = "permits"
    verbose_name = _("行政许可")
