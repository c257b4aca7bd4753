"""Forms of the staff pages (decisions, applications, the check, feedback)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checks import MAX_BATCH
from .choices import FeedbackOutcome
from .models import ListType, Measure


class DateInput(forms.DateInput):
    input_type = "date"


class ListingForm(forms.Form):
    """A listing decision for one entity."""

    list_type = forms.ModelChoiceField(label=_("名单类型"), queryset=ListType.objects.all())
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    ground = forms.CharField(
        label=_("列入情形代码"), max_length=8, required=False, help_text=_("经营异常名录：1-4。")
    )
    listed_on = forms.DateField(label=_("列入日期"), widget=DateInput)
    listing_authority = forms.CharField(label=_("作出列入决定机关"), max_length=200)
    listing_document = forms.CharField(label=_("列入决定书文号"), max_length=64)
    listing_reason = forms.CharField(label=_("列入原因"), widget=forms.Textarea(attrs={"rows": 3}))


class RemovalForm(forms.Form):
    """A removal decision for one entry."""

    removed_on = forms.DateField(label=_("移出日期"), widget=DateInput)
    removal_authority = forms.CharField(label=_("作出移出决定机关"), max_length=200)
    removal_document = forms.CharField(label=_("移出决定书文号"), max_length=64)
    removal_reason = forms.CharField(label=_("移出原因"), widget=forms.Textarea(attrs={"rows": 3}))


class EarlyRemovalForm(forms.Form):
    """An entity's application for early removal, recorded by staff."""

    applied_on = forms.DateField(label=_("申请日期"), widget=DateInput)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    decided_on = forms.DateField(label=_("决定日期"), widget=DateInput)
    document = forms.CharField(label=_("决定书文号"), max_length=64)
    note = forms.CharField(
        label=_("决定说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=_("驳回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CheckForm(forms.Form):
    """USCCs one per line (or separated by commas/spaces), and the business."""

    codes = forms.CharField(
        label=_("统一社会信用代码"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个，最多 1,000 个。"),
    )
    purpose = forms.CharField(
        label=_("办理业务"), max_length=200, help_text=_("例如：政府采购资格审查、许可审批。")
    )

    def clean_codes(self) -> list[str]:
        raw = self.cleaned_data["codes"].replace(",", "\n").replace("，", "\n").split()
        codes = [code for code in raw if code]
        if not codes:
            raise forms.ValidationError(_("请至少输入一个统一社会信用代码。"))
        if len(codes) > MAX_BATCH:
            raise forms.ValidationError(
                _("一次最多核查 %(max)d 个代码，本次输入了 %(n)d 个。")
                % {"max": MAX_BATCH, "n": len(codes)}
            )
        return codes


class FeedbackForm(forms.Form):
    """What the department applied for one entity and measure."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    measure = forms.ModelChoiceField(
        label=_("惩戒措施"), queryset=Measure.objects.filter(is_active=True), to_field_name="code"
    )
    business_context = forms.CharField(label=_("业务场景"), max_length=200)
    business_reference = forms.CharField(label=_("业务编号"), max_length=64, required=False)
    applied_on = forms.DateField(label=_("实施日期"), widget=DateInput, initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("结果"), choices=FeedbackOutcome.choices)
    reason = forms.CharField(
        label=_("不适用理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == FeedbackOutcome.NOT_APPLICABLE and not data.get("reason"):
            self.add_error("reason", _("结果为“不适用”时必须说明理由。"))
        return data
