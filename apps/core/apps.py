from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Domain-free kernel: USCC, working days, text, audit history."""

    name = "apps.core"
    label = "core"
    verbose_name = _("基础")
