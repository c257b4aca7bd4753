"""API of double notification: claim tasks (with claim/return/reassign/close), notices,
the mapping (read-only) and per-department statistics. All scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from apps.organizations.api.mixins import ScopedViewSetMixin

from .. import services
from ..filters import ClaimTaskFilterSet, NoticeFilterSet
from ..models import ClaimTask, LicensingMatter, Notice
from ..selectors import (
    department_statistics,
    get_task_for_user,
    visible_notices,
    visible_tasks,
)
from .serializers import (
    ClaimInputSerializer,
    ClaimTaskSerializer,
    CloseInputSerializer,
    DepartmentStatisticsSerializer,
    LicensingMatterSerializer,
    NoticeSerializer,
    ReassignInputSerializer,
    ReturnInputSerializer,
)


class ClaimTaskViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Claim tasks in the principal's scope; actions change them through the services."""

    queryset = ClaimTask.objects.select_related(
        "notice", "enterprise", "matter", "department"
    ).prefetch_related("assignments__department")
    serializer_class = ClaimTaskSerializer
    filterset_class = ClaimTaskFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("due_on", "pk")
    ordering_fields = ("due_on", "created_at", "status", "pk")

    def _act(self, request: Request, pk: str, input_class: Any, call: Any) -> Response:
        task = get_task_for_user(request.user, int(pk), write=True)
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        task = call(task, data.validated_data)
        return Response(ClaimTaskSerializer(task).data)

    @extend_schema(request=ClaimInputSerializer, responses=ClaimTaskSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        """Claim the task for the principal's department (409 when not pending or past due)."""
        return self._act(
            request,
            pk,
            ClaimInputSerializer,
            lambda t, d: services.claim_task(t, actor=request.user, note=d["note"]),
        )

    @extend_schema(request=ReturnInputSerializer, responses=ClaimTaskSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """Return the task with a reason; it goes to the provincial administrators' queue."""
        return self._act(
            request,
            pk,
            ReturnInputSerializer,
            lambda t, d: services.return_task(t, actor=request.user, reason=d["reason"]),
        )

    @extend_schema(request=ReassignInputSerializer, responses=ClaimTaskSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        """Provincial administrators: send the task to a department (by code)."""
        return self._act(
            request,
            pk,
            ReassignInputSerializer,
            lambda t, d: services.reassign_task(t, d["department"], actor=request.user),
        )

    @extend_schema(request=CloseInputSerializer, responses=ClaimTaskSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Provincial administrators: close a queued task that needs no claim."""
        return self._act(
            request,
            pk,
            CloseInputSerializer,
            lambda t, d: services.close_task(t, actor=request.user, note=d["note"]),
        )


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Notices in the principal's scope (registrar, region, or reached through a task)."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-registered_on", "-pk")
    ordering_fields = ("registered_on", "pk")
    queryset = Notice.objects.none()

    def get_queryset(self) -> Any:
        user = self.request.user
        own = visible_notices(user).values("pk")
        via_tasks = visible_tasks(user).values("notice_id")
        lines = Prefetch(
            "tasks",
            queryset=ClaimTask.objects.select_related("matter", "department").order_by(
                "matter__sort_order", "pk"
            ),
        )
        return (
            Notice.objects.filter(Q(pk__in=own) | Q(pk__in=via_tasks))
            .select_related("enterprise", "registrar")
            .prefetch_related(lines)
        )


class LicensingMatterViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The mapping: licensing matters and their keywords (read-only; edited in pages/admin)."""

    queryset = LicensingMatter.objects.prefetch_related("keywords")
    serializer_class = LicensingMatterSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_fields = ["department_line", "approval_level", "is_active"]
    ordering = ("sort_order", "code", "pk")
    ordering_fields = ("code", "sort_order", "pk")
    lookup_field = "code"


class DepartmentStatisticsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Per-department claim statistics in the principal's scope (not paginated)."""

    serializer_class = DepartmentStatisticsSerializer
    pagination_class = None
    queryset = ClaimTask.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", str, description="推送日期起 YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="推送日期止 YYYY-MM-DD"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from ..views import _parse_date

        rows = department_statistics(
            request.user,
            date_from=_parse_date(request.query_params.get("date_from")),
            date_to=_parse_date(request.query_params.get("date_to")),
        )
        return Response(self.get_serializer(rows, many=True).data)
