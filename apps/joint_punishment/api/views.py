"""The joint-punishment API: lists, measures, entries, proposals, the check, feedback.

Reads are scoped through ``apps.organizations.scoping``; writes call one
service each. The check endpoint serves department systems (token) and staff.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.enterprises.models import Enterprise
from apps.organizations.api.mixins import ScopedViewSetMixin
from apps.organizations.scoping import get_object_for_user

from .. import services
from ..checks import check_for
from ..choices import CheckChannel
from ..exceptions import ListingRefused
from ..filters import (
    CheckLogFilterSet,
    FeedbackFilterSet,
    ListEntryFilterSet,
    ObligationFilterSet,
    ProposalFilterSet,
)
from ..models import CheckLog, Feedback, ListEntry, ListType, Measure, Obligation, Proposal
from ..permissions import acting_department
from ..selectors import feedback_rates
from .serializers import (
    CheckInputSerializer,
    CheckLogSerializer,
    CheckOutputSerializer,
    ConfirmInputSerializer,
    EarlyRemovalInputSerializer,
    FeedbackInputSerializer,
    FeedbackRateSerializer,
    FeedbackSerializer,
    ListEntrySerializer,
    ListingInputSerializer,
    ListTypeSerializer,
    MeasureSerializer,
    ObligationSerializer,
    ProposalSerializer,
    RejectInputSerializer,
    RemovalByUsccInputSerializer,
    RemovalInputSerializer,
)


def _enterprise(uscc: str) -> Enterprise:
    found = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
    if found is None:
        raise ListingRefused(
            _("字段“uscc”：统一社会信用代码 %(code)s 未在市场主体名录中登记。") % {"code": uscc}
        )
    return found


class ListTypeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List types with their statutory grounds and dated regimes (reference data)."""

    queryset = ListType.objects.prefetch_related("grounds", "regimes__escalate_to")
    serializer_class = ListTypeSerializer
    ordering = ("sort_order", "code", "pk")
    lookup_field = "code"


class MeasureViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Joint-punishment measures; ``?list_type=YZWF`` and ``?line=CZ`` narrow them."""

    queryset = Measure.objects.prefetch_related("list_types")
    serializer_class = MeasureSerializer
    ordering = ("code", "pk")
    lookup_field = "code"
    filterset_fields = ["memorandum", "is_active"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if code := self.request.query_params.get("list_type"):
            qs = qs.filter(list_types__code=code)
        if line := self.request.query_params.get("line"):
            qs = qs.filter(implementing_lines__contains=[line])
        return qs


class ListEntryViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """List entries of the principal's scope; listing, removal and early-removal application."""

    queryset = ListEntry.objects.select_related("list_type", "ground", "department", "enterprise")
    serializer_class = ListEntrySerializer
    filterset_class = ListEntryFilterSet
    ordering = ("-listed_on", "-pk")
    ordering_fields = ("listed_on", "removed_on", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(request=ListingInputSerializer, responses={201: ListEntrySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ListingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        department = acting_department(request.user, values.get("department"))
        list_type = values["list_type"]
        ground = None
        if values.get("ground"):
            ground = list_type.grounds.filter(code=values["ground"]).first()
            if ground is None:
                raise ListingRefused(
                    _("字段“ground”：%(list)s没有代码为 %(code)s 的列入情形。")
                    % {"list": list_type.name, "code": values["ground"]}
                )
        entry = services.list_entity(
            list_type=list_type,
            enterprise=_enterprise(values["uscc"]),
            department=department,
            listed_on=values["listed_on"],
            authority=values["listing_authority"],
            document=values["listing_document"],
            reason=values["listing_reason"],
            ground=ground,
            actor=request.user,
            channel="api",
        )
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RemovalInputSerializer, responses=ListEntrySerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str | None = None) -> Response:
        """Record the removal decision of this entry (refused if dated before the listing)."""
        entry = self.get_object()
        data = RemovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = services.remove_entry(
            entry,
            removed_on=values["removed_on"],
            authority=values["removal_authority"],
            document=values["removal_document"],
            reason=values["removal_reason"],
            actor=request.user,
        )
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=EarlyRemovalInputSerializer, responses={201: ProposalSerializer})
    @action(detail=True, methods=["post"], url_path="early-removal")
    def early_removal(self, request: Request, pk: str | None = None) -> Response:
        """Record the entity's early-removal application as a proposal (after the minimum)."""
        entry = self.get_object()
        data = EarlyRemovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.apply_for_early_removal(
            entry,
            applied_on=data.validated_data["applied_on"],
            reason=data.validated_data["reason"],
            actor=request.user,
        )
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class RemovalView(APIView):
    """Remove an entity from a list by USCC and list code (the entry in force that day)."""

    @extend_schema(request=RemovalByUsccInputSerializer, responses=ListEntrySerializer)
    def post(self, request: Request) -> Response:
        data = RemovalByUsccInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enterprise = _enterprise(values["uscc"])
        current = (
            ListEntry.objects.filter(enterprise=enterprise, list_type=values["list_type"])
            .in_force(values["removed_on"])
            .first()
        )
        if current is not None:
            # The entry must be one the principal may change (403/404 as usual).
            get_object_for_user(ListEntry.objects.all(), request.user, write=True, pk=current.pk)
        entry = services.remove_listing(
            list_type=values["list_type"],
            enterprise=enterprise,
            removed_on=values["removed_on"],
            authority=values["removal_authority"],
            document=values["removal_document"],
            reason=values["removal_reason"],
            actor=request.user,
        )
        return Response(ListEntrySerializer(entry, context={"today": timezone.localdate()}).data)


class ProposalViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Proposals of the scheduled rules; the competent department confirms or rejects."""

    queryset = Proposal.objects.select_related("list_type", "enterprise", "department", "ground")
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    ordering = ("decide_by", "pk")
    ordering_fields = ("decide_by", "basis_date", "created_at", "pk")

    @extend_schema(request=ConfirmInputSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        data = ConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.confirm_proposal(proposal, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=RejectInputSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.reject_proposal(
            proposal, actor=request.user, note=data.validated_data["note"]
        )
        return Response(self.get_serializer(proposal).data)


class CheckView(APIView):
    """Check one USCC or a batch of up to 1,000: lists in force and the caller's measures.

    Every item is answered: an unknown or malformed code gets its own error,
    never a failed batch. Every item is logged with the ``purpose``.
    """

    @extend_schema(request=CheckInputSerializer, responses=CheckOutputSerializer)
    def post(self, request: Request) -> Response:
        data = CheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        codes = [values["uscc"]] if "uscc" in values else values["usccs"]
        result = check_for(
            request.user,
            codes,
            purpose=values["purpose"],
            channel=CheckChannel.API,
            department_code=values.get("department"),
        )
        items = [item.as_dict() for item in result.items]
        return Response(
            {
                "batch": str(result.batch),
                "checked_on": result.checked_on.isoformat(),
                "department": result.department_code,
                "count": len(items),
                "errors": sum(1 for item in items if not item["ok"]),
                "results": items,
            }
        )


class CheckLogViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The check log: who checked which entity, when, for what business."""

    queryset = CheckLog.objects.select_related("department")
    serializer_class = CheckLogSerializer
    filterset_class = CheckLogFilterSet
    ordering = ("-checked_at", "-pk")


class ObligationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Feedback obligations of the implementing departments (``?overdue=true``)."""

    queryset = Obligation.objects.select_related("department", "entry", "entry__list_type")
    serializer_class = ObligationSerializer
    filterset_class = ObligationFilterSet
    ordering = ("due_on", "pk")


class FeedbackViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """What departments applied; POST records feedback for the caller's department."""

    queryset = Feedback.objects.select_related("department", "enterprise", "measure")
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilterSet
    ordering = ("-applied_on", "-pk")

    @extend_schema(request=FeedbackInputSerializer, responses={201: FeedbackSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        feedback = services.record_feedback(
            department=acting_department(request.user, values.get("department")),
            enterprise=_enterprise(values["uscc"]),
            measure=values["measure"],
            business_context=values["business_context"],
            business_reference=values.get("business_reference", ""),
            applied_on=values["applied_on"],
            outcome=values["outcome"],
            reason=values.get("reason", ""),
            actor=request.user,
        )
        return Response(self.get_serializer(feedback).data, status=status.HTTP_201_CREATED)


class FeedbackRateView(APIView):
    """Per-department feedback rate over the obligations due by today (scoped)."""

    @extend_schema(responses=FeedbackRateSerializer(many=True))
    def get(self, request: Request) -> Response:
        rates = feedback_rates(request.user, timezone.localdate())
        return Response(FeedbackRateSerializer(rates, many=True).data)
