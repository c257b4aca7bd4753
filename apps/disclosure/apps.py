from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    """The public portal: search, profiles, announcements, objections, public API."""

    name = "apps.disclosure"
    label = "disclosure"
    verbose_name = _("信息公示")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from apps.catalogue.models import CatalogueAnnouncement
        from apps.core.panels import register_home_panel

        from .views import objection_panel

        register_home_panel("disclosure.objections", objection_panel, order=30)
        # A published catalogue announcement reaches the change feed right
        # after its transaction commits (the beat task catches anything missed).
        post_save.connect(
            _announcement_saved,
            sender=CatalogueAnnouncement,
            dispatch_uid="disclosure.announcement_saved",
        )


def _announcement_saved(sender, instance, created: bool, **kwargs) -> None:
    from django.db import transaction

    from .tasks import sync_change_events_task

    if created:
        transaction.on_commit(sync_change_events_task.delay)
