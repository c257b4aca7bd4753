"""Forms of the double-notification pages: task actions and the mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.organizations.models import Department

from .models import LicensingMatter


class ClaimForm(forms.Form):
    """Claim a task, with an optional handling note."""

    note = forms.CharField(label=_("办理说明"), max_length=500, required=False)


class ReturnForm(forms.Form):
    """Return a task: the reason is required (it goes to the provincial queue)."""

    reason = forms.CharField(
        label=_("退回原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("退回原因（reason）不能为空。")},
    )


class ReassignForm(forms.Form):
    """Send a queued task to a department."""

    department = forms.ModelChoiceField(
        label=_("分派给部门"), queryset=Department.objects.active().order_by("code")
    )


class CloseForm(forms.Form):
    """Close a queued task that needs no claim."""

    note = forms.CharField(
        label=_("办结说明"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("办结说明（note）不能为空。")},
    )


def parse_keyword_lines(text: str) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Parse keyword lines ``短语 !排除词 !排除词``; returns (keywords, errors naming the line)."""
    keywords: list[tuple[str, list[str]]] = []
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("!")]
        phrase, exclusions = parts[0], [p for p in parts[1:] if p]
        if not phrase:
            errors.append(str(_("第 %(n)d 行：缺少关键词（“!”之前的部分）。") % {"n": number}))
            continue
        too_long = [w for w in [phrase, *exclusions] if len(w) > 64]
        if too_long:
            errors.append(
                str(_("第 %(n)d 行：“%(w)s”超过 64 个字。") % {"n": number, "w": too_long[0]})
            )
            continue
        keywords.append((phrase, exclusions))
    return keywords, errors


class MatterForm(forms.ModelForm):
    """A licensing matter with its keywords (one per line) and industry-code prefixes."""

    keywords_text = forms.CharField(
        label=_("经营范围关键词"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个关键词；其后可用“!”列出排除词，如：食品销售 !仅销售预包装食品"),
    )
    industry_codes_text = forms.CharField(
        label=_("行业代码（前缀）"),
        required=False,
        help_text=_("GB/T 4754 行业代码或前缀，逗号分隔，如 C14, F5151"),
    )

    class Meta:
        model = LicensingMatter
        fields = [
            "code",
            "name",
            "legal_basis",
            "department_line",
            "approving_department_label",
            "approval_level",
            "valid_from",
            "valid_to",
            "is_active",
            "source_note",
            "sort_order",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["keywords_text"] = "\n".join(
                " !".join([k.phrase, *k.exclusions]) for k in self.instance.keywords.all()
            )
            self.initial["industry_codes_text"] = ", ".join(self.instance.industry_code_prefixes)

    def clean_keywords_text(self) -> list[tuple[str, list[str]]]:
        keywords, errors = parse_keyword_lines(self.cleaned_data.get("keywords_text", ""))
        if errors:
            raise forms.ValidationError(errors)
        return keywords

    def clean_industry_codes_text(self) -> list[str]:
        raw = self.cleaned_data.get("industry_codes_text", "")
        codes = [c.strip().upper() for c in raw.replace("，", ",").split(",") if c.strip()]
        bad = [c for c in codes if len(c) > 8 or not c.isalnum()]
        if bad:
            raise forms.ValidationError(
                _("行业代码“%(code)s”无效：应为不超过 8 位的字母数字。") % {"code": bad[0]}
            )
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] <= data["valid_from"]
        ):
            self.add_error("valid_to", _("失效日期应晚于生效日期。"))
        if not data.get("keywords_text") and not data.get("industry_codes_text"):
            self.add_error(
                "keywords_text", _("至少填写一个经营范围关键词或行业代码，否则该事项永远不会匹配。")
            )
        return data

    def matter_data(self) -> dict[str, Any]:
        """The model fields for :func:`apps.dual_notice.services.save_matter`."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["industry_code_prefixes"] = self.cleaned_data["industry_codes_text"]
        return data
