"""Kernel API routes (``/api/v1/``): the public USCC check."""

from __future__ import annotations

urlpatterns: list = []
