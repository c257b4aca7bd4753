"""Public profile: generic sections from the catalogue, masking and windows on every surface."""
# ruff: noqa: F811  (fixtures are imported from portal_support and then requested)

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.catalogue.choices import ResourceKind
from apps.disclosure.profile import build_profile
from apps.records.models import GenericRecord
from tests.factories.catalogue import PublicityRegimeFactory
from tests.factories.enterprises import EnterpriseFactory

from .portal_support import (  # noqa: F401 (fixtures)
    ID_NUMBER,
    PHONE,
    SECRET,
    _fresh_caches,
    enterprise,
    load,
    mortgage,
    publish_resource,
)

pytestmark = pytest.mark.django_db

MASKED_ID = "460100********1234"
MASKED_PHONE = "138****5678"


def profile_url(uscc, name="disclosure:profile"):
    return reverse(name, args=[uscc])


def api_url(uscc):
    return reverse("disclosure-api:portal-profile", args=[uscc])


def test_profile_shows_registration_then_catalogue_sections_with_provenance(client, mortgage):
    entity = mortgage["enterprise"]
    response = client.get(profile_url(entity.uscc))
    assert response.status_code == 200
    body = response.content.decode()
    assert entity.name in body and entity.uscc in body
    assert "海口市市场监督管理局" in body and "2026-03-02" in body
    assert "测试动产抵押登记信息" in body and "登记编号" in body and "琼抵2026001" in body
    assert body.index("基础信息（登记注册）") < body.index("测试动产抵押登记信息")


def test_profile_page_masks_personal_data_and_hides_non_public_fields(client, mortgage):
    body = client.get(profile_url(mortgage["enterprise"].uscc)).content.decode()
    assert MASKED_ID in body and MASKED_PHONE in body
    assert ID_NUMBER not in body and PHONE not in body
    assert SECRET not in body and "内部备注" not in body


def test_profile_api_masks_personal_data_and_hides_non_public_fields(api_client, mortgage):
    response = api_client.get(api_url(mortgage["enterprise"].uscc))
    assert response.status_code == 200
    data = response.json()
    [section] = [s for s in data["sections"] if s["code"] == "TDY"]
    [record] = section["records"]
    values = {f["code"]: f["value"] for f in record["fields"]}
    assert values == {"DY_DJBH": "琼抵2026001", "DY_ZJHM": MASKED_ID, "DY_LXDH": MASKED_PHONE}
    assert record["department"] == "海口市市场监督管理局"
    raw = response.content.decode()
    assert ID_NUMBER not in raw and PHONE not in raw and SECRET not in raw


def test_print_view_masks_personal_data(client, mortgage):
    body = client.get(profile_url(mortgage["enterprise"].uscc, "disclosure:profile-print"))
    text = body.content.decode()
    assert MASKED_ID in text and ID_NUMBER not in text and SECRET not in text


