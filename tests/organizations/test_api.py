"""The organizations API: filters, ordering, the liaison PATCH and ``me/``."""

from __future__ import annotations

from apps.organizations.models import Department, Region

API = "/api/v1/organizations"


def test_regions_filter_by_parent_code_and_id(api_login, clerk, loaded):
    api = api_login(clerk)
    by_code = api.get(f"{API}/regions/", {"parent": "460100"}).json()
    assert [r["code"] for r in by_code["results"]] == ["460105", "460106", "460107", "460108"]
    haikou = Region.objects.get(code="460100")
    by_id = api.get(f"{API}/regions/", {"parent_id": haikou.pk}).json()
    assert by_id["results"] == by_code["results"]


def test_regions_filter_by_level_and_show_yangpu(api_login, clerk, loaded):
    api = api_login(clerk)
    zones = api.get(f"{API}/regions/", {"level": "zone"}).json()["results"]
    assert [(z["code"], z["parent"], z["is_gb2260"]) for z in zones] == [
        ("46YP00", "460400", False)
    ]
    danzhou = api.get(f"{API}/regions/460400/").json()
    assert danzhou["former_codes"] == ["469003"]


def test_departments_filter_by_region_level_and_line(api_login, clerk, loaded):
    api = api_login(clerk)
    body = api.get(f"{API}/departments/", {"region": "46YP00", "line": "SCJG"}).json()
    assert [d["code"] for d in body["results"]] == ["46YP00-SCJG"]
    assert body["results"][0]["parent"] == "460000-SCJG"
    sanya = Region.objects.get(code="460200")
    city = api.get(f"{API}/departments/", {"region_id": sanya.pk, "level": "city"}).json()
    assert city["count"] == Department.objects.filter(region=sanya).count()
    provincial = api.get(f"{API}/departments/", {"level": "provincial", "limit": 100}).json()
    assert provincial["count"] == 26


def test_department_list_is_ordered_deterministically(api_login, clerk, loaded):
    api = api_login(clerk)
    first = [d["code"] for d in api.get(f"{API}/departments/", {"limit": 500}).json()["results"]]
    assert first[0].startswith("460000-")
    assert len(first) == len(set(first)) == Department.objects.count()


def test_liaison_patch_changes_only_liaison_fields(api_login, province_admin, dept):
    response = api_login(province_admin).patch(
        f"{API}/departments/{dept.code}/",
        {"liaison_phone": "0898-1234", "name": "改名"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["liaison_phone"] == "0898-1234"
    dept.refresh_from_db()
    assert dept.name != "改名"


def test_liaison_patch_rejects_a_bad_email(api_login, province_admin, dept):
    response = api_login(province_admin).patch(
        f"{API}/departments/{dept.code}/", {"liaison_email": "nope"}, format="json"
    )
    assert response.status_code == 400


def test_departments_cannot_be_deleted_through_the_api(api_login, province_admin, dept):
    response = api_login(province_admin).delete(f"{API}/departments/{dept.code}/")
    assert response.status_code == 405


def test_me_describes_a_person(api_login, city_admin):
    body = api_login(city_admin).get(f"{API}/me/").json()
    assert body["kind"] == "user"
    assert body["username"] == "city_admin"
    assert body["role"] == "region_admin"
    assert body["region"] == "460100"
    assert body["department"] is None


def test_me_refuses_anonymous(api_client, db):
    assert api_client.get(f"{API}/me/").status_code == 401


def test_audit_events_filter_by_event_type(api_login, auditor, province_admin, dept):
    from apps.organizations import services

    services.update_department_liaison(
        dept, actor=province_admin, liaison_name="甲", liaison_phone="", liaison_email=""
    )
    services.create_api_token(dept, name="x", actor=province_admin)
    body = api_login(auditor).get(f"{API}/audit-events/", {"event_type": "token.created"}).json()
    assert [e["event_type"] for e in body["results"]] == ["token.created"]
    assert body["results"][0]["actor"] == "admin"
