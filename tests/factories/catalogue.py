"""Factories for the catalogue: resources, versions, field specs, suppliers, regimes, proposals."""

from __future__ import annotations

import datetime

import factory

from apps.catalogue.choices import FieldType, ResourceKind, Severity, VersionStatus
from apps.catalogue.models import (
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceVersion,
    SupplementProposal,
)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"RES{n:03d}")
    kind = ResourceKind.GENERIC


class ResourceVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; publish it through the services, never by setting the status."""

    class Meta:
        model = ResourceVersion

    resource = factory.SubFactory(ResourceFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VersionStatus.DRAFT
    name = factory.Sequence(lambda n: f"测试资源{n}")
    deadline_working_days = 7


class FieldSpecFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldSpec

    version = factory.SubFactory(ResourceVersionFactory)
    code = factory.Sequence(lambda n: f"F_{n:03d}")
    name = factory.Sequence(lambda n: f"数据项{n}")
    data_type = FieldType.STRING
    max_length = 64
    order = factory.Sequence(lambda n: n)


class ObligedSupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObligedSupplier

    version = factory.SubFactory(ResourceVersionFactory)
    line = "SCJG"
    levels = factory.LazyFunction(lambda: ["provincial", "city", "county"])


class PublicityRegimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicityRegime

    resource = factory.SubFactory(ResourceFactory)
    name = factory.Sequence(lambda n: f"公示规则{n}")
    legal_basis = "发改办财金〔2019〕527号"
    valid_from = datetime.date(2019, 7, 1)
    severity = Severity.ANY
    min_months = 3
    max_months = 12


class SupplementProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplementProposal

    title = factory.Sequence(lambda n: f"补充建议{n}")
    reason = "本部门实际报送需要。"
    payload = factory.LazyFunction(dict)
