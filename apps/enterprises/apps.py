from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    """Market entities keyed by USCC and the abstract base of every record filed under one."""

    name = "apps.enterprises"
    label = "enterprises"
    verbose_name = _("市场主体")