def test_pdf_report_masks_personal_data(client, mortgage):
    from pypdf import PdfReader

    response = client.get(profile_url(mortgage["enterprise"].uscc, "disclosure:profile-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "琼抵2026001" in compact
    assert MASKED_ID in compact and MASKED_PHONE in compact
    assert ID_NUMBER not in compact and PHONE not in compact and SECRET not in compact


def test_record_outside_its_publicity_window_is_not_shown(client, api_client, dept, enterprise):
    resource = publish_resource(
        "TSF", ResourceKind.GENERIC, [{"code": "SF_WH", "name": "协助文书号"}], name="测试司法协助"
    )
    PublicityRegimeFactory(
        resource=resource, valid_from=datetime.date(2015, 1, 1), min_months=0, max_months=36
    )
    today = timezone.localdate()
    load(enterprise, dept, "TSF", {"SF_WH": "（2019）琼01执1号"}, n=1,
         decision_date=today.replace(year=today.year - 4))  # fmt: skip
    load(enterprise, dept, "TSF", {"SF_WH": "（2026）琼01执2号"}, n=2,
         decision_date=today - datetime.timedelta(days=30))  # fmt: skip
    body = client.get(profile_url(enterprise.uscc)).content.decode()
    assert "（2026）琼01执2号" in body and "（2019）琼01执1号" not in body
    raw = api_client.get(api_url(enterprise.uscc)).content.decode()
    assert "（2026）琼01执2号" in raw and "（2019）琼01执1号" not in raw


def test_resource_not_public_never_appears(client, dept, enterprise):
    publish_resource(
        "TNP",
        ResourceKind.GENERIC,
        [{"code": "NP_X", "name": "内部数据项"}],
        name="测试内部共享信息",
        publicity_class="not_public",
    )
    load(enterprise, dept, "TNP", {"NP_X": "仅供部门共享"})
    body = client.get(profile_url(enterprise.uscc)).content.decode()
    assert "测试内部共享信息" not in body and "仅供部门共享" not in body


def test_a_new_catalogue_resource_appears_without_portal_code(dept, enterprise):
    publish_resource(
        "TNEW",
        ResourceKind.GENERIC,
        [{"code": "NEW_A", "name": "新数据项甲"}, {"code": "NEW_B", "name": "新数据项乙"}],
        name="测试新增资源",
    )
    load(enterprise, dept, "TNEW", {"NEW_A": "甲值", "NEW_B": "乙值", "NOT_IN_CATALOGUE": "x"})
    profile = build_profile(enterprise, on=timezone.localdate())
    [section] = [s for s in profile.sections if s.code == "TNEW"]
    assert section.name == "测试新增资源"
    [record] = section.records
    assert [(f.label, f.value) for f in record.fields] == [
        ("新数据项甲", "甲值"),
        ("新数据项乙", "乙值"),
    ]


def test_public_resource_without_records_shows_an_empty_section(client, mortgage):
    other = EnterpriseFactory(name="海南空白商行")
    profile = build_profile(other, on=timezone.localdate())
    [section] = [s for s in profile.sections if s.code == "TDY"]
    assert section.records == []
    assert "暂无信息" in client.get(profile_url(other.uscc)).content.decode()


def test_records_of_other_entities_stay_on_their_own_profile(client, mortgage):
    other = EnterpriseFactory(name="海南别家商行")
    assert "琼抵2026001" not in client.get(profile_url(other.uscc)).content.decode()


def test_enum_codes_show_their_catalogue_label(dept, enterprise):
    publish_resource(
        "TENUM",
        ResourceKind.GENERIC,
        [
            {
                "code": "E_ZT",
                "name": "状态",
                "data_type": "enum",
                "enum_values": [{"code": "1", "label": "有效", "label_en": "Valid"}],
            }
        ],
    )
    load(enterprise, dept, "TENUM", {"E_ZT": "1"})
    profile = build_profile(enterprise, on=timezone.localdate())
    [section] = [s for s in profile.sections if s.code == "TENUM"]
    assert section.records[0].fields[0].value == "有效"


def test_profile_lists_objection_links_for_each_record(client, mortgage):
    body = client.get(profile_url(mortgage["enterprise"].uscc)).content.decode()
    url = reverse("disclosure:objection-create")
    expected = (
        f"{url}?enterprise={mortgage['enterprise'].uscc}&amp;resource=TDY"
        f"&amp;record={mortgage['record_id']}"
    )
    assert expected in body


def test_profile_by_lower_case_code_works_and_unknown_code_is_404(client, api_client, mortgage):
    uscc = mortgage["enterprise"].uscc
    assert client.get(profile_url(uscc.lower())).status_code == 200
    assert client.get(profile_url("91460100MA5T00000X")).status_code == 404
    assert client.get(profile_url("<script>")).status_code == 404
    assert api_client.get(api_url("nope")).status_code == 404


def test_natural_person_records_never_reach_a_profile(client, dept, mortgage):
    entity = mortgage["enterprise"]
    load(entity, dept, "TDY", {"DY_DJBH": "自然人记录"}, n=7, subject_kind="natural_person")
    GenericRecord.objects.filter(business_key__endswith="7号").update(enterprise=entity)
    assert "自然人记录" not in client.get(profile_url(entity.uscc)).content.decode()


def test_profile_page_query_count_does_not_grow_with_records(client, dept, mortgage):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entity = mortgage["enterprise"]
    url = profile_url(entity.uscc)
    client.get(url)  # warm the catalogue cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 12):
        load(entity, dept, "TDY", {"DY_DJBH": f"琼抵{n}"}, n=n)
    with CaptureQueriesContext(connection) as eleven:
        response = client.get(url)
    assert response.content.decode().count("琼抵") == 11
    assert len(eleven.captured_queries) == len(one.captured_queries)


def test_names_with_markup_are_escaped_on_the_profile(client, hainan):
    entity = EnterpriseFactory(name="海南<b>加粗</b>商行")
    body = client.get(profile_url(entity.uscc)).content.decode()
    assert "<b>加粗</b>" not in body and "&lt;b&gt;加粗&lt;/b&gt;" in body


def test_english_profile_uses_the_catalogues_english_names(api_client, dept, enterprise):
    publish_resource(
        "TEN",
        ResourceKind.GENERIC,
        [{"code": "EN_A", "name": "登记编号", "name_en": "Registration number"}],
        name="测试英文资源",
    )
    load(enterprise, dept, "TEN", {"EN_A": "A-1"})
    response = api_client.get(api_url(enterprise.uscc), HTTP_ACCEPT_LANGUAGE="en")
    [section] = [s for s in response.json()["sections"] if s["code"] == "TEN"]
    assert section["name"] == "TEN resource"
    assert section["records"][0]["fields"] == [
        {"code": "EN_A", "label": "Registration number", "value": "A-1"}
    ]
