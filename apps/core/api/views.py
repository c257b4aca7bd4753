"""Kernel API views: the public identifier check."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.uscc import check_identifier_with_registry

from .serializers import IdentifierCheckSerializer, ThrottledSerializer
from .throttling import PublicAnonThrottle


class IdentifierCheckView(APIView):
    """Check a USCC (or a registration number / organisation code) before pushing records.

    No login; rate limited like the rest of the public API.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicAnonThrottle]

    @extend_schema(
        operation_id="uscc_check",
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description="待校验的代码")
        ],
        responses={
            200: IdentifierCheckSerializer,
            429: OpenApiResponse(
                ThrottledSerializer, description="请求过于频繁；Retry-After 头给出等待秒数"
            ),
        },
        tags=["public"],
    )
    def get(self, request: Request, code: str) -> Response:
        """Normalise and check ``code``; always 200 (the verdict is in ``status``)."""
        result = check_identifier_with_registry(code)
        return Response(IdentifierCheckSerializer(result).data)
