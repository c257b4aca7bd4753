"""Load every app's demo data for ``make run``: each app's ``demo_<label>`` command, in app order."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行各应用的演示数据命令（demo_<应用>），按 INSTALLED_APPS 顺序；每个命令自身幂等。"

    def handle(self, *args: Any, **options: Any) -> None:
        known = get_commands()
        for config in apps.get_app_configs():
            name = f"demo_{config.label}"
            if name in known:
                self.stdout.write(f"demo data: {name}")
                call_command(name, stdout=self.stdout, stderr=self.stderr)
