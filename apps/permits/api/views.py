"""Read-only API of licences (licences change through ingestion)."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from apps.organizations.api.mixins import ScopedViewSetMixin

from ..filters import LicenceFilterSet
from ..models import Licence
from .serializers import LicenceSerializer


class LicenceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Licences in the principal's department scope: list and detail."""

    queryset = Licence.objects.select_related("department", "enterprise")
    serializer_class = LicenceSerializer
    filterset_class = LicenceFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-decision_date", "pk")
    ordering_fields = ("decision_date", "received_at", "valid_to", "pk")
