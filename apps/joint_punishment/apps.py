from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointPunishmentConfig(AppConfig):
    """Lists, joint-punishment measures, checks, feedback and the list rules."""

    name = "apps.joint_punishment"
    label = "joint_punishment"
    verbose_name = _("联合惩戒")
