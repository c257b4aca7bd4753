"""load_catalogue: imports a document, idempotent, refuses a broken one whole."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from apps.catalogue.models import CatalogueAnnouncement, Resource, ResourceVersion
from tests.catalogue.conftest import catalogue_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document_path(tmp_path, scjg, customs):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue_document(), ensure_ascii=False), encoding="utf-8")
    return path


def test_load_catalogue_publishes_and_is_idempotent(document_path, capsys):
    call_command("load_catalogue", str(document_path), "--publish")
    first = capsys.readouterr().out
    assert "新建资源 1 个" in first and "发布 1 个" in first
    resource = Resource.objects.get(code="XZXK")
    assert resource.current_version.number == 1
    assert resource.current_version.fields.count() == 5
    assert resource.regimes.count() == 1

    call_command("load_catalogue", str(document_path), "--publish")
    second = capsys.readouterr().out
    assert "未变化 1 个" in second and "发布 0 个" in second
    assert ResourceVersion.objects.filter(resource=resource).count() == 1
    assert CatalogueAnnouncement.objects.count() == 1


def test_dry_run_writes_nothing(document_path, capsys):
    call_command("load_catalogue", str(document_path), "--publish", "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert not Resource.objects.exists()


def test_broken_document_is_refused_with_every_problem(tmp_path, scjg, customs):
    document = catalogue_document(
        suppliers=[{"department": "460000-NOPE"}],
        fields=[
            {"code": "A", "name": "甲", "type": "blob"},
            {"code": "B", "name": "乙", "notation": "X..9"},
        ],
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("load_catalogue", str(path))
    message = str(exc.value)
    assert "460000-NOPE" in message
    assert "fields[0].type" in message and "fields[1].notation" in message
    assert not Resource.objects.exists()


def test_command_asks_for_departments_first(tmp_path, db):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(catalogue_document()), encoding="utf-8")
    with pytest.raises(CommandError, match="load_hainan_fixtures"):
        call_command("load_catalogue", str(path))


def test_missing_file_is_reported(db):
    with pytest.raises(CommandError, match="找不到"):
        call_command("load_catalogue", "/nonexistent/catalogue.json")


def test_the_hainan_catalogue_loads_once_and_reloads_unchanged(
    db, capsys, login, province_admin, django_assert_max_num_queries
):
    from pathlib import Path

    if not Path("fixtures/catalogue/hainan_catalogue.json").is_file():
        pytest.skip("fixtures/catalogue/hainan_catalogue.json not written yet")
    call_command("load_hainan_fixtures")
    call_command("load_catalogue", "--publish")
    assert "未变化 0 个" in capsys.readouterr().out
    count = Resource.objects.count()
    assert count >= 10
    assert all(r.current_version is not None for r in Resource.objects.all())
    call_command("load_catalogue", "--publish")
    assert f"未变化 {count} 个" in capsys.readouterr().out
    assert ResourceVersion.objects.count() == count

    client = login(province_admin)
    with django_assert_max_num_queries(12):
        assert client.get("/catalogue/").status_code == 200
    for resource in Resource.objects.all():
        assert client.get(f"/catalogue/r/{resource.code}/").status_code == 200
