"""Load (or refresh) the resource catalogue from a catalogue document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.catalogue import services
from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.organizations.models import Department

DEFAULT_PATH = Path("fixtures") / "catalogue" / "hainan_catalogue.json"


class Command(BaseCommand):
    """Import a catalogue document; idempotent, refused whole on any problem."""

    help = "Import the resource catalogue (default fixtures/catalogue/hainan_catalogue.json)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", nargs="?", default=None, help="catalogue JSON document")
        parser.add_argument(
            "--publish", action="store_true", help="publish the resulting drafts at once"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from apps.catalogue.importer import CatalogueImportError

        path = Path(options["path"]) if options["path"] else Path(settings.BASE_DIR) / DEFAULT_PATH
        if not path.is_file():
            raise CommandError(f"找不到目录文件：{path}")
        if not Department.objects.exists():
            raise CommandError(
                "数据库中还没有部门，请先运行 manage.py load_hainan_fixtures 载入区划和部门。"
            )
        try:
            with channel_context(Channel.COMMAND):
                summary = services.import_catalogue(
                    path.read_bytes(),
                    actor=None,
                    publish=options["publish"],
                    dry_run=options["dry_run"],
                )
        except CatalogueImportError as exc:
            lines = [f"  {p.path}: {p.message_zh}" for p in exc.problems]
            raise CommandError(
                f"目录文件有 {len(exc.problems)} 处问题，未导入任何内容：\n" + "\n".join(lines)
            ) from None
        prefix = "（试运行，未写入）" if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}新建资源 {len(summary.created)} 个，更新草稿 {len(summary.drafted)} 个，"
            f"发布 {len(summary.published)} 个，未变化 {len(summary.unchanged)} 个；"
            f"公示期规则新增 {summary.regimes_created} 条，更新 {summary.regimes_updated} 条。"
        )
