"""Per-request context (request id, channel) carried in context variables.

Set by :class:`apps.core.middleware.RequestIdMiddleware` for web and API
requests; tasks and commands set the channel themselves through
:func:`channel_context`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from .choices import Channel

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
channel_var: contextvars.ContextVar[str] = contextvars.ContextVar("channel", default=Channel.TASK)


@contextlib.contextmanager
def channel_context(channel: str, request_id: str = "") -> Iterator[None]:
    """Run a block with the given audit channel (and optional request id)."""
    channel_token = channel_var.set(channel)
    request_token = request_id_var.set(request_id) if request_id else None
    try:
        yield
    finally:
        channel_var.reset(channel_token)
        if request_token is not None:
            request_id_var.reset(request_token)
