"""The quality API: scorecards, coverage, issues (with failing record ids), sampling checks.

Every queryset is scoped (:class:`ScopedViewSetMixin` or the quality selectors):
department systems and staff see their department, city/county administrators
their region, the province everything.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exceptions import DomainError
from apps.organizations.api.mixins import ScopedViewSetMixin
from apps.organizations.choices import Role
from apps.organizations.scoping import principal_role

from .. import selectors, services
from ..models import CoverageFigure, QualityIssue, QualityRule, SamplingCheck, Scorecard
from ..scoring import feed_status
from .filters import (
    CoverageFilterSet,
    QualityIssueFilterSet,
    SamplingCheckFilterSet,
    ScorecardFilterSet,
)
from .serializers import (
    CoverageFigureSerializer,
    DepartmentResultSerializer,
    FailingRecordsSerializer,
    FeedStatusSerializer,
    QualityIssueSerializer,
    QualityRuleSerializer,
    SamplingCheckCreateSerializer,
    SamplingCheckSerializer,
    ScorecardSerializer,
)

# Ids returned per record type by the failing-records endpoint; narrow with filters beyond it.
FAILING_IDS_LIMIT = 100_000


class QualityRuleViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The quality rules: code, dimension, severity and messages."""

    queryset = QualityRule.objects.all()
    serializer_class = QualityRuleSerializer
    lookup_field = "code"
    ordering = ("order", "code")
    filterset_fields = ["dimension", "severity", "is_active"]


class ScorecardViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Scorecards of departments, cities/counties and the province per month or quarter."""

    queryset = Scorecard.objects.select_related("department", "region")
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilterSet
    ordering = ("-period_start", "scope_kind", "rank", "pk")


class CoverageViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Coverage of the province and each city/county, overall and per resource."""

    queryset = CoverageFigure.objects.select_related("region")
    serializer_class = CoverageFigureSerializer
    filterset_class = CoverageFilterSet
    ordering = ("-period_start", "-is_province", "region__code", "resource_code", "pk")


class QualityIssueViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Quality issues in the principal's scope, each linked to its record."""

    queryset = QualityIssue.objects.select_related("rule", "department", "content_type")
    serializer_class = QualityIssueSerializer
    filterset_class = QualityIssueFilterSet
    ordering = ("-last_seen_at", "-pk")

    @extend_schema(responses=FailingRecordsSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="failing-records")
    def failing_records(self, request: Request) -> Response:
        """Ids of the records with open issues (after the filters), per record type."""
        qs: QuerySet[QualityIssue] = self.filter_queryset(self.get_queryset()).filter(status="open")
        result = []
        pairs = (
            qs.order_by().values_list("content_type__app_label", "content_type__model").distinct()
        )
        for app_label, model in pairs:
            ids = (
                qs.filter(content_type__app_label=app_label, content_type__model=model)
                .order_by("object_id")
                .values_list("object_id", flat=True)
                .distinct()[:FAILING_IDS_LIMIT]
            )
            result.append({"record_type": f"{app_label}.{model}", "object_ids": list(ids)})
        return Response(FailingRecordsSerializer(result, many=True).data)


class SamplingCheckViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Sampling checks; provincial administrators schedule them (POST)."""

    queryset = SamplingCheck.objects.prefetch_related("reviewers")
    serializer_class = SamplingCheckSerializer
    filterset_class = SamplingCheckFilterSet
    ordering = ("-check_date", "-pk")

    @extend_schema(request=SamplingCheckCreateSerializer, responses={201: SamplingCheckSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        if principal_role(request.user) != Role.PROVINCE_ADMIN:
            raise PermissionDenied(gettext("只有省级管理员可以安排数据抽查。"))
        payload = SamplingCheckCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        usernames = data.get("reviewers", [])
        reviewers = list(get_user_model().objects.filter(username__in=usernames))
        missing = sorted(set(usernames) - {u.username for u in reviewers})
        if missing:
            raise ValidationError(
                {"reviewers": [gettext("用户不存在：%(names)s") % {"names": "、".join(missing)}]}
            )
        try:
            check = services.schedule_sampling_check(
                title=data["title"],
                check_date=data["check_date"],
                period_start=data["period_start"],
                sample_size=data["sample_size"],
                seed=data.get("seed") or None,
                reviewers=reviewers,
                actor=request.user,
            )
        except DomainError as exc:
            raise ValidationError({"period_start": [exc.message]}) from exc
        return Response(SamplingCheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DepartmentResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Per-department accuracy, completeness, timeliness and rank (null = no data)."""
        check = self.get_object()
        results = services.sampling_results(check)
        visible = selectors.visible_sampling_departments(request.user, check)
        if visible is not None:
            results = [r for r in results if r.department_id in visible]
        return Response(DepartmentResultSerializer(results, many=True).data)


class FeedStatusView(APIView):
    """Each obliged department's last delivery per resource: fresh, overdue or never."""

    @extend_schema(responses=FeedStatusSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = feed_status(department_ids=selectors.visible_department_ids(request.user))
        return Response(FeedStatusSerializer(rows, many=True).data)
