"""Forms of the ingestion pages: upload, withdrawal and the row correction form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
