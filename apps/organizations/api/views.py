"""API viewsets of the organizations app; every queryset goes through the scoping module."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.models import AuditEvent

from .. import services
from ..models import ApiToken, Department, Region
from ..scoping import get_object_for_user, is_administrator, may_read_audit, principal_role
from ..selectors import visible_audit_events
from ..tokens import DepartmentSystem
from .filters import ApiTokenFilterSet, AuditEventFilterSet, DepartmentFilterSet, RegionFilterSet
from .mixins import ScopedViewSetMixin
from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    AuditEventSerializer,
    DepartmentLiaisonSerializer,
    DepartmentSerializer,
    MeSerializer,
    RegionSerializer,
)


class IsAdministratorForWrites(permissions.BasePermission):
    """Writes (create, revoke) need a provincial or city/county administrator."""

    message = _("只有管理员可以执行此操作。")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_administrator(request.user) and getattr(request.user, "pk", None) is not None


class MayReadAudit(permissions.BasePermission):
    """The audit history is for administrators and auditors."""

    message = _("只有管理员和审计员可以查看审计记录。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return may_read_audit(request.user)


class RegionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Hainan's regions (GB/T 2260 plus the Yangpu platform code), read-only."""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering = ("sort_order", "code", "pk")
    ordering_fields = ("sort_order", "code", "name")
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z]+"


class DepartmentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Departments; administrators in scope and the department's liaison PATCH liaison fields."""

    queryset = Department.objects.select_related("region", "parent").annotate(
        member_count=Count("members", distinct=True)
    )
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    ordering = ("region__sort_order", "region__code", "code", "pk")
    ordering_fields = ("code", "name", "level", "line")
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(request=DepartmentLiaisonSerializer, responses=DepartmentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        department = get_object_for_user(
            Department.objects.all(), request.user, code=self.kwargs[self.lookup_field]
        )
        serializer = DepartmentLiaisonSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {f: getattr(department, f) for f in services.LIAISON_FIELDS}
        values.update(serializer.validated_data)
        services.update_department_liaison(department, actor=request.user, **values)
        # Re-read with the annotated list queryset (member count) for the answer.
        return Response(DepartmentSerializer(self.get_queryset().get(pk=department.pk)).data)


class ApiTokenViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Department API tokens: listed in scope, created (key returned once) and revoked."""

    queryset = ApiToken.objects.select_related("department", "created_by", "revoked_by")
    serializer_class = ApiTokenSerializer
    filterset_class = ApiTokenFilterSet
    permission_classes = [permissions.IsAuthenticated, IsAdministratorForWrites]
    ordering = ("-created_at", "-pk")
    ordering_fields = ("created_at", "last_used_at", "name")

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = services.create_api_token(
            data["department"],
            name=data["name"],
            expires_at=data.get("expires_at"),
            actor=request.user,
        )
        token.key = key  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke the token now; requests with it answer 401 from then on."""
        token = self.get_object()
        services.revoke_api_token(token, actor=request.user)
        return Response(ApiTokenSerializer(token).data)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit history visible to the principal (administrators and auditors)."""

    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    permission_classes = [permissions.IsAuthenticated, MayReadAudit]
    ordering = ("-occurred_at", "-pk")
    ordering_fields = ("occurred_at",)

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return visible_audit_events(self.request.user)


class MeView(APIView):
    """Who am I: the signed-in person or the department token, with role and department."""

    serializer_class = MeSerializer

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        principal = request.user
        department = getattr(principal, "department", None)
        region = getattr(principal, "region", None)
        if isinstance(principal, DepartmentSystem):
            data = {
                "kind": "token",
                "username": None,
                "display_name": principal.token.name,
                "token_prefix": principal.token.prefix,
            }
        else:
            data = {
                "kind": "user",
                "username": principal.get_username(),
                "display_name": str(principal),
                "token_prefix": None,
            }
        data.update(
            role=principal_role(principal),
            department=department.code if department else None,
            department_name=department.name if department else None,
            region=region.code if region else None,
        )
        return Response(MeSerializer(data).data)
