from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Regions, departments, people, roles and API tokens; who may see and change what."""

    name = "apps.organizations"
    label = "organizations"
    verbose_name = _("机构与人员")
