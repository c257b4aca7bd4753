"""API of the catalogue: read-only for every principal, proposals for departments.

Department systems read resources, versions, regimes and the JSON Schema or
Excel template of a version; announcements are public. Proposals: a
department lists its own and submits new ones; provincial administrators
approve or reject them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from apps.organizations.api.mixins import ScopedViewSetMixin

from .. import services
from ..importer import CatalogueImportError
from ..models import (
    CatalogueAnnouncement,
    FieldSpec,
    ObligedSupplier,
    PublicityRegime,
    Resource,
    ResourceVersion,
    SupplementProposal,
)
from .filters import (
    CatalogueAnnouncementFilterSet,
    PublicityRegimeFilterSet,
    ResourceFilterSet,
    ResourceVersionFilterSet,
    SupplementProposalFilterSet,
)
from .serializers import (
    CatalogueAnnouncementSerializer,
    ProposalDecisionSerializer,
    PublicityRegimeSerializer,
    ResourceSerializer,
    ResourceVersionSerializer,
    SupplementProposalCreateSerializer,
    SupplementProposalSerializer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ORDERED_FIELDS = FieldSpec.objects.order_by("order", "pk")
SUPPLIERS = ObligedSupplier.objects.select_related("department").order_by("line", "pk")

VERSION_PARAMETER = OpenApiParameter(
    "version", OpenApiTypes.INT, description="版本号；缺省为现行版本"
)


def version_of(resource: Resource, number: str | None) -> ResourceVersion:
    """The resource's current version, or version ``number`` when asked (404 if none)."""
    if number:
        try:
            return resource.versions.get(number=int(number))
        except (ValueError, ResourceVersion.DoesNotExist):
            raise Http404("没有该版本。") from None
    if resource.current_version is None:
        raise Http404("该资源尚未发布。")
    return resource.current_version


class PublicAnonThrottle(AnonRateThrottle):
    """The public rate (``PUBLIC_API_RATE``) for anonymous readers of public endpoints."""

    scope = "public_anon"


class ResourceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Resources of the catalogue, each with its current version's fields and suppliers."""

    queryset = Resource.objects.select_related("current_version__resource").prefetch_related(
        Prefetch("current_version__fields", queryset=ORDERED_FIELDS),
        Prefetch("current_version__suppliers", queryset=SUPPLIERS),
    )
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet
    ordering = ("code", "pk")
    ordering_fields = ("code", "kind")
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="JSON Schema 2020-12")},
    )
    # Named json_schema: an attribute called ``schema`` would hide the view's OpenAPI schema.
    @action(detail=True, methods=["get"], url_path="schema", url_name="schema")
    def json_schema(self, request: Request, code: str | None = None) -> Response:
        """JSON Schema of the current version (or ``?version=N``) for validating before a push."""
        from ..exports import json_schema

        version = version_of(self.get_object(), request.query_params.get("version"))
        return Response(json_schema(version))

    @extend_schema(
        parameters=[VERSION_PARAMETER],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def template(self, request: Request, code: str | None = None) -> HttpResponse:
        """Excel template of the current version (or ``?version=N``): Chinese headers, drop-downs."""
        from ..exports import excel_template

        version = version_of(self.get_object(), request.query_params.get("version"))
        response = HttpResponse(excel_template(version), content_type=XLSX)
        filename = f"{version.resource.code}-v{version.number}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ResourceVersionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every version of every resource (drafts included), with fields and suppliers."""

    queryset = ResourceVersion.objects.select_related("resource").prefetch_related(
        Prefetch("fields", queryset=ORDERED_FIELDS),
        Prefetch("suppliers", queryset=SUPPLIERS),
    )
    serializer_class = ResourceVersionSerializer
    filterset_class = ResourceVersionFilterSet
    ordering = ("resource__code", "-number", "pk")
    ordering_fields = ("number", "published_at")


class PublicityRegimeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Dated publicity-period rules (penalties pick one with ``regime_for``)."""

    queryset = PublicityRegime.objects.select_related("resource")
    serializer_class = PublicityRegimeSerializer
    filterset_class = PublicityRegimeFilterSet
    ordering = ("resource__code", "-valid_from", "-priority", "pk")
    ordering_fields = ("valid_from", "priority")


class CatalogueAnnouncementViewSet(viewsets.ReadOnlyModelViewSet):
    """Public catalogue change announcements (no sign-in needed)."""

    queryset = CatalogueAnnouncement.objects.select_related("version__resource")
    serializer_class = CatalogueAnnouncementSerializer
    filterset_class = CatalogueAnnouncementFilterSet
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicAnonThrottle]
    ordering = ("-published_at", "-pk")
    ordering_fields = ("published_at",)


class SupplementProposalViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Supplement proposals in the principal's scope; create, approve, reject."""

    queryset = SupplementProposal.objects.select_related("resource", "department", "applied_to")
    serializer_class = SupplementProposalSerializer
    filterset_class = SupplementProposalFilterSet
    ordering = ("-created_at", "-pk")
    ordering_fields = ("created_at", "status")

    @extend_schema(
        request=SupplementProposalCreateSerializer,
        responses={201: SupplementProposalSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SupplementProposalCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            proposal = services.submit_proposal(
                data["department"],
                resource=data.get("resource"),
                title=data["title"],
                reason=data["reason"],
                payload=data.get("payload") or {},
                actor=request.user,
            )
        except CatalogueImportError as exc:
            raise ValidationError({"payload": [p.as_dict() for p in exc.problems]}) from None
        return Response(SupplementProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProposalDecisionSerializer, responses=SupplementProposalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve and apply the proposal to the resource's draft (provincial administrators)."""
        proposal = self.get_object()
        serializer = ProposalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            proposal = services.approve_proposal(
                proposal, actor=request.user, reason=serializer.validated_data["reason"]
            )
        except CatalogueImportError as exc:
            # The catalogue changed since submission (e.g. a field code now clashes).
            raise ValidationError({"payload": [p.as_dict() for p in exc.problems]}) from None
        return Response(SupplementProposalSerializer(proposal).data)

    @extend_schema(request=ProposalDecisionSerializer, responses=SupplementProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject the proposal with a reason (provincial administrators)."""
        proposal = self.get_object()
        serializer = ProposalDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.reject_proposal(
            proposal, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(SupplementProposalSerializer(proposal).data)
