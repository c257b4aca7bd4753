"""Pages of the organizations app: login, dashboard, lists with filters, forms."""

from __future__ import annotations

from django.urls import reverse

from apps.core.models import AuditEvent
from apps.organizations import services
from apps.organizations.choices import Role
from apps.organizations.models import ApiToken, Department, User
from tests.factories.organizations import DepartmentFactory, UserFactory, make_api_token


def test_login_page_is_chinese(client, db):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "工作人员登录" in content
    assert 'for="id_username"' in content and 'for="id_password"' in content
    assert 'lang="zh-hans"' in content


def test_wrong_password_shows_a_chinese_error(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    assert "用户名或密码错误" in response.content.decode()


def test_login_and_logout(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "pass-Word-123"})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("organizations:department-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_shows_links_by_role(login, province_admin, clerk):
    admin_page = login(province_admin).get(reverse("home")).content.decode()
    assert reverse("organizations:user-create") in admin_page
    assert reverse("organizations:audit-list") in admin_page
    clerk_page = login(clerk).get(reverse("home")).content.decode()
    assert reverse("organizations:user-create") not in clerk_page
    assert reverse("organizations:audit-list") not in clerk_page


def test_liaison_home_links_to_its_liaison_form(login, liaison, dept):
    page = login(liaison).get(reverse("home")).content.decode()
    assert reverse("organizations:department-liaison", args=[dept.pk]) in page


def test_department_list_filters_by_region_level_and_line(login, clerk, loaded):
    client = login(clerk)
    response = client.get(
        reverse("organizations:department-list"),
        {"region": "460100", "level": "city", "line": "SCJG"},
    )
    assert [d.code for d in response.context["page"]] == ["460100-SCJG"]
    response = client.get(reverse("organizations:department-list"), {"line": "FY"})
    assert response.context["page"].paginator.count == Department.objects.filter(line="FY").count()


def test_department_list_query_count_is_bounded(
    login, clerk, loaded, django_assert_max_num_queries
):
    client = login(clerk)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organizations:department-list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 50


def test_department_detail_shows_tokens_to_administrators_only(
    login, province_admin, clerk, dept, token_pair
):
    url = reverse("organizations:department-detail", args=[dept.pk])
    assert token_pair[0].prefix in login(province_admin).get(url).content.decode()
    assert token_pair[0].prefix not in login(clerk).get(url).content.decode()


def test_department_detail_counts_members(login, clerk, liaison, dept):
    response = login(clerk).get(reverse("organizations:department-detail", args=[dept.pk]))
    assert response.context["member_count"] == 2


def test_liaison_form_saves_through_the_service(login, liaison, dept):
    response = login(liaison).post(
        reverse("organizations:department-liaison", args=[dept.pk]),
        {"liaison_name": "王芳", "liaison_phone": "0898-6666", "liaison_email": "wf@example.org"},
    )
    assert response.status_code == 302
    dept.refresh_from_db()
    assert dept.liaison_phone == "0898-6666"
    assert AuditEvent.objects.filter(event_type="department.changed", actor=liaison).exists()


def test_liaison_form_rejects_a_bad_phone(login, liaison, dept):
    response = login(liaison).post(
        reverse("organizations:department-liaison", args=[dept.pk]),
        {"liaison_name": "王芳", "liaison_phone": "call me", "liaison_email": ""},
    )
    assert response.status_code == 200
    assert "电话只能包含" in response.content.decode()


def test_user_list_query_count_is_bounded(
    login, province_admin, dept, django_assert_max_num_queries
):
    for n in range(30):
        UserFactory(username=f"u{n:02d}", role=Role.DEPARTMENT_STAFF, department=dept)
    client = login(province_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organizations:user-list"))
    assert response.status_code == 200


def test_city_admin_creates_a_clerk_in_its_region(login, city_admin, dept):
    response = login(city_admin).post(
        reverse("organizations:user-create"),
        {
            "username": "hk_new",
            "display_name": "新人",
            "role": Role.DEPARTMENT_STAFF,
            "department": dept.pk,
            "password": "long-Pass-987",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="hk_new").department == dept


def test_city_admin_form_offers_only_its_departments(login, city_admin, dept, other_dept):
    form = login(city_admin).get(reverse("organizations:user-create")).context["form"]
    assert list(form.fields["department"].queryset) == [dept]
    assert {v for v, _ in form.fields["role"].choices} == {
        Role.DEPARTMENT_STAFF,
        Role.DEPARTMENT_LIAISON,
    }
    assert "region" not in form.fields


def test_user_form_requires_a_department_for_staff(login, province_admin):
    response = login(province_admin).post(
        reverse("organizations:user-create"),
        {
            "username": "nodept",
            "display_name": "无部门",
            "role": Role.DEPARTMENT_STAFF,
            "password": "long-Pass-987",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="nodept").exists()


def test_user_edit_changes_the_role(login, province_admin, clerk):
    response = login(province_admin).post(
        reverse("organizations:user-edit", args=[clerk.pk]),
        {
            "display_name": clerk.display_name,
            "role": Role.DEPARTMENT_LIAISON,
            "department": clerk.department_id,
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.role == Role.DEPARTMENT_LIAISON


def test_token_list_query_count_is_bounded(
    login, province_admin, dept, django_assert_max_num_queries
):
    for n in range(20):
        make_api_token(dept, name=f"令牌{n}")
    client = login(province_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organizations:token-list"))
    assert len(response.context["page"]) == 20


def test_token_revoke_needs_a_post(login, province_admin, token_pair):
    client = login(province_admin)
    url = reverse("organizations:token-revoke", args=[token_pair[0].pk])
    assert "确认吊销" in client.get(url).content.decode()
    assert ApiToken.objects.get(pk=token_pair[0].pk).revoked_at is None
    assert client.post(url).status_code == 302
    assert ApiToken.objects.get(pk=token_pair[0].pk).revoked_at is not None


def test_audit_list_filters_and_paginates(
    login, province_admin, dept, other_dept, django_assert_max_num_queries
):
    for n in range(60):
        services.update_department_liaison(
            dept, actor=province_admin, liaison_name=f"人{n}", liaison_phone="", liaison_email=""
        )
    services.update_department_liaison(
        other_dept, actor=province_admin, liaison_name="乙", liaison_phone="", liaison_email=""
    )
    client = login(province_admin)
    url = reverse("organizations:audit-list")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.context["page"].paginator.count == 61
    assert len(response.context["page"]) == 50
    filtered = client.get(url, {"department": other_dept.code, "event_type": "department.changed"})
    assert [e.department_code for e in filtered.context["page"]] == [other_dept.code]
    by_actor = client.get(url, {"actor": "nobody"})
    assert by_actor.context["page"].paginator.count == 0
    second = client.get(url, {"page": 2})
    assert len(second.context["page"]) == 11


def test_audit_list_date_range(login, province_admin, dept):
    services.update_department_liaison(
        dept, actor=province_admin, liaison_name="甲", liaison_phone="", liaison_email=""
    )
    client = login(province_admin)
    url = reverse("organizations:audit-list")
    assert client.get(url, {"date_to": "2000-01-01"}).context["page"].paginator.count == 0
    assert client.get(url, {"date_from": "2000-01-01"}).context["page"].paginator.count == 1


def test_inactive_department_is_marked(login, province_admin, hainan):
    DepartmentFactory(code="460100-OLD", name="旧部门", region=hainan["haikou"], is_active=False)
    content = login(province_admin).get(reverse("organizations:department-list")).content
    assert "已停用" in content.decode()
