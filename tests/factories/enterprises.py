"""Factories for enterprises and their name history (valid USCCs by default)."""

from __future__ import annotations

import datetime
import random

import factory
from django.contrib.postgres.search import SearchVector
from django.db.models import Value

from apps.core.text import search_document
from apps.core.uscc import generate_uscc
from apps.enterprises.choices import EnterpriseStatus, EntityType
from apps.enterprises.models import Enterprise, EnterpriseNameHistory
from tests.factories.organizations import RegionFactory

# Seeded, so a failing test shows the same codes on every run.
_rng = random.Random(46)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """An active Haikou company with a valid ``91460100…`` USCC and its search fields."""

    class Meta:
        model = Enterprise
        django_get_or_create = ("uscc",)
        # A save after the hook would write the in-memory NULL search_vector back.
        skip_postgeneration_save = True

    uscc = factory.LazyFunction(lambda: generate_uscc(_rng, region="460100"))
    organization_code = factory.LazyAttribute(lambda o: o.uscc[8:17])
    name = factory.Sequence(lambda n: f"海南测试{n}贸易有限公司")
    entity_type = EntityType.COMPANY
    legal_representative = "王海"
    registered_capital = 100
    established_on = datetime.date(2018, 5, 1)
    status = EnterpriseStatus.ACTIVE
    registration_authority = "海口市市场监督管理局"
    region = factory.SubFactory(RegionFactory, code="460100", name="海口市")
    address = "海南省海口市龙华区滨海大道1号"
    business_scope = "国内贸易代理；货物进出口"

    @factory.post_generation
    def search(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy hook)
        """Fill search_terms/search_vector the way the services do."""
        if not create:
            return
        obj.search_terms = search_document(obj.name, obj.legal_representative)
        Enterprise.objects.filter(pk=obj.pk).update(
            search_terms=obj.search_terms,
            search_vector=SearchVector(Value(obj.search_terms), config="simple"),
        )


class EnterpriseNameHistoryFactory(factory.django.DjangoModelFactory):
    """A former name of an enterprise."""

    class Meta:
        model = EnterpriseNameHistory

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"海南旧名{n}有限公司")
    valid_from = datetime.date(2018, 5, 1)
    valid_to = datetime.date(2020, 12, 31)
