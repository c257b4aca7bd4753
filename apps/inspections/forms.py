"""Forms of the inspection pages; they parse input, the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.enterprises.choices import EnterpriseStatus, EntityType
from apps.enterprises.models import Enterprise
from apps.organizations.models import Department, Region

from .choices import CheckType, ResultOutcome, RiskGrade
from .models import TargetPool


def _split(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace("，", ",").replace("、", ",").split(",")
        if part.strip()
    ]


class OfficerForm(forms.Form):
    """An officer of the viewer's department (administrators pick the department)."""

    department = forms.ModelChoiceField(label=_("所属部门"), queryset=Department.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=64)
    certificate_number = forms.CharField(label=_("执法证号"), max_length=64)
    areas = forms.ModelMultipleChoiceField(
        label=_("负责区域"), queryset=Region.objects.all(), required=False
    )
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class ConflictForm(forms.Form):
    """A declared conflict: the entity by USCC and the reason."""

    uscc = forms.CharField(label=_("市场主体统一社会信用代码"), max_length=18)
    reason = forms.CharField(label=_("回避事由"), max_length=200)

    def clean_uscc(self):
        code = self.cleaned_data["uscc"].strip().upper()
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("登记库中没有统一社会信用代码为该值的市场主体。"))
        self.cleaned_data["enterprise"] = enterprise
        return code


#: Labels of the filter keys stored on ``TargetPool.filters`` (``PoolFilters.as_json``).
POOL_FILTER_LABELS = {
    "region_codes": _("区划（含下辖区）"),
    "entity_types": _("主体类型"),
    "statuses": _("登记状态"),
    "industry_prefixes": _("行业代码前缀"),
    "lists": _("所在名录"),
    "risk_grades": _("信用风险分类"),
    "not_drawn_since": _("排除该日起已被抽中的主体"),
}


#: Choice sets whose stored codes are shown by their labels on the pool page.
POOL_FILTER_CHOICES = {
    "entity_types": dict(EntityType.choices),
    "statuses": dict(EnterpriseStatus.choices),
    "risk_grades": dict(RiskGrade.choices),
}


def pool_filter_rows(filters: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """(label, values) of a pool's stored filters, codes of choice sets shown by label."""
    rows = []
    for key, values in filters.items():
        labels = POOL_FILTER_CHOICES.get(key, {})
        rows.append((POOL_FILTER_LABELS.get(key, key), [str(labels.get(v, v)) for v in values]))
    return rows


class PoolForm(forms.Form):
    """Filters that select a pool's entities from the registry."""

    name = forms.CharField(label=_("名录名称"), max_length=200)
    regions = forms.ModelMultipleChoiceField(
        label=_("区划（含下辖区）"), queryset=Region.objects.all(), required=False
    )
    entity_types = forms.MultipleChoiceField(
        label=_("主体类型"), choices=EntityType.choices, required=False
    )
    statuses = forms.MultipleChoiceField(
        label=_("登记状态"), choices=EnterpriseStatus.choices, required=False
    )
    industry_prefixes = forms.CharField(
        label=_("行业代码前缀（逗号分隔，如 F51, I65）"), max_length=200, required=False
    )
    lists = forms.CharField(
        label=_("所在名录（逗号分隔的名录名称，如 经营异常名录）"), max_length=200, required=False
    )
    risk_grades = forms.MultipleChoiceField(
        label=_("信用风险分类"), choices=RiskGrade.choices, required=False
    )
    not_drawn_since = forms.DateField(
        label=_("排除该日起已被抽中的主体（避免重复抽查）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def filters(self):
        from .services import PoolFilters

        data = self.cleaned_data
        return PoolFilters(
            region_codes=[r.code for r in data["regions"]],
            entity_types=list(data["entity_types"]),
            statuses=list(data["statuses"]),
            industry_prefixes=_split(data["industry_prefixes"]),
            lists=_split(data["lists"]),
            risk_grades=list(data["risk_grades"]),
            not_drawn_since=data.get("not_drawn_since"),
        )


class PlanForm(forms.Form):
    """A plan: its pool, other departments for a joint plan, sample, dates, matters."""

    name = forms.CharField(label=_("计划名称"), max_length=200)
    pool = forms.ModelChoiceField(label=_("检查对象名录"), queryset=TargetPool.objects.none())
    other_departments = forms.ModelMultipleChoiceField(
        label=_("联合抽查的其他部门"),
        queryset=Department.objects.active(),
        required=False,
        help_text=_("选择后即为跨部门联合抽查。"),
    )
    check_type = forms.ChoiceField(label=_("抽查类型"), choices=CheckType.choices)
    sample_count = forms.IntegerField(label=_("抽取户数"), min_value=1, required=False)
    sample_ratio = forms.DecimalField(
        label=_("抽取比例（%）"), max_digits=5, decimal_places=2, required=False
    )
    officers_per_target = forms.IntegerField(label=_("每户检查人员数"), initial=2)
    avoid_own_area = forms.BooleanField(label=_("执法人员不检查本人负责区域"), required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    matters = forms.CharField(
        label=_("抽查事项（每行一项）"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, pools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pools is not None:
            self.fields["pool"].queryset = pools


class DrawForm(forms.Form):
    """Draw (or redraw, with a reason): an optional seed, e.g. a public lottery number."""

    seed = forms.CharField(
        label=_("随机种子（可选，留空则系统生成）"), max_length=40, required=False
    )
    reason = forms.CharField(
        label=_("重新抽取理由"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResultForm(forms.Form):
    """A task's result."""

    outcome = forms.ChoiceField(label=_("检查结果"), choices=ResultOutcome.choices)
    details = forms.CharField(
        label=_("问题及处理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    completed_on = forms.DateField(
        label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
