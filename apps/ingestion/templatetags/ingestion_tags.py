"""Template filters of ingestion pages."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def problem_message(problem: dict) -> str:
    """A row problem's message in the active language (Chinese unless English is chosen)."""
    english = (get_language() or "").startswith("en")
    return str(problem.get("message_en" if english else "message_zh") or problem.get("rule", ""))
