"""The Atom feed of public announcements (catalogue changes, list inclusions and removals)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import ChangeEvent, ChangeEventKind

FEED_SIZE = 50


class AnnouncementFeed(Feed):
    """The latest announcements as Atom 1.0; ``?kind=`` narrows to one kind."""

    feed_type = Atom1Feed
    title = _("海南省企业信用信息公示平台 · 公告")
    subtitle = _("资源目录变更、列入和移出名单的公告")

    def get_object(self, request: HttpRequest, *args, **kwargs) -> str:
        kind = request.GET.get("kind", "")
        return kind if kind in ChangeEventKind.values else ""

    def link(self, obj: str) -> str:
        return reverse("disclosure:announcement-list")

    def feed_url(self, obj: str) -> str:
        return reverse("disclosure:announcement-feed")

    def items(self, obj: str):
        qs = ChangeEvent.objects.all()
        if obj:
            qs = qs.filter(kind=obj)
        return qs.order_by("-id")[:FEED_SIZE]

    def item_title(self, item: ChangeEvent) -> str:
        return item.title

    def item_description(self, item: ChangeEvent) -> str:
        parts = [item.get_kind_display()]
        if item.enterprise_uscc:
            parts.append(f"{item.enterprise_name}（{item.enterprise_uscc}）")
        if item.department_name:
            parts.append(item.department_name)
        if item.summary:
            parts.append(item.summary)
        return " · ".join(parts)

    def item_link(self, item: ChangeEvent) -> str:
        return item.link or f"{reverse('disclosure:announcement-list')}#event-{item.id}"

    def item_guid(self, item: ChangeEvent) -> str:
        return f"urn:hainan-credit:change:{item.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ChangeEvent):
        return item.occurred_at

    def item_updateddate(self, item: ChangeEvent):
        return item.recorded_at

    def item_categories(self, item: ChangeEvent) -> list[str]:
        return [str(item.get_kind_display())]
