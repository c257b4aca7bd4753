"""Which departments decide on and implement list decisions (pure look-ups, no writes)."""

from __future__ import annotations

from apps.organizations.choices import DepartmentLevel
from apps.organizations.models import Department, Region

REGISTRAR_LINE = "SCJG"
"""Market regulation: the registrar that keeps the abnormal and serious lists."""


class DepartmentDirectory:
    """Departments by (line, region), loaded once; for rules that handle many entities."""

    def __init__(self) -> None:
        self.parents = dict(Region.objects.values_list("id", "parent_id"))
        self.by_line_region: dict[tuple[str, int], list[Department]] = {}
        self.provincial: dict[str, list[Department]] = {}
        for department in Department.objects.active().select_related("region"):
            self.by_line_region.setdefault((department.line, department.region_id), []).append(
                department
            )
            if department.level == DepartmentLevel.PROVINCIAL:
                self.provincial.setdefault(department.line, []).append(department)
        self._chains: dict[int, list[int]] = {}

    def chain(self, region_id: int) -> list[int]:
        if region_id not in self._chains:
            chain: list[int] = []
            current: int | None = region_id
            while current is not None and current not in chain:
                chain.append(current)
                current = self.parents.get(current)
            self._chains[region_id] = chain
        return self._chains[region_id]

    def registrar_for(self, region_id: int) -> Department | None:
        """The nearest market-regulation department of the region or one above it."""
        for rid in self.chain(region_id):
            found = self.by_line_region.get((REGISTRAR_LINE, rid))
            if found:
                return sorted(found, key=lambda d: d.code)[0]
        return None

    def provincial_department(self, line: str) -> Department | None:
        found = self.provincial.get(line)
        return sorted(found, key=lambda d: d.code)[0] if found else None

    def implementing(self, lines: set[str], region_id: int) -> list[Department]:
        """Departments of ``lines`` at the province and along the entity's region chain."""
        result: dict[int, Department] = {}
        chain = self.chain(region_id)
        for line in lines:
            for department in self.provincial.get(line, []):
                result[department.pk] = department
            for rid in chain:
                for department in self.by_line_region.get((line, rid), []):
                    result[department.pk] = department
        return sorted(result.values(), key=lambda d: d.code)
