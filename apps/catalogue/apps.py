from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The resource catalogue: resources, field specs, versions, announcements."""

    name = "apps.catalogue"
    label = "catalogue"
    verbose_name = _("资源目录")
