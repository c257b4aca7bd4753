"""Test helpers: resource versions and field specs created straight from parse_catalogue output.

The validation tests need FieldSpec rows but not the catalogue services, so
these helpers write the models directly (tests only).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from apps.catalogue.choices import VersionStatus
from apps.catalogue.importer import ResourceDefinition, parse_catalogue
from apps.catalogue.models import FieldSpec, Resource, ResourceVersion

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue" / "hainan_catalogue.json"


@cache
def fixture_document() -> dict:
    """The Hainan starting catalogue as a dict."""
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def fixture_definitions() -> list[ResourceDefinition]:
    """parse_catalogue output for the Hainan starting catalogue."""
    return parse_catalogue(fixture_document())


def create_version(
    definition: ResourceDefinition, *, status: str = VersionStatus.PUBLISHED, number: int = 1
) -> ResourceVersion:
    """Write one definition as a resource version with its field specs."""
    resource, _ = Resource.objects.get_or_create(
        code=definition.resource["code"], defaults={"kind": definition.resource["kind"]}
    )
    version = ResourceVersion.objects.create(
        resource=resource, number=number, status=status, **definition.version
    )
    FieldSpec.objects.bulk_create(FieldSpec(version=version, **spec) for spec in definition.fields)
    return version
