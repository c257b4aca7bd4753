"""Public API of the portal owned by the objections/feeds part: the change feed and objection status.

Everything here is open to everyone (no login), rate limited per client
address, with higher limits for holders of a portal API key (``X-Api-Key``,
see :mod:`.keys`).
"""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from apps.core.api.serializers import ThrottledSerializer

from .. import services
from .keys import PUBLIC_THROTTLES, PublicApiMixin
from .serializers import (
    ChangeFeedPageSerializer,
    ChangeFeedQuerySerializer,
    ObjectionStatusQuerySerializer,
    ObjectionStatusSerializer,
)

THROTTLED = OpenApiResponse(
    ThrottledSerializer, description="请求过于频繁；Retry-After 头给出等待秒数"
)


class ChangeFeedView(PublicApiMixin, APIView):
    """The change feed: public announcements in feed order, resumable from a position.

    A client stores ``next_after`` and asks again with ``?after=<next_after>``;
    positions only grow, and no announcement appears before a smaller one
    that was not yet visible (one writer appends them in order).
    """

    @extend_schema(
        operation_id="public_changes",
        parameters=[ChangeFeedQuerySerializer],
        responses={
            200: ChangeFeedPageSerializer,
            400: OpenApiResponse(description="参数错误"),
            429: THROTTLED,
        },
        tags=["public"],
    )
    def get(self, request: Request) -> Response:
        query = ChangeFeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = query.validated_data["after"]
        limit = query.validated_data["limit"]
        kinds = sorted(query.validated_data.get("kind") or [])
        events = services.change_events_after(after, limit + 1, kinds)
        has_more = len(events) > limit
        events = events[:limit]
        page = {
            "results": events,
            "next_after": events[-1].id if events else after,
            "has_more": has_more,
        }
        return Response(ChangeFeedPageSerializer(page).data)


class ObjectionLookupThrottle(AnonRateThrottle):
    """Status look-ups per client address: the secret may be a phone number, so guessing is slowed."""

    scope = "public_objection_lookup"
    rate = "20/hour"

    def get_rate(self) -> str:
        return self.rate


class ObjectionStatusView(PublicApiMixin, APIView):
    """The status of one objection, for the person who submitted it.

    Needs the reference number and the verification code (or the phone number
    given at submission); any mismatch answers 404 without saying which part.
    """

    throttle_classes = [*PUBLIC_THROTTLES, ObjectionLookupThrottle]

    @extend_schema(
        operation_id="public_objection_status",
        request=ObjectionStatusQuerySerializer,
        responses={
            200: ObjectionStatusSerializer,
            400: OpenApiResponse(description="参数错误"),
            404: OpenApiResponse(description="受理编号与查询码不匹配"),
            429: THROTTLED,
        },
        tags=["public"],
    )
    def post(self, request: Request) -> Response:
        query = ObjectionStatusQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        objection = services.find_objection_for_objector(
            query.validated_data["reference"], query.validated_data["code"]
        )
        if objection is None:
            return Response(
                {"detail": gettext("受理编号与查询码（或联系电话）不匹配。")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(ObjectionStatusSerializer(objection).data)
