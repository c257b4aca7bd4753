"""API of penalties and repair applications: scoped reads, revocation, correction, review."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from apps.organizations.api.mixins import ScopedViewSetMixin

from .. import services
from ..filters import PenaltyFilterSet, RepairApplicationFilterSet
from ..models import Penalty, RepairApplication
from .serializers import (
    CorrectionSerializer,
    PenaltySerializer,
    ReasonSerializer,
    RepairApplicationSerializer,
)


class PenaltyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Penalties in the principal's department scope; revoke and correct by the department."""

    queryset = Penalty.objects.select_related("department", "enterprise", "regime")
    serializer_class = PenaltySerializer
    filterset_class = PenaltyFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-decision_date", "pk")
    ordering_fields = ("decision_date", "received_at", "max_until", "pk")

    @extend_schema(request=ReasonSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke the decision with a reason; it leaves public view at once."""
        penalty = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        penalty = services.revoke_penalty(
            penalty, reason=serializer.validated_data["reason"], actor=request.user
        )
        return Response(PenaltySerializer(self.get_queryset().get(pk=penalty.pk)).data)

    @extend_schema(request=CorrectionSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        """Correct fields of the decision (or set its severity); publicity is recomputed."""
        penalty = self.get_object()
        serializer = CorrectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason")
        services.correct_penalty(penalty, changes, reason=reason, actor=request.user)
        return Response(PenaltySerializer(self.get_queryset().get(pk=penalty.pk)).data)


class RepairApplicationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Credit-repair applications of penalties in scope; approve or reject with a reason."""

    queryset = RepairApplication.objects.select_related(
        "penalty", "penalty__department", "reviewed_by"
    )
    serializer_class = RepairApplicationSerializer
    filterset_class = RepairApplicationFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-submitted_at", "pk")
    ordering_fields = ("submitted_at", "review_due", "pk")

    def _decide(self, request: Request, decide) -> Response:
        application = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = decide(
            application, reason=serializer.validated_data["reason"], actor=request.user
        )
        return Response(
            RepairApplicationSerializer(self.get_queryset().get(pk=application.pk)).data
        )

    @extend_schema(request=ReasonSerializer, responses=RepairApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve: the penalty's publicity ends today."""
        return self._decide(request, services.approve_repair)

    @extend_schema(request=ReasonSerializer, responses=RepairApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject with the reason; the penalty stays public."""
        return self._decide(request, services.reject_repair)
