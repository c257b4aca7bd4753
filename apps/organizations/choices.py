"""Typed choices of the organizations app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """Administrative level of a region (GB/T 2260), plus the Yangpu zone."""

    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("地级市")
    COUNTY = "county", _("县级市/县/自治县")
    DISTRICT = "district", _("市辖区")
    ZONE = "zone", _("经济开发区")


class DepartmentLevel(models.TextChoices):
    """Government level a department belongs to."""

    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县（区）级")


class Role(models.TextChoices):
    """What a person does on the platform; decides scope in :mod:`.scoping`."""

    PROVINCE_ADMIN = "province_admin", _("省级管理员")
    REGION_ADMIN = "region_admin", _("市县管理员")
    DEPARTMENT_STAFF = "department_staff", _("部门工作人员")
    DEPARTMENT_LIAISON = "department_liaison", _("部门联络员")
    AUDITOR = "auditor", _("审计员（只读）")


class Action(models.TextChoices):
    """What a principal wants to do with a row."""

    VIEW = "view", _("查看")
    CHANGE = "change", _("修改")
