"""API of licences: scoped reads (content changes through ingestion) and revocation."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from apps.organizations.api.mixins import ScopedViewSetMixin
from apps.penalties.api.serializers import ReasonSerializer

from .. import services
from ..filters import LicenceFilterSet
from ..models import Licence
from .serializers import LicenceSerializer


class LicenceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Licences in the principal's department scope: list, detail, revocation by the department."""

    queryset = Licence.objects.select_related("department", "enterprise")
    serializer_class = LicenceSerializer
    filterset_class = LicenceFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-decision_date", "pk")
    ordering_fields = ("decision_date", "received_at", "valid_to", "pk")

    @extend_schema(request=ReasonSerializer, responses=LicenceSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke the decision with a reason; it leaves public view at once."""
        licence = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        licence = services.revoke_licence(
            licence, reason=serializer.validated_data["reason"], actor=request.user
        )
        return Response(LicenceSerializer(self.get_queryset().get(pk=licence.pk)).data)
