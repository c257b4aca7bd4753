"""Forms of the quality pages: issue filters, scheduling a sampling check, reviews, notices."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organizations.choices import Role
from apps.organizations.models import User

from .choices import Dimension, IssueStatus, PeriodKind, Verdict
from .models import QualityRule


class IssueFilterForm(forms.Form):
    """Filters of the issue list; every figure on the dashboards links here with some of them."""

    department = forms.CharField(label=_("部门代码"), required=False)
    region = forms.CharField(label=_("区划代码"), required=False)
    rule = forms.ModelChoiceField(
        label=_("规则"),
        queryset=QualityRule.objects.all(),
        to_field_name="code",
        required=False,
    )
    dimension = forms.ChoiceField(
        label=_("质量维度"), choices=[("", "---")] + list(Dimension.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", "---")] + list(IssueStatus.choices), required=False
    )
    resource_code = forms.CharField(label=_("信息资源代码"), required=False)
    period = forms.CharField(
        label=_("接收周期"), required=False, help_text=_("如 2026-03 或 2026Q1")
    )


class SamplingCheckForm(forms.Form):
    """Schedule a sampling check: its date, the window, the sample size and reviewers."""

    title = forms.CharField(label=_("名称"), max_length=128)
    check_date = forms.DateField(
        label=_("抽查日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_start = forms.DateField(
        label=_("抽查范围起始（接收日期）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sample_size = forms.IntegerField(
        label=_("每部门抽样数"), min_value=1, max_value=500, initial=10
    )
    seed = forms.CharField(
        label=_("随机种子"),
        max_length=64,
        required=False,
        help_text=_("留空由系统生成；填写已用过的种子可重现该次抽样。"),
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("核查人员"),
        queryset=User.objects.filter(is_active=True)
        .exclude(role=Role.AUDITOR)
        .order_by("username"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("check_date")
        if start and end and start > end:
            self.add_error(
                "period_start",
                _("抽查范围起始日期不能晚于抽查日期。"),
            )
        return data


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("核查结论"),
        choices=[
            (Verdict.CORRECT, Verdict.CORRECT.label),
            (Verdict.INCORRECT, Verdict.INCORRECT.label),
        ],
    )
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class CompleteForm(forms.Form):
    findings = forms.CharField(label=_("主要问题与建议"), widget=forms.Textarea, required=False)


class RankingNoticeForm(forms.Form):
    period_kind = forms.ChoiceField(label=_("周期"), choices=PeriodKind.choices)
    period = forms.CharField(label=_("期间"), help_text=_("如 2026-03 或 2026Q1"))
    summary = forms.CharField(label=_("通报内容"), widget=forms.Textarea, required=False)

    def clean_period(self):
        from .scoring import Period

        period = Period.parse(self.cleaned_data["period"])
        if period is None:
            raise forms.ValidationError(_("期间格式应为 2026-03（月）或 2026Q1（季度）。"))
        return period


def default_check_dates() -> tuple[datetime.date, datetime.date]:
    from django.utils import timezone

    today = timezone.localdate()
    return today, today.replace(day=1)
