"""Request-id middleware: one id per request, in the audit history and ``X-Request-ID``."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .choices import Channel
from .context import channel_var, request_id_var

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Take a well-formed incoming ``X-Request-ID`` or make one; set the audit channel."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        id_token = request_id_var.set(request_id)
        channel_token = channel_var.set(channel)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(id_token)
            channel_var.reset(channel_token)
        response["X-Request-ID"] = request_id
        return response


class PlatformLocaleMiddleware(LocaleMiddleware):
    """Chinese pages unless the person chose English; the API follows ``Accept-Language``.

    Django's ``LocaleMiddleware`` lets a browser's ``Accept-Language`` pick the
    language. Staff and citizens of a Chinese government platform often run
    browsers set to English, and the brief asks for Simplified Chinese by
    default, so pages take the language only from the switcher's cookie (and
    otherwise ``LANGUAGE_CODE``). API clients state what they want, so
    ``/api/`` keeps the standard negotiation.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        language = translation.get_supported_language_variant(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
