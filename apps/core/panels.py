"""Panels other apps add to a signed-in person's home page (工作台).

The home page lives in ``organizations``, which may not import the apps above
it (ARCHITECTURE.md). An app contributes a panel from its ``AppConfig.ready()``::

    from apps.core.panels import register_home_panel
    register_home_panel("ingestion.problems", problem_panel, order=20)

A provider takes the request and returns ``None`` (nothing to show this
person) or a :class:`Panel`: a template and its context. Providers must scope
what they count through ``apps.organizations.scoping`` like any other view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    """One block on the home page: rendered by ``{% include template %}`` with ``context``."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[[HttpRequest], Panel | None]

_PROVIDERS: dict[str, tuple[int, PanelProvider]] = {}


def register_home_panel(key: str, provider: PanelProvider, *, order: int = 100) -> None:
    """Add (or replace, by ``key``) a home-page panel provider; lower ``order`` shows first."""
    _PROVIDERS[key] = (order, provider)


def home_panels(request: HttpRequest) -> list[Panel]:
    """The panels to show ``request.user``, in order."""
    panels = []
    for _order, provider in sorted(_PROVIDERS.values(), key=lambda item: item[0]):
        panel = provider(request)
        if panel is not None:
            panels.append(panel)
    return panels
