"""Read-only API of generic records (records change only through ingestion)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from apps.organizations.api.mixins import ScopedViewSetMixin

from ..filters import GenericRecordFilterSet
from ..models import GenericRecord
from .serializers import GenericRecordSerializer


class GenericRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Generic records in the principal's department scope: list and detail."""

    queryset = GenericRecord.objects.select_related("department", "enterprise")
    serializer_class = GenericRecordSerializer
    filterset_class = GenericRecordFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-decision_date", "pk")
    ordering_fields = ("decision_date", "received_at", "business_key", "pk")
