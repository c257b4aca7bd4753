"""API of 双随机一公开: officers, conflicts, pools, plans (draw), draws (verify), tasks (result).

Querysets are scoped like the pages (apps.organizations.scoping); writes go
through the services, whose DomainError becomes a 400/409 with its message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from apps.enterprises.models import Enterprise
from apps.organizations.api.mixins import ScopedViewSetMixin
from apps.organizations.models import Department
from apps.organizations.scoping import get_object_for_user

from .. import selectors, services
from ..filters import (
    FollowUpFilterSet,
    OfficerFilterSet,
    PlanFilterSet,
    ResultFilterSet,
    TaskFilterSet,
)
from ..models import Officer, OfficerConflict, TargetPool
from .serializers import (
    ConflictSerializer,
    DrawRequestSerializer,
    DrawSerializer,
    FollowUpSerializer,
    OfficerSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    PoolCreateSerializer,
    PoolMemberSerializer,
    PoolSerializer,
    ResultEntrySerializer,
    ResultSerializer,
    TaskSerializer,
    VerificationSerializer,
)


def _department(request: Any) -> Department:
    department = getattr(request.user, "department", None)
    if department is None:
        raise ValidationError({"department": [gettext("只有部门账号或部门令牌可以执行该操作。")]})
    return department


class OfficerViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Officers (执法检查人员名录库) in scope; create and update through the service."""

    queryset = Officer.objects.select_related("department").prefetch_related("areas")
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("department__code", "certificate_number", "pk")
    ordering_fields = ("certificate_number", "name", "pk")

    def _check_department(self, department: Department) -> None:
        if department.pk not in selectors.officer_department_ids(self.request.user):
            raise PermissionDenied(gettext("只能登记本部门（或管辖区域内部门）的执法检查人员。"))

    def perform_create(self, serializer: OfficerSerializer) -> None:
        data = serializer.validated_data
        self._check_department(data["department"])
        serializer.instance = services.save_officer(
            department=data["department"],
            name=data["name"],
            certificate_number=data["certificate_number"],
            areas=data.get("areas", []),
            is_active=data.get("is_active", True),
            actor=self.request.user,
        )

    def perform_update(self, serializer: OfficerSerializer) -> None:
        officer: Officer = serializer.instance
        data = serializer.validated_data
        department = data.get("department", officer.department)
        self._check_department(department)
        serializer.instance = services.save_officer(
            department=department,
            name=data.get("name", officer.name),
            certificate_number=data.get("certificate_number", officer.certificate_number),
            areas=data["areas"] if "areas" in data else list(officer.areas.all()),
            is_active=data.get("is_active", officer.is_active),
            user=officer.user,
            officer=officer,
            actor=self.request.user,
        )


class ConflictViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Declared conflicts (回避) of officers in scope."""

    queryset = OfficerConflict.objects.select_related("officer__department", "enterprise")
    serializer_class = ConflictSerializer
    filter_backends = [OrderingFilter]
    ordering = ("officer", "enterprise", "pk")

    def perform_create(self, serializer: ConflictSerializer) -> None:
        officer = get_object_for_user(
            Officer.objects.all(),
            self.request.user,
            write=True,
            pk=serializer.validated_data["officer"].pk,
        )
        code = serializer.validated_data["uscc"].strip().upper()
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise ValidationError(
                {
                    "uscc": [
                        gettext("登记库中没有统一社会信用代码为 %(code)s 的市场主体。")
                        % {"code": code}
                    ]
                }
            )
        serializer.instance = services.declare_conflict(
            officer, enterprise, reason=serializer.validated_data["reason"], actor=self.request.user
        )

    def perform_destroy(self, instance: OfficerConflict) -> None:
        services.remove_conflict(instance, actor=self.request.user)


class PoolViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Pool snapshots; ``POST`` builds one from registry filters; ``members/`` lists its entities."""

    queryset = TargetPool.objects.select_related("department")
    serializer_class = PoolSerializer
    filter_backends = [OrderingFilter]
    ordering = ("-snapshot_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return PoolCreateSerializer
        if self.action == "members":
            return PoolMemberSerializer
        return PoolSerializer

    @extend_schema(request=PoolCreateSerializer, responses={201: PoolSerializer})
    def create(self, request, *args, **kwargs):
        department = _department(request)
        form = PoolCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        name = data.pop("name")
        since = data.pop("not_drawn_since", None)
        pool = services.build_pool(
            department=department,
            name=name,
            filters=services.PoolFilters(
                **{k: list(v) for k, v in data.items()}, not_drawn_since=since
            ),
            actor=request.user,
        )
        return Response(PoolSerializer(pool).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PoolMemberSerializer(many=True))
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        """The pool's frozen members, by entity id."""
        pool = self.get_object()
        page = self.paginate_queryset(selectors.pool_members(pool).order_by("enterprise_id", "pk"))
        return self.get_paginated_response(PoolMemberSerializer(page, many=True).data)


class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Plans the principal's department leads or takes part in; ``draw/`` draws or redraws."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-starts_on", "-pk")
    ordering_fields = ("starts_on", "code", "pk")

    def get_queryset(self):
        return selectors.visible_plans(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return PlanCreateSerializer
        if self.action == "draw":
            return DrawRequestSerializer
        return PlanSerializer

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        department = _department(request)
        form = PlanCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        pool = get_object_for_user(
            selectors.visible_pools(request.user), request.user, pk=data["pool"]
        )
        codes = data.get("other_departments", [])
        others = list(Department.objects.filter(code__in=codes, is_active=True))
        unknown = sorted(set(codes) - {d.code for d in others})
        if unknown:
            raise ValidationError(
                {
                    "other_departments": [
                        gettext("未知的部门代码：%(codes)s") % {"codes": "、".join(unknown)}
                    ]
                }
            )
        plan = services.create_plan(
            name=data["name"],
            lead_department=department,
            pool=pool,
            matters=data["matters"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            other_departments=others,
            check_type=data["check_type"],
            sample_count=data.get("sample_count"),
            sample_ratio=data.get("sample_ratio"),
            officers_per_target=data["officers_per_target"],
            avoid_own_area=data["avoid_own_area"],
            actor=request.user,
        )
        return Response(
            PlanSerializer(selectors.visible_plans(request.user).get(pk=plan.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DrawRequestSerializer, responses={201: DrawSerializer})
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        """Draw the plan's targets and officers (lead department only); a redraw needs a reason."""
        plan = get_object_for_user(self.get_queryset(), request.user, write=True, pk=pk)
        if not services.may_manage_plan(request.user, plan):
            raise PermissionDenied(gettext("只有牵头部门可以抽取。"))
        form = DrawRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        draw = services.draw_plan(
            plan,
            actor=request.user,
            seed=form.validated_data.get("seed") or None,
            reason=form.validated_data.get("reason", ""),
        )
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED)


class DrawViewSet(viewsets.ReadOnlyModelViewSet):
    """Draws with seed, inputs and outcome; ``verify/`` recomputes one and compares."""

    serializer_class = DrawSerializer
    filter_backends = [OrderingFilter]
    ordering = ("plan", "-round", "pk")

    def get_queryset(self):
        return selectors.visible_draws(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("seed", str, description="另一个随机种子（可选）")],
        responses=VerificationSerializer,
    )
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        """Recompute the draw from its seed (or ``?seed=``) and stored inputs."""
        draw = get_object_for_user(self.get_queryset(), request.user, pk=pk)
        seed = request.query_params.get("seed") or None
        check = selectors.verify_draw(draw, seed=seed)
        return Response(
            VerificationSerializer(
                {
                    "ok": check.ok,
                    "reproduced": check.reproduced,
                    "pool_matches": check.pool_matches,
                    "tasks_match": check.tasks_match,
                    "seed": seed or draw.seed,
                    "recomputed": check.recomputed,
                    "error": check.error,
                }
            ).data
        )


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks in scope (``?mine=true``: the signed-in officer's own); ``result/`` enters a result."""

    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-plan__starts_on", "plan_id", "position", "pk")

    def get_queryset(self):
        if self.request.query_params.get("mine") in ("1", "true"):
            return selectors.officer_tasks(self.request.user)
        return selectors.visible_tasks(self.request.user)

    def get_serializer_class(self):
        if self.action == "result":
            return ResultEntrySerializer
        return TaskSerializer

    @extend_schema(
        parameters=[OpenApiParameter("mine", bool, description="只看本人（执法检查人员）的任务")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ResultEntrySerializer, responses={201: ResultSerializer})
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        """Enter (or correct) the task's result; it is published through the CCJC store."""
        task = get_object_for_user(selectors.visible_tasks(request.user), request.user, pk=pk)
        if not services.may_enter_result(request.user, task):
            raise PermissionDenied(gettext("只有检查人员所在部门可以录入检查结果。"))
        form = ResultEntrySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        result = services.enter_result(
            task,
            outcome=form.validated_data["outcome"],
            details=form.validated_data.get("details", ""),
            completed_on=form.validated_data["completed_on"],
            actor=request.user,
        )
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Results in scope with their publication deadline."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-completed_on", "-pk")

    def get_queryset(self):
        return selectors.visible_results(self.request.user)


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    """Follow-ups (abnormal-list proposals) of the principal's scope."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        return selectors.visible_follow_ups(self.request.user)
