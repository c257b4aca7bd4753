"""Factories for regions, departments, users and tokens."""

from __future__ import annotations

import factory

from apps.organizations.choices import DepartmentLevel, RegionLevel, Role
from apps.organizations.models import Department, Region, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"46{n:04d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = RegionLevel.COUNTY


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-{n:04d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    level = DepartmentLevel.PROVINCIAL
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.DEPARTMENT_STAFF
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy hook)
        if create:
            obj.save()


def make_api_token(department: Department, *, name: str = "测试令牌", **kwargs):
    """Issue a real token through the service (system actor); returns (token, full key)."""
    from apps.organizations.services import create_api_token

    return create_api_token(department, name=name, actor=None, **kwargs)
