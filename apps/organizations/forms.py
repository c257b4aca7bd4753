"""Forms of the organizations pages; choices are narrowed to the actor's scope."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Action, RegionLevel, Role
from .models import Department, Region, User
from .scoping import principal_role, scope_queryset

phone_validator = RegexValidator(
    r"^[0-9+\-() ]*$", _("电话只能包含数字、空格和 + - ( )。"), code="invalid_phone"
)


class DepartmentLiaisonForm(forms.Form):
    """The liaison contact of a department."""

    liaison_name = forms.CharField(label=_("联络人"), max_length=64, required=False)
    liaison_phone = forms.CharField(
        label=_("联络电话"), max_length=32, required=False, validators=[phone_validator]
    )
    liaison_email = forms.EmailField(label=_("联络邮箱"), required=False)


def _department_choices(actor: Any) -> Any:
    return scope_queryset(
        Department.objects.active().select_related("region"), actor, Action.CHANGE
    ).order_by("region__sort_order", "code")


def _role_choices(actor: Any) -> list[tuple[str, str]]:
    if principal_role(actor) == Role.PROVINCE_ADMIN:
        return list(Role.choices)
    return [
        (v, label)
        for v, label in Role.choices
        if v in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON)
    ]


class UserForm(forms.Form):
    """Create or edit a person; the role decides whether department or region is needed."""

    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ + -，至少 3 个字符。")},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    email = forms.EmailField(label=_("邮箱"), required=False)
    phone = forms.CharField(
        label=_("电话"), max_length=32, required=False, validators=[phone_validator]
    )
    role = forms.ChoiceField(label=_("角色"))
    department = forms.ModelChoiceField(
        label=_("所属部门"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("部门工作人员和联络员必填。"),
    )
    region = forms.ModelChoiceField(
        label=_("管辖区划"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("市县管理员必填。"),
    )
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        strip=False,
        help_text=_("新建时必填；编辑时留空表示不修改。"),
    )

    def __init__(self, *args: Any, actor: Any, instance: User | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.instance = instance
        self.fields["role"].choices = _role_choices(actor)
        self.fields["department"].queryset = _department_choices(actor)
        self.fields["department"].label_from_instance = lambda d: f"{d.name}（{d.code}）"
        if principal_role(actor) == Role.PROVINCE_ADMIN:
            self.fields["region"].queryset = Region.objects.exclude(level=RegionLevel.PROVINCE)
        else:
            del self.fields["region"]
        if instance is not None:
            del self.fields["username"]
        else:
            self.fields["password"].required = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名已被使用。"))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if role in (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LIAISON):
            if not data.get("department"):
                self.add_error("department", _("部门工作人员和联络员必须指定所属部门。"))
            data["region"] = None
        elif role == Role.REGION_ADMIN:
            if not data.get("region"):
                self.add_error("region", _("市县管理员必须指定管辖区划。"))
            data["department"] = None
        else:
            data["department"] = None
            data["region"] = None
        password = data.get("password")
        if password:
            validate_password(password, self.instance)
        return data


class ApiTokenForm(forms.Form):
    """Issue a token for a department in the actor's scope."""

    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("用于识别调用系统，如“登记系统对接”。")
    )
    expires_on = forms.DateField(
        label=_("到期日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效，可随时吊销。"),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _department_choices(actor)
        self.fields["department"].label_from_instance = lambda d: f"{d.name}（{d.code}）"

    def clean_expires_on(self) -> datetime.date | None:
        value = self.cleaned_data.get("expires_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("到期日期必须晚于今天。"))
        return value

    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day in the platform's time zone."""
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time.max))
