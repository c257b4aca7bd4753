from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """The public portal: search, profiles, announcements, objections, public API."""

    name = "apps.disclosure"
    label = "disclosure"
    verbose_name = _("信息公示")
