"""Push API: submit a batch (JSON or file), poll its status and rejected rows."""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from apps.catalogue.models import Resource
from apps.catalogue.selectors import department_supplies
from apps.enterprises.choices import RecordChannel
from apps.ingestion.filters import SubmissionFilterSet
from apps.ingestion.models import Submission
from apps.ingestion.services import create_submission
from apps.organizations.api.mixins import ScopedViewSetMixin

from .serializers import RejectedRowSerializer, SubmissionCreateSerializer, SubmissionSerializer


class SubmissionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Submissions of the principal's department: push (202), status, rejected rows."""

    queryset = Submission.objects.select_related("department", "resource")
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return SubmissionCreateSerializer
        if self.action == "rejected_rows":
            return RejectedRowSerializer
        return SubmissionSerializer

    def create(self, request, *args, **kwargs):
        """Store the push and enqueue it; a repeated Idempotency-Key returns the first answer."""
        department = getattr(request.user, "department", None)
        if department is None:
            raise ValidationError(_("只有部门账号或部门令牌可以报送数据。"))
        key = (request.headers.get("Idempotency-Key") or "")[:128]
        if key:
            first = Submission.objects.filter(department=department, idempotency_key=key).first()
            if first is not None and first.first_response is not None:
                return Response(first.first_response, status=first.first_status_code or 202)
        form = SubmissionCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        resource = Resource.objects.filter(code=form.validated_data["resource"]).first()
        if resource is None or resource.current_version is None:
            raise ValidationError({"resource": [_("信息资源不存在或尚未发布。")]})
        if not department_supplies(resource, department):
            raise ValidationError({"resource": [_("本部门不是该信息资源的报送部门。")]})
        upload = form.validated_data.get("file")
        if upload is not None:
            content, filename, ctype = upload.read(), upload.name, upload.content_type or ""
            channel = RecordChannel.FILE
        else:
            records = form.validated_data["records"]
            content = json.dumps(records, ensure_ascii=False).encode()
            filename, ctype, channel = "records.json", "application/json", RecordChannel.API
        token = getattr(request.user, "token", None)
        try:
            with transaction.atomic():
                submission = create_submission(
                    department=department,
                    resource=resource,
                    content=content,
                    filename=filename,
                    content_type=ctype,
                    channel=channel,
                    actor=request.user,
                    idempotency_key=key,
                    token_prefix=getattr(token, "prefix", "") or "",
                )
                body = SubmissionSerializer(submission, context={"request": request}).data
                Submission.objects.filter(pk=submission.pk).update(
                    first_response=body, first_status_code=status.HTTP_202_ACCEPTED
                )
        except IntegrityError:
            # A concurrent request with the same key won: answer as it did.
            first = Submission.objects.get(department=department, idempotency_key=key)
            return Response(first.first_response, status=first.first_status_code or 202)
        headers = {"Location": body["url"]}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)

    @action(detail=True, methods=["get"], url_path="rejected-rows")
    def rejected_rows(self, request, pk=None):
        """The submission's rejected rows with every problem (paginated)."""
        submission = self.get_object()
        page = self.paginate_queryset(submission.rejected_rows.order_by("row_number", "pk"))
        serializer = RejectedRowSerializer(page, many=True)
        return self.get_paginated_response(serializer.data)
