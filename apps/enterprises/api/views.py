"""API viewsets of the enterprise registry (``/api/v1/enterprises/``)."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.uscc import normalize_code
from apps.organizations.api.mixins import ScopedViewSetMixin
from apps.organizations.choices import Role
from apps.organizations.scoping import principal_role

from ..filters import EnterpriseFilterSet
from ..models import Enterprise
from ..services import register_enterprise, rename_enterprise, update_enterprise
from .pagination import CappedCountPagination
from .serializers import EnterpriseSerializer, EnterpriseWriteSerializer, RenameSerializer


class IsAdministratorToWrite(permissions.BasePermission):
    """Every signed-in principal reads; only administrators write (rows are scoped apart)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return principal_role(request.user) in (Role.PROVINCE_ADMIN, Role.REGION_ADMIN)


class SearchAwareOrderingFilter(OrderingFilter):
    """Keep the search ranking (exact name first) unless ``ordering`` is asked for."""

    def get_default_ordering(self, view: Any) -> Any:
        if view.request.query_params.get("q", "").strip():
            return None
        return super().get_default_ordering(view)


class EnterpriseViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Market entities keyed by USCC: list and detail for every signed-in principal;
    register, correct and rename for administrators in scope. No delete: an
    entity leaves by its status (deregistered, revoked), never by removal.
    """

    queryset = Enterprise.objects.select_related("region").prefetch_related("name_history")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    filter_backends = [DjangoFilterBackend, SearchAwareOrderingFilter]
    ordering = ("name", "pk")
    ordering_fields = ("name", "uscc", "established_on", "registered_capital", "pk")
    pagination_class = CappedCountPagination
    permission_classes = [IsAdministratorToWrite]
    lookup_field = "uscc"
    lookup_value_regex = "[^/]+"

    def get_serializer_class(self) -> type:
        if self.action in ("create", "update", "partial_update"):
            return EnterpriseWriteSerializer
        if self.action == "rename":
            return RenameSerializer
        return EnterpriseSerializer

    def get_object(self) -> Enterprise:
        # Accept the code as people type it (lower case, full-width, spaces).
        self.kwargs[self.lookup_field] = normalize_code(self.kwargs[self.lookup_field])
        return super().get_object()

    def perform_create(self, serializer: EnterpriseWriteSerializer) -> None:
        serializer.instance = register_enterprise(
            dict(serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer: EnterpriseWriteSerializer) -> None:
        changes = dict(serializer.validated_data)
        if "uscc" in changes and normalize_code(changes["uscc"]) == serializer.instance.uscc:
            changes.pop("uscc")
        serializer.instance = update_enterprise(
            serializer.instance, changes, actor=self.request.user
        )

    @extend_schema(request=RenameSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, uscc: str | None = None) -> Response:
        """Rename (名称变更): the current name goes to the name history."""
        enterprise = self.get_object()
        serializer = RenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rename_enterprise(
            enterprise,
            serializer.validated_data["name"],
            effective_on=serializer.validated_data["effective_on"],
            actor=request.user,
        )
        enterprise = self.get_queryset().get(pk=enterprise.pk)
        return Response(
            EnterpriseSerializer(enterprise, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )
