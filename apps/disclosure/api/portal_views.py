"""Public API of the portal's search and profiles: read-only JSON, no login.

Anonymous clients are rate limited per address (``public_anon``); holders of
a portal API key (``X-Api-Key``) are counted against their key's quota
instead (:mod:`.keys`). Over a limit: 429 with ``Retry-After``.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.serializers import ThrottledSerializer

from ..profile import build_profile, find_public_enterprise
from ..search import MAX_RESULTS, PAGE_SIZE, SearchError, search_page
from .keys import PublicApiMixin
from .portal_serializers import (
    PortalProfileSerializer,
    PortalSearchQuerySerializer,
    PortalSearchResultSerializer,
)

THROTTLED = OpenApiResponse(
    ThrottledSerializer, description="请求过于频繁；Retry-After 头给出等待秒数"
)


class PortalSearchView(PublicApiMixin, APIView):
    """Search market entities by name, code or legal representative (at most 50 hits)."""

    @extend_schema(
        operation_id="public_search",
        parameters=[PortalSearchQuerySerializer],
        responses={
            200: PortalSearchResultSerializer,
            400: OpenApiResponse(description="检索词过长或页码不正确"),
            429: THROTTLED,
        },
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        try:
            result = search_page(
                request.query_params.get("q", ""),
                request.query_params.get("page"),
                on=timezone.localdate(),
            )
        except SearchError as error:
            return Response({error.field: [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        data = {
            "query": result.term,
            "match": result.kind,
            "page": result.page,
            "pages": result.pages,
            "page_size": PAGE_SIZE,
            "total": result.total,
            "max_results": MAX_RESULTS,
            "more_than_max": result.more_than_cap,
            "results": [
                {
                    **hit.__dict__,
                    "profile_url": reverse("disclosure:profile", args=[hit.uscc]),
                    "api_url": reverse("disclosure-api:portal-profile", args=[hit.uscc]),
                }
                for hit in result.hits
            ],
        }
        return Response(PortalSearchResultSerializer(data).data)


class PortalProfileView(PublicApiMixin, APIView):
    """The public credit profile of one entity by USCC (only public fields, masked)."""

    @extend_schema(
        operation_id="public_profile",
        parameters=[
            OpenApiParameter("uscc", str, OpenApiParameter.PATH, description="统一社会信用代码")
        ],
        responses={
            200: PortalProfileSerializer,
            404: OpenApiResponse(description="没有该代码的市场主体"),
            429: THROTTLED,
        },
        tags=["public"],
    )
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = find_public_enterprise(uscc)
        if enterprise is None:
            raise Http404("no public entity with this code")
        profile = build_profile(enterprise, on=timezone.localdate())
        return Response(PortalProfileSerializer(profile).data)
