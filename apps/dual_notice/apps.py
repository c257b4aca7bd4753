from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DualNoticeConfig(AppConfig):
    """ "Double notification": registration to licensing departments, claims, notices."""

    name = "apps.dual_notice"
    label = "dual_notice"
    verbose_name = _("双告知")
