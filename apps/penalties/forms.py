"""Forms of the penalty pages: revoke, correct, review, and the public repair application."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.catalogue.choices import Severity
from apps.core.uscc import normalize_code

from .choices import PenaltyKind
from .models import EVIDENCE_EXTENSIONS, MAX_EVIDENCE_BYTES

#: Content types accepted for evidence, by extension (checked with the file's first bytes).
EVIDENCE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


class ReasonForm(forms.Form):
    """A reason (revocation, review decision)."""

    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(ReasonForm):
    """Approve or reject a repair application, with the review opinion."""

    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("通过（提前结束公示）")), ("reject", _("不予通过"))],
        widget=forms.RadioSelect,
    )


class CorrectionForm(forms.Form):
    """The correctable content of a decision plus the staff severity and a reason."""

    decision_date = forms.DateField(label=_("处罚决定日期（CF_JDRQ）"))
    category = forms.ChoiceField(label=_("处罚类别（CF_CFLB）"), choices=PenaltyKind.choices)
    content = forms.CharField(
        label=_("处罚内容（CF_NR）"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    violation_type = forms.CharField(label=_("违法行为类型（CF_WFXW）"), max_length=2000)
    fine_amount = forms.DecimalField(
        label=_("罚款金额（万元）（CF_NR_FK）"), required=False, min_value=0, decimal_places=6
    )
    confiscated_amount = forms.DecimalField(
        label=_("没收金额（万元）（CF_NR_WFFF）"), required=False, min_value=0, decimal_places=6
    )
    severity_override = forms.ChoiceField(
        label=_("严重程度（留空则按规则认定）"),
        choices=[("", _("按规则认定")), *Severity.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("更正理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    FIELDS = (
        "decision_date",
        "category",
        "content",
        "violation_type",
        "fine_amount",
        "confiscated_amount",
        "severity_override",
    )

    def changes(self, penalty) -> dict:
        """Only the fields whose value differs from the stored decision."""
        return {
            name: self.cleaned_data[name]
            for name in self.FIELDS
            if self.cleaned_data[name] != getattr(penalty, name)
        }


class RepairApplicationForm(forms.Form):
    """The public credit-repair application: which decision, who applies, evidence."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    document_number = forms.CharField(label=_("行政处罚决定书文号"), max_length=128)
    applicant_name = forms.CharField(label=_("市场主体名称"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=64)
    contact_phone = forms.RegexField(
        label=_("联系电话"),
        max_length=32,
        regex=r"^[0-9+\-() ]{7,32}$",
        error_messages={"invalid": _("联系电话只能包含数字、空格和 + - ( )，至少 7 位。")},
    )
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False)
    statement = forms.CharField(
        label=_("履行情况说明及信用承诺"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说明已履行行政处罚、已消除不良影响，并承诺守法诚信经营。"),
    )
    evidence = forms.FileField(
        label=_("证明材料（PDF、JPG 或 PNG，不超过 10 MB）"),
        help_text=_("如罚款缴纳凭证、整改报告。"),
    )
    pledge = forms.BooleanField(label=_("本单位承诺所填信息及材料真实有效"))

    def clean_uscc(self) -> str:
        return normalize_code(self.cleaned_data["uscc"])

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(_("证明材料只接受 PDF、JPG 或 PNG 文件。"))
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("证明材料超过 10 MB。"))
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(EVIDENCE_SIGNATURES[extension]):
            raise forms.ValidationError(
                _("证明材料的内容与扩展名不符（应为真实的 PDF、JPG 或 PNG 文件）。")
            )
        return upload
