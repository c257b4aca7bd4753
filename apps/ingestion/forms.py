"""Forms of the ingestion pages: upload, withdrawal and the row correction form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.catalogue.choices import FieldType
from apps.catalogue.models import Resource

#: Largest file accepted through the upload page.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class UploadForm(forms.Form):
    """Choose one of the resources the department supplies and a file (XLSX or CSV)."""

    resource = forms.ModelChoiceField(label=_("信息资源"), queryset=Resource.objects.none())
    file = forms.FileField(label=_("文件（XLSX 或 CSV）"))

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        if resources is not None:
            self.fields["resource"].queryset = resources

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 50 MB。"))
        return upload


class WithdrawForm(forms.Form):
    """Why a rejected row is withdrawn."""

    reason = forms.CharField(label=_("撤回理由"), max_length=500)


def correction_form_class(version) -> type[forms.Form]:
    """A form with one text field per catalogue field of ``version``, labelled in Chinese."""
    fields = {
        spec.code: forms.CharField(label=spec.name, required=False, max_length=2000)
        for spec in version.fields.order_by("order", "pk")
    }
    return type("CorrectionForm", (forms.Form,), fields)


class ChooseResourceForm(forms.Form):
    """Which resource a record is entered for (the resources the department supplies)."""

    resource = forms.ModelChoiceField(label=_("信息资源"), queryset=Resource.objects.none())

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        if resources is not None:
            self.fields["resource"].queryset = resources


def _form_field(spec) -> forms.Field:
    """One form field for one catalogue field spec: its type, code table and required mark."""
    help_parts = [spec.code]
    if spec.unit:
        help_parts.append(str(_("单位：{unit}")).format(unit=spec.unit))
    if spec.description:
        help_parts.append(spec.description)
    common = {
        "label": spec.name,
        "required": spec.required,
        "help_text": "；".join(help_parts),
    }
    if spec.data_type == FieldType.ENUM:
        choices = [("", "——")] + [
            (
                str(v.get("code")),
                f"{v.get('code')} {v.get('label')}".strip()
                if str(v.get("code")) != str(v.get("label"))
                else str(v.get("label")),
            )
            for v in spec.enum_values or []
        ]
        return forms.ChoiceField(choices=choices, **common)
    if spec.data_type == FieldType.BOOLEAN:
        return forms.ChoiceField(choices=[("", "——"), ("是", _("是")), ("否", _("否"))], **common)
    attrs: dict[str, str] = {}
    widget: forms.Widget
    if spec.data_type == FieldType.TEXT:
        widget = forms.Textarea(attrs={"rows": 3})
    elif spec.data_type == FieldType.DATE:
        widget = forms.DateInput(attrs={"type": "date"})
    else:
        if spec.data_type in (FieldType.INTEGER, FieldType.DECIMAL):
            attrs["inputmode"] = "decimal"
        elif spec.data_type == FieldType.DATETIME:
            attrs["placeholder"] = "2024-03-01 08:30:00"
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(max_length=spec.max_length or 5000, strip=True, widget=widget, **common)


def record_form_class(version) -> type[forms.Form]:
    """The entry form of a published catalogue version: one field per FieldSpec, in order.

    Django checks only presence and length; the catalogue validator judges the
    values (views add its problems next to each field).
    """
    fields = {spec.code: _form_field(spec) for spec in version.fields.order_by("order", "pk")}
    return type("RecordForm", (forms.Form,), fields)
