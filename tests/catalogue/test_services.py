"""Catalogue services: drafts, publication, diffs, supplements, liaisons, regimes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from apps.catalogue import selectors, services
from apps.catalogue.choices import FieldType, ProposalStatus, Severity, VersionStatus
from apps.catalogue.models import (
    CatalogueAnnouncement,
    FieldSpec,
    Resource,
    ResourceVersion,
    SupplementProposal,
)
from apps.core.exceptions import ConflictError, DomainError
from apps.core.models import AuditEvent
from tests.factories.catalogue import PublicityRegimeFactory

pytestmark = pytest.mark.django_db


def _make_v2(licence_v1, actor):
    """Draft v2: drop the date field, lengthen the document number, add an amount field."""
    draft = services.create_draft(licence_v1.resource, actor=actor)
    services.remove_field(draft.fields.get(code="XK_JDRQ"), actor=actor)
    services.update_field(draft.fields.get(code="XK_XKWS"), {"max_length": 128}, actor=actor)
    services.add_field(
        draft,
        {
            "code": "XK_JE",
            "name": "金额",
            "data_type": FieldType.DECIMAL,
            "max_digits": 18,
            "decimal_places": 6,
            "unit": "万元",
        },
        actor=actor,
    )
    services.update_draft(draft, {"deadline_working_days": 20}, actor=actor)
    return draft


def test_create_draft_copies_the_published_version(licence_v1, province_admin):
    draft = services.create_draft(licence_v1.resource, actor=province_admin)
    assert draft.number == 2
    assert draft.status == VersionStatus.DRAFT
    assert [f.code for f in draft.fields.order_by("order")] == [
        f.code for f in licence_v1.fields.order_by("order")
    ]
    assert draft.suppliers.get().line == "SCJG"
    assert draft.business_key_fields == ["XK_XKWS"]
    assert services.diff_is_empty(services.diff_versions(licence_v1, draft))


def test_second_draft_of_a_resource_is_refused(licence_v1, province_admin):
    services.create_draft(licence_v1.resource, actor=province_admin)
    with pytest.raises(ConflictError):
        services.create_draft(licence_v1.resource, actor=province_admin)


def test_publishing_makes_the_version_immutable(licence_v1, province_admin):
    assert licence_v1.status == VersionStatus.PUBLISHED
    assert licence_v1.resource.current_version_id == licence_v1.pk
    with pytest.raises(ConflictError):
        services.update_draft(licence_v1, {"name": "改名"}, actor=province_admin)
    with pytest.raises(ConflictError):
        services.add_field(
            licence_v1, {"code": "X", "name": "X", "data_type": "string"}, actor=province_admin
        )
    with pytest.raises(ConflictError):
        services.remove_field(licence_v1.fields.first(), actor=province_admin)


def test_model_save_guards_a_published_version_and_its_fields(licence_v1):
    licence_v1.name = "绕过服务的修改"
    with pytest.raises(ConflictError):
        licence_v1.save()
    spec = licence_v1.fields.first()
    spec.max_length = 1
    with pytest.raises(ConflictError):
        spec.save()
    with pytest.raises(ConflictError):
        spec.delete()


def test_publish_creates_an_announcement_with_the_exact_diff(licence_v1, province_admin):
    first = CatalogueAnnouncement.objects.get(version=licence_v1)
    assert first.changes["from_version"] is None
    assert [f["code"] for f in first.changes["fields_added"]] == [
        "XK_XDR_MC",
        "XK_XDR_SHXYM",
        "XK_XKWS",
        "XK_JDRQ",
    ]

    draft = _make_v2(licence_v1, province_admin)
    announcement = services.publish_version(draft, actor=province_admin, change_note="调整字段")
    changes = announcement.changes
    assert changes["from_version"] == 1 and changes["to_version"] == 2
    assert [f["code"] for f in changes["fields_added"]] == ["XK_JE"]
    assert changes["fields_added"][0]["spec"]["unit"] == "万元"
    assert [f["code"] for f in changes["fields_removed"]] == ["XK_JDRQ"]
    assert changes["fields_changed"] == [
        {
            "code": "XK_XKWS",
            "name": "行政许可决定文书号",
            "changes": [
                {"attribute": "max_length", "label": "最大长度", "before": 64, "after": 128}
            ],
        }
    ]
    assert [(a["name"], a["before"], a["after"]) for a in changes["attributes"]] == [
        ("deadline_working_days", 7, 20)
    ]
    assert changes["suppliers_added"] == [] and changes["suppliers_removed"] == []
    assert "新增数据项 1 个，删除 1 个，修改 1 个" in announcement.summary
    assert AuditEvent.objects.filter(event_type="catalogue.published").count() == 2


def test_version_one_keeps_its_rules_after_version_two_is_published(licence_v1, province_admin):
    before = services.version_definition(licence_v1)
    draft = _make_v2(licence_v1, province_admin)
    services.publish_version(draft, actor=province_admin)

    v1 = ResourceVersion.objects.get(pk=licence_v1.pk)
    assert v1.status == VersionStatus.SUPERSEDED
    assert services.version_definition(v1) == before
    assert v1.fields.get(code="XK_XKWS").max_length == 64
    assert v1.fields.filter(code="XK_JDRQ").exists()
    v1.resource.refresh_from_db()
    assert v1.resource.current_version.number == 2
    with pytest.raises(ConflictError):
        services.update_draft(v1, {"name": "x"}, actor=province_admin)


def test_only_province_admins_edit_and_publish(licence_v1, city_admin, clerk, auditor):
    for actor in (city_admin, clerk, auditor):
        with pytest.raises(PermissionDenied):
            services.create_draft(licence_v1.resource, actor=actor)
    draft = services.create_draft(licence_v1.resource, actor=None)
    for actor in (city_admin, clerk, auditor):
        with pytest.raises(PermissionDenied):
            services.publish_version(draft, actor=actor)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_duplicate_field_code_in_a_draft_is_refused(licence_v1, province_admin):
    draft = services.create_draft(licence_v1.resource, actor=province_admin)
    with pytest.raises(ConflictError):
        services.add_field(
            draft, {"code": "XK_XKWS", "name": "重复", "data_type": "string"}, actor=province_admin
        )
    with pytest.raises(DomainError):
        services.add_field(
            draft, {"code": "NEW", "name": "未知类型", "data_type": "blob"}, actor=province_admin
        )


def test_reorder_fields_is_reported_once_in_the_diff(licence_v1, province_admin):
    draft = services.create_draft(licence_v1.resource, actor=province_admin)
    codes = [f.code for f in draft.fields.order_by("order")]
    services.reorder_fields(draft, list(reversed(codes)), actor=province_admin)
    changes = services.diff_versions(licence_v1, draft)
    assert changes["order_changed"] is True
    assert changes["fields_changed"] == []


def test_obliged_departments_follow_line_levels_and_named_departments(
    licence_v1, dept, other_dept, customs, province_admin
):
    assert set(selectors.obliged_departments(licence_v1)) == {dept, other_dept}
    draft = services.create_draft(licence_v1.resource, actor=province_admin)
    services.set_suppliers(
        draft,
        [{"line": "SCJG", "levels": ["provincial"]}, {"department": customs}],
        actor=province_admin,
    )
    assert set(selectors.obliged_departments(draft)) == {customs}
    assert list(selectors.resources_supplied_by(dept)) == [licence_v1.resource]
    assert list(selectors.resources_supplied_by(customs)) == []


def test_department_proposes_only_for_resources_it_supplies(
    licence_v1, clerk, customs_clerk, dept, customs
):
    proposal = services.submit_proposal(
        dept,
        resource=licence_v1.resource,
        title="增加备注",
        reason="需要",
        payload={},
        actor=clerk,
    )
    assert proposal.status == ProposalStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            customs,
            resource=licence_v1.resource,
            title="x",
            reason="y",
            payload={},
            actor=customs_clerk,
        )
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            customs, resource=None, title="x", reason="y", payload={}, actor=clerk
        )


def test_city_admin_proposes_for_departments_of_its_region_only(
    licence_v1, city_admin, dept, other_dept
):
    services.submit_proposal(
        dept, resource=licence_v1.resource, title="t", reason="r", payload={}, actor=city_admin
    )
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            other_dept,
            resource=licence_v1.resource,
            title="t",
            reason="r",
            payload={},
            actor=city_admin,
        )


def test_rejecting_a_proposal_requires_a_reason_and_a_province_admin(
    licence_v1, clerk, city_admin, province_admin, dept
):
    proposal = services.submit_proposal(
        dept, resource=licence_v1.resource, title="t", reason="r", payload={}, actor=clerk
    )
    with pytest.raises(DomainError):
        services.reject_proposal(proposal, actor=province_admin, reason="  ")
    with pytest.raises(PermissionDenied):
        services.reject_proposal(proposal, actor=city_admin, reason="不采纳")
    services.reject_proposal(proposal, actor=province_admin, reason="不采纳")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_reason == "不采纳"
    with pytest.raises(ConflictError):
        services.reject_proposal(proposal, actor=province_admin, reason="再次")


def test_liaison_is_set_by_the_obliged_department_only(
    licence_v1, clerk, dept, customs, customs_clerk, other_clerk
):
    liaison = services.set_resource_liaison(
        licence_v1.resource, dept, name="王五", phone="0898-66666666", actor=clerk
    )
    assert liaison.name == "王五"
    services.set_resource_liaison(licence_v1.resource, dept, name="赵六", actor=clerk)
    assert licence_v1.resource.liaisons.get().name == "赵六"
    with pytest.raises(PermissionDenied):
        services.set_resource_liaison(licence_v1.resource, dept, name="x", actor=other_clerk)
    with pytest.raises(DomainError):
        services.set_resource_liaison(licence_v1.resource, customs, name="x", actor=customs_clerk)


def test_regime_for_picks_date_category_severity_and_priority(licence_v1, province_admin):
    resource = licence_v1.resource
    general = services.add_regime(
        resource,
        {
            "name": "2019 一般",
            "legal_basis": "527号",
            "valid_from": datetime.date(2019, 7, 1),
            "severity": Severity.GENERAL,
            "min_months": 3,
            "max_months": 12,
        },
        actor=province_admin,
    )
    serious = PublicityRegimeFactory(
        resource=resource,
        valid_from=datetime.date(2019, 7, 1),
        severity=Severity.SERIOUS,
        min_months=6,
        max_months=36,
    )
    warning = PublicityRegimeFactory(
        resource=resource,
        valid_from=datetime.date(2021, 9, 1),
        category="警告",
        max_months=0,
        min_months=0,
        priority=10,
    )
    later = PublicityRegimeFactory(
        resource=resource,
        valid_from=datetime.date(2023, 5, 1),
        severity=Severity.GENERAL,
    )
    pick = selectors.regime_for
    assert pick(resource, decision_date=datetime.date(2019, 6, 30), severity="general") is None
    assert pick(resource, decision_date=datetime.date(2020, 1, 1), severity="general") == general
    assert pick("XZXK", decision_date=datetime.date(2020, 1, 1), severity="serious") == serious
    assert (
        pick(resource, decision_date=datetime.date(2022, 1, 1), category="警告", severity="general")
        == warning
    )
    assert pick(resource, decision_date=datetime.date(2024, 1, 1), severity="general") == later
    services.update_regime(general, {"valid_to": datetime.date(2020, 1, 1)}, actor=province_admin)
    assert pick(resource, decision_date=datetime.date(2020, 1, 1), severity="general") is None


def test_a_line_specific_regime_binds_only_that_line(licence_v1, province_admin):
    """Market-regulation rules (SAMR Order 45) apply to SCJG penalties, not to other lines."""
    resource = licence_v1.resource
    general = PublicityRegimeFactory(
        resource=resource, valid_from=datetime.date(2019, 7, 1), severity=Severity.GENERAL
    )
    samr = services.add_regime(
        resource,
        {
            "name": "市场监管其他处罚",
            "legal_basis": "市场监管总局令第45号",
            "valid_from": datetime.date(2021, 9, 1),
            "line": "SCJG",
            "severity": Severity.GENERAL,
            "min_months": 6,
            "max_months": 36,
        },
        actor=province_admin,
    )
    decided = datetime.date(2022, 3, 1)
    pick = selectors.regime_for
    assert pick(resource, decision_date=decided, severity="general", line="SCJG") == samr
    assert pick(resource, decision_date=decided, severity="general", line="STHJ") == general
    assert pick(resource, decision_date=decided, severity="general") == general


def test_regime_with_inverted_dates_is_refused(licence_v1, province_admin, city_admin):
    data = {
        "name": "x",
        "legal_basis": "y",
        "valid_from": datetime.date(2020, 1, 1),
        "valid_to": datetime.date(2019, 1, 1),
        "max_months": 12,
    }
    with pytest.raises(DomainError):
        services.add_regime(licence_v1.resource, data, actor=province_admin)
    with pytest.raises(PermissionDenied):
        services.add_regime(licence_v1.resource, {**data, "valid_to": None}, actor=city_admin)


def test_every_draft_change_is_audited(licence_v1, province_admin):
    count = AuditEvent.objects.count()
    draft = services.create_draft(licence_v1.resource, actor=province_admin)
    services.update_draft(draft, {"name": "新名称"}, actor=province_admin)
    spec = FieldSpec.objects.get(version=draft, code="XK_XKWS")
    services.update_field(spec, {"name": "文书号"}, actor=province_admin)
    event = AuditEvent.objects.order_by("-pk").first()
    assert event.before == {"field": "XK_XKWS", "name": "行政许可决定文书号"}
    assert event.after == {"field": "XK_XKWS", "name": "文书号"}
    assert AuditEvent.objects.count() == count + 3


# --- import ---------------------------------------------------------------------------------


def test_import_creates_a_draft_and_publishing_twice_changes_nothing(scjg, customs, province_admin):
    from tests.catalogue.conftest import catalogue_document

    document = catalogue_document()
    summary = services.import_catalogue(document, actor=province_admin)
    assert summary.created == ["XZXK"] and summary.regimes_created == 1
    resource = Resource.objects.get(code="XZXK")
    draft = resource.versions.get()
    assert draft.status == VersionStatus.DRAFT
    assert draft.fields.get(code="XK_XKWS").max_length == 64
    assert set(selectors.obliged_departments(draft)) >= {scjg, customs}

    again = services.import_catalogue(document, actor=province_admin)
    assert not again.changed and again.unchanged == ["XZXK"]

    published = services.import_catalogue(document, actor=province_admin, publish=True)
    assert published.published == ["XZXK"]
    events = AuditEvent.objects.filter(event_type="catalogue.imported").count()
    final = services.import_catalogue(document, actor=province_admin, publish=True)
    assert final.published == [] and final.unchanged == ["XZXK"]
    assert resource.versions.count() == 1
    assert AuditEvent.objects.filter(event_type="catalogue.imported").count() == events


def test_import_of_a_changed_definition_opens_the_next_version(scjg, customs, province_admin):
    from tests.catalogue.conftest import catalogue_document

    services.import_catalogue(catalogue_document(), actor=province_admin, publish=True)
    changed = catalogue_document(deadline_working_days=20)
    changed["resources"][0]["fields"].pop()
    summary = services.import_catalogue(changed, actor=province_admin, publish=True)
    assert summary.drafted == ["XZXK"] and summary.published == ["XZXK"]
    announcement = CatalogueAnnouncement.objects.get(version__number=2)
    assert [f["code"] for f in announcement.changes["fields_removed"]] == ["XK_XKLB"]
    assert announcement.changes["attributes"][0]["after"] == 20


def test_broken_import_is_refused_whole_with_every_problem(scjg, customs, province_admin):
    from apps.catalogue.importer import CatalogueImportError
    from tests.catalogue.conftest import catalogue_document

    good = catalogue_document()["resources"][0]
    bad = catalogue_document(
        code="XZCF",
        suppliers=[{"department": "460000-NOPE"}, {"department": "469999-X"}],
        fields=[
            {"code": "A", "name": "甲", "type": "blob"},
            {"code": "A", "name": "重复", "notation": "C..10"},
            {"code": "B", "name": "乙", "notation": "N..x"},
        ],
    )["resources"][0]
    document = {"format": "hainan-catalogue/1", "resources": [good, bad]}
    with pytest.raises(CatalogueImportError) as exc:
        services.import_catalogue(document, actor=province_admin, publish=True)
    problems = {(p.path, p.code) for p in exc.value.problems}
    paths = {p for p, _c in problems}
    assert "resources[1].suppliers[0].department" in paths
    assert "resources[1].suppliers[1].department" in paths
    assert "resources[1].fields[0].type" in paths
    assert "resources[1].fields[2].notation" in paths
    assert any(c.startswith("duplicate") for _p, c in problems)
    assert not Resource.objects.exists()
    assert not ResourceVersion.objects.exists()


def test_import_refuses_to_change_a_resource_kind(scjg, customs, province_admin):
    from apps.catalogue.importer import CatalogueImportError
    from tests.catalogue.conftest import catalogue_document

    services.import_catalogue(catalogue_document(), actor=province_admin, publish=True)
    with pytest.raises(CatalogueImportError) as exc:
        services.import_catalogue(catalogue_document(kind="penalty"), actor=province_admin)
    assert [p.code for p in exc.value.problems] == ["kind_changed"]


def test_import_needs_a_province_admin(scjg, customs, city_admin):
    from tests.catalogue.conftest import catalogue_document

    with pytest.raises(PermissionDenied):
        services.import_catalogue(catalogue_document(), actor=city_admin)


# --- proposals with content ---------------------------------------------------------------------


def test_approved_proposal_goes_into_the_next_draft(licence_v1, clerk, province_admin, dept):
    payload = {
        "fields": [
            {
                "code": "XK_XKWS",
                "name": "行政许可决定文书号",
                "notation": "C..128",
                "required": True,
            },
            {"code": "XK_BZ", "name": "备注", "type": "text"},
        ],
        "remove_fields": ["XK_JDRQ"],
    }
    proposal = services.submit_proposal(
        dept,
        resource=licence_v1.resource,
        title="调整",
        reason="实际需要",
        payload=payload,
        actor=clerk,
    )
    services.approve_proposal(proposal, actor=province_admin, reason="采纳")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED
    draft = proposal.applied_to
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    changes = services.diff_versions(licence_v1, draft)
    assert [f["code"] for f in changes["fields_added"]] == ["XK_BZ"]
    assert [f["code"] for f in changes["fields_removed"]] == ["XK_JDRQ"]
    assert [f["code"] for f in changes["fields_changed"]] == ["XK_XKWS"]
    assert draft.suppliers.get().line == "SCJG"


def test_proposal_with_a_broken_payload_is_refused_at_submission(licence_v1, clerk, dept):
    from apps.catalogue.importer import CatalogueImportError

    with pytest.raises(CatalogueImportError):
        services.submit_proposal(
            dept,
            resource=licence_v1.resource,
            title="t",
            reason="r",
            payload={"fields": [{"code": "X", "name": "x", "type": "blob"}]},
            actor=clerk,
        )
    assert not SupplementProposal.objects.exists()


def test_approved_new_resource_proposal_creates_the_resource(
    licence_v1, clerk, province_admin, dept
):
    payload = {
        "code": "DCDY",
        "kind": "generic",
        "name": "动产抵押登记信息",
        "suppliers": [{"line": "SCJG", "levels": ["city"]}],
        "fields": [{"code": "DY_DJBH", "name": "登记编号", "notation": "C..64", "required": True}],
    }
    proposal = services.submit_proposal(
        dept, resource=None, title="新增动产抵押", reason="r", payload=payload, actor=clerk
    )
    services.approve_proposal(proposal, actor=province_admin)
    resource = Resource.objects.get(code="DCDY")
    assert resource.versions.get().fields.get().code == "DY_DJBH"
    assert resource.current_version is None


def test_validator_of_version_one_keeps_version_one_rules(licence_v1, province_admin):
    pytest.importorskip("apps.core.text")  # the validator folds text with it
    validator_for = pytest.importorskip("apps.catalogue.validation").validator_for
    draft = _make_v2(licence_v1, province_admin)
    services.publish_version(draft, actor=province_admin)
    row = {
        "XK_XDR_MC": "海口某某贸易有限公司",
        "XK_XDR_SHXYM": "91110108551385082Q",
        "XK_WSH": "琼许" + "字" * 98,  # 100 characters, through the 2016 alias
    }
    v1 = ResourceVersion.objects.get(pk=licence_v1.pk)
    v2 = ResourceVersion.objects.get(pk=draft.pk)
    v1_rules = {(p.field, p.rule) for p in validator_for(v1).validate(row).problems}
    assert {field for field, _rule in v1_rules} == {"XK_XKWS", "XK_JDRQ"}
    assert validator_for(v2).validate(row).problems == []
