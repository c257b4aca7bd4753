"""Project exception handler: DRF's error shape, plus domain errors as 400/409."""

from __future__ import annotations

from typing import Any

from django.db.models import ProtectedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.exceptions import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map :class:`DomainError` and protected deletes; defer the rest to DRF."""
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, ProtectedError):
        return Response(
            {"detail": "该对象仍被其他记录引用，不能删除。", "code": "protected"},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
