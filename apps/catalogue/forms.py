"""Forms of the catalogue pages; they validate input, services change state."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.utils.translation import gettext_lazy as _

from apps.organizations.choices import DepartmentLevel
from apps.organizations.models import Department

from .choices import ResourceKind
from .models import FieldSpec, PublicityRegime, Resource, ResourceVersion
from .services import FIELD_KEYS, REGIME_KEYS, VERSION_KEYS


class ResourceSearchForm(forms.Form):
    """The catalogue browser's search: code or name, kind, obliged department."""

    q = forms.CharField(label=_("代码或名称"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部"))] + list(ResourceKind.choices)
    )
    department = forms.ModelChoiceField(
        label=_("报送部门"),
        required=False,
        queryset=Department.objects.active().select_related("region"),
        to_field_name="code",
        empty_label=_("全部"),
    )


class NewResourceForm(forms.Form):
    """A new resource: its code, kind and Chinese name (the rest is edited in the draft)."""

    code = forms.RegexField(
        label=_("资源代码"),
        regex=r"^[A-Z0-9_]{2,32}$",
        error_messages={"invalid": _("资源代码只能包含大写字母、数字和下划线（2–32 位）。")},
    )
    kind = forms.ChoiceField(label=_("类别"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=128)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Resource.objects.filter(code=code).exists():
            raise forms.ValidationError(_("该资源代码已存在。"))
        return code


class VersionForm(forms.ModelForm):
    """Attributes of a draft version."""

    class Meta:
        model = ResourceVersion
        fields = (*VERSION_KEYS, "change_note")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
        }


class FieldSpecForm(forms.ModelForm):
    """One field spec of a draft; aliases comma-separated, enumerations as JSON."""

    aliases = SimpleArrayField(
        forms.CharField(max_length=128),
        label=_("别名"),
        required=False,
        help_text=_("用英文逗号分隔，如 XK_WSH,行政许可决定书文号"),
    )

    class Meta:
        model = FieldSpec
        fields = FIELD_KEYS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "enum_values": forms.Textarea(attrs={"rows": 3}),
            "required_when": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, version: ResourceVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["order"].required = False
        if self.instance.pk is None:
            # Left empty, a new field goes last (the service numbers it).
            self.initial["order"] = None

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = FieldSpec.objects.filter(version=self.version, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("该数据项代码在本版本中已存在。"))
        return code

    def clean_enum_values(self) -> list:
        value = self.cleaned_data.get("enum_values") or []
        if not isinstance(value, list) or not all(
            isinstance(item, dict) and item.get("code") for item in value
        ):
            raise forms.ValidationError(_('代码值应为列表，如 [{"code": "1", "label": "正常"}]。'))
        return value

    def changes(self) -> dict[str, Any]:
        """Cleaned values keyed by FieldSpec attribute, for the services."""
        data = {key: self.cleaned_data.get(key) for key in FIELD_KEYS}
        if data.get("order") is None:
            data.pop("order")
        return data


class SuppliersForm(forms.Form):
    """Obliged suppliers, one per line: ``SCJG: provincial, city, county`` or a department code."""

    suppliers = forms.CharField(
        label=_("报送义务部门"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "每行一条：条线代码加冒号和层级（provincial、city、county），"
            "如 SCJG: provincial, city, county；或一个部门代码，如 460000-HG。"
        ),
    )

    @staticmethod
    def initial_text(version: ResourceVersion) -> str:
        lines = []
        for supplier in version.suppliers.select_related("department").order_by("line", "pk"):
            if supplier.department_id:
                lines.append(supplier.department.code)
            else:
                lines.append(f"{supplier.line}: {', '.join(supplier.levels)}")
        return "\n".join(lines)

    def clean_suppliers(self) -> list[dict[str, Any]]:
        parsed: list[dict[str, Any]] = []
        errors: list[str] = []
        levels_known = set(DepartmentLevel.values)
        codes = []
        for raw in self.cleaned_data["suppliers"].splitlines():
            line = raw.strip()
            if not line:
                continue
            if ":" in line or "：" in line:
                name, _sep, levels = line.replace("：", ":").partition(":")
                level_list = [
                    lv.strip() for lv in levels.replace("，", ",").split(",") if lv.strip()
                ]
                unknown = [lv for lv in level_list if lv not in levels_known]
                if unknown:
                    errors.append(str(_("未知层级：%(levels)s")) % {"levels": ", ".join(unknown)})
                parsed.append({"line": name.strip(), "levels": level_list})
            elif "-" in line:
                codes.append(line)
                parsed.append({"department_code": line})
            else:
                parsed.append({"line": line, "levels": []})
        known = {d.code: d for d in Department.objects.filter(code__in=codes)}
        for item in parsed:
            code = item.pop("department_code", None)
            if code is not None:
                if code not in known:
                    errors.append(str(_("未知的部门代码：%(code)s")) % {"code": code})
                item["department"] = known.get(code)
        if errors:
            raise forms.ValidationError(errors)
        return parsed


class PublishForm(forms.Form):
    """The change note that goes into the public announcement."""

    change_note = forms.CharField(
        label=_("变更说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProposalForm(forms.Form):
    """A supplement proposal: for one of the department's resources or a new resource."""

    department = forms.ModelChoiceField(label=_("提出部门"), queryset=Department.objects.none())
    resource = forms.ModelChoiceField(
        label=_("信息资源"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("（提议新增资源）"),
        to_field_name="code",
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}))
    payload = forms.CharField(
        label=_("建议内容（JSON，可选）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "目录导入格式中的一个资源条目；针对现有资源时只写要改的部分："
            "fields 中同代码的数据项被替换、新代码被追加，remove_fields 列出要删除的代码。"
        ),
    )

    def __init__(self, *args: Any, departments: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["resource"].queryset = resources
        if departments.count() == 1:
            self.fields["department"].initial = departments.first()

    def clean_payload(self) -> dict[str, Any]:
        text = self.cleaned_data.get("payload", "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：%(error)s") % {"error": exc}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("建议内容必须是 JSON 对象。"))
        return value


class DecisionForm(forms.Form):
    """The province's decision on a proposal; a rejection needs a reason."""

    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("采纳")), ("reject", _("驳回"))]
    )
    reason = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("驳回必须填写理由。"))
        return data


class LiaisonForm(forms.Form):
    """An obliged department's liaison for one resource."""

    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("电话"), max_length=32, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class RegimeForm(forms.ModelForm):
    """A dated publicity regime."""

    class Meta:
        model = PublicityRegime
        fields = REGIME_KEYS
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", _("适用截止日必须晚于起始日。"))
        low, high = data.get("min_months"), data.get("max_months")
        if low is not None and high is not None and low > high:
            self.add_error("min_months", _("最短公示期不能长于最长公示期。"))
        return data
