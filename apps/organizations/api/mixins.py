"""Viewset plumbing that applies the one scoping function to every API view."""

from __future__ import annotations

from typing import Any

from django.db import models
from rest_framework.permissions import SAFE_METHODS

from apps.organizations.choices import Action
from apps.organizations.scoping import get_object_for_user, scope_queryset


class ScopedViewSetMixin:
    """Scope ``get_queryset`` to what the principal may view; check change rights on writes.

    - list/retrieve: rows outside the view scope do not exist (404);
    - update/delete on a row the principal may view but not change: 403.
    Subclasses set ``queryset``, ``serializer_class``, ``filterset_class``,
    ``ordering`` (ending in ``pk``) and, if not ``pk``, ``lookup_field``.
    """

    request: Any
    kwargs: dict[str, Any]
    lookup_field: str
    lookup_url_kwarg: str | None

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = super().get_queryset()  # type: ignore[misc]
        return scope_queryset(qs, self.request.user, Action.VIEW)

    def get_object(self) -> Any:
        qs = self.filter_queryset(super().get_queryset())  # type: ignore[misc, attr-defined]
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_for_user(
            qs,
            self.request.user,
            write=self.request.method not in SAFE_METHODS,
            **{self.lookup_field: self.kwargs[lookup_url_kwarg]},
        )
        self.check_object_permissions(self.request, obj)  # type: ignore[attr-defined]
        return obj
