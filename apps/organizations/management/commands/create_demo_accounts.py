"""``manage.py create_demo_accounts``: one demo account per role, plus one demo API token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.choices import Channel
from apps.core.context import channel_context
from apps.organizations.choices import Role
from apps.organizations.models import ApiToken, Department, Region, User
from apps.organizations.services import create_api_token, create_user, update_user

# Demo only: printed on the console of `make run`; never used in production
# (the command refuses to run there).
DEMO_PASSWORD = "hainan-demo-2026"
DEMO_TOKEN_NAME = "演示令牌（海口市场监管）"


@dataclass(frozen=True)
class DemoAccount:
    """One demo person: username, role, display name, department or region code."""

    username: str
    role: str
    display_name: str
    department: str = ""
    region: str = ""
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.PROVINCE_ADMIN, "省级管理员（演示）", superuser=True),
    DemoAccount("haikou_admin", Role.REGION_ADMIN, "海口市管理员（演示）", region="460100"),
    DemoAccount(
        "hk_scjg_clerk", Role.DEPARTMENT_STAFF, "海口市场监管办事员（演示）", "460100-SCJG"
    ),
    DemoAccount(
        "hk_scjg_liaison", Role.DEPARTMENT_LIAISON, "海口市场监管联络员（演示）", "460100-SCJG"
    ),
    DemoAccount(
        "sy_scjg_clerk", Role.DEPARTMENT_STAFF, "三亚市场监管办事员（演示）", "460200-SCJG"
    ),
    DemoAccount("auditor", Role.AUDITOR, "审计员（演示）"),
)


class Command(BaseCommand):
    """Create the demo accounts (idempotent) and print them; refuses in production."""

    help = "Create one demo account per role and a demo API token (not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="Password of newly created demo accounts."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("create_demo_accounts refuses to run when HAINAN_ENV=production.")
        password: str = options["password"]
        departments = {d.code: d for d in Department.objects.filter(code__in=self._codes())}
        regions = {r.code: r for r in Region.objects.filter(code__in=["460100"])}
        missing = sorted(set(self._codes()) - set(departments)) or ([] if regions else ["460100"])
        if missing:
            raise CommandError(
                f"missing {', '.join(missing)}: run `manage.py load_hainan_fixtures` first."
            )
        rows: list[tuple[str, str, str, str]] = []
        with channel_context(Channel.COMMAND):
            for account in DEMO_ACCOUNTS:
                department = departments.get(account.department)
                region = regions.get(account.region)
                user = User.objects.filter(username=account.username).first()
                if user is None:
                    create_user(
                        actor=None,
                        username=account.username,
                        password=password,
                        role=account.role,
                        department=department,
                        region=region,
                        display_name=account.display_name,
                        is_superuser=account.superuser,
                    )
                    shown, state = password, "created"
                else:
                    update_user(
                        user, actor=None, role=account.role, department=department, region=region
                    )
                    shown = password if user.check_password(password) else "(changed, not shown)"
                    state = "exists"
                rows.append((account.username, str(Role(account.role).label), shown, state))
            token_key = self._demo_token(departments["460100-SCJG"])
        self.stdout.write("Demo accounts (demo only, never use these passwords in production):")
        self.stdout.write(f"  {'username':<16} {'password':<22} {'state':<8} role")
        for username, role, shown, state in rows:
            self.stdout.write(f"  {username:<16} {shown:<22} {state:<8} {role}")
        if token_key:
            self.stdout.write(
                f"Demo API token for 460100-SCJG (shown once, store it now): {token_key}"
            )
        else:
            self.stdout.write(
                "Demo API token for 460100-SCJG already exists (key not shown again)."
            )

    @staticmethod
    def _codes() -> list[str]:
        return sorted({a.department for a in DEMO_ACCOUNTS if a.department})

    @staticmethod
    def _demo_token(department: Department) -> str | None:
        """Create the demo token unless an active one exists; return its key only when created."""
        if ApiToken.objects.active().filter(department=department, name=DEMO_TOKEN_NAME).exists():
            return None
        _, key = create_api_token(department, name=DEMO_TOKEN_NAME, actor=None)
        return key
