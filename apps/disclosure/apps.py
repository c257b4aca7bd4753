from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """The public portal: search, profiles, announcements, objections, public API."""

    name = "apps.disclosure"
    label = "disclosure"
    verbose_name = _("信息公示")

    def ready(self) -> None:
        from apps.catalogue.services import version_published
        from apps.core.panels import register_home_panel

        from .views import objection_panel

        register_home_panel("disclosure.objections", objection_panel, order=30)
        # The catalogue sends this after the publication commits; the
        # announcement then reaches the change feed at once (the beat task
        # catches anything missed).
        version_published.connect(_announcement_published, dispatch_uid="disclosure.feed")


def _announcement_published(sender, announcement=None, **kwargs) -> None:
    import logging

    from .tasks import sync_change_events_task

    try:
        sync_change_events_task.delay()
    except Exception:  # a broker outage must not fail the publication; beat retries
        logging.getLogger(__name__).warning("change feed sync not enqueued", exc_info=True)
