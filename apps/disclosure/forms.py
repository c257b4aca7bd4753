"""Forms of the objection pages and the key administration page.

Attachments are checked by their content signature (magic bytes), not only by
the file name: a renamed executable is refused even when called ``x.pdf``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .models import ObjectionOutcome
from .services import AttachmentUpload

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_CONTENT_CHARS = 2000

# Signature -> (content type, extensions the file name may carry).
SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", ("pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", ("png",)),
    (b"\xff\xd8\xff", "image/jpeg", ("jpg", "jpeg")),
)

PHONE_PATTERN = re.compile(r"^\+?[\d\- ]{7,20}$")


def detect_attachment(name: str, head: bytes) -> str | None:
    """The content type when ``head`` carries a PDF/PNG/JPEG signature matching the extension."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for signature, content_type, extensions in SIGNATURES:
        if head.startswith(signature) and extension in extensions:
            return content_type
    return None


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field whose cleaned value is a list of uploads (possibly empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ObjectionForm(forms.Form):
    """What the public fills in to object to one record."""

    objector_name = forms.CharField(
        label=_("异议人姓名或名称"),
        max_length=100,
        help_text=_("本人姓名，或代表企业提出时填写企业名称。"),
    )
    objector_phone = forms.CharField(
        label=_("联系电话"),
        max_length=32,
        help_text=_("用于部门联系核实，也可用于查询处理进度；列表中只显示部分号码。"),
    )
    objector_email = forms.EmailField(
        label=_("电子邮箱"), required=False, help_text=_("选填；答复后将发送处理结果。")
    )
    content = forms.CharField(
        label=_("异议内容"),
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请说明哪一项信息有误、正确的内容是什么，以及依据。"),
    )
    attachments = MultipleFileField(
        label=_("证明材料"),
        required=False,
        help_text=_("最多 3 个文件，每个不超过 5 MB，仅限 PDF、JPG、PNG。"),
    )
    consent = forms.BooleanField(
        label=_("我确认所填信息真实，并同意部门为核实异议使用上述联系方式。"), required=True
    )

    def clean_objector_phone(self) -> str:
        phone = self.cleaned_data["objector_phone"].strip()
        if not PHONE_PATTERN.match(phone):
            raise ValidationError(
                _("联系电话：格式不正确，只能包含数字、空格、“-”和开头的“+”，7 至 20 位。"),
                code="phone",
            )
        return phone

    def clean_attachments(self) -> list[AttachmentUpload]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("证明材料：最多上传 %(max)d 个文件，本次选择了 %(count)d 个。"),
                params={"max": MAX_ATTACHMENTS, "count": len(files)},
                code="too_many",
            )
        uploads = []
        for upload in files:
            name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    _("证明材料“%(name)s”：文件大小超过 5 MB 的上限。"),
                    params={"name": name},
                    code="too_large",
                )
            content = upload.read()
            content_type = detect_attachment(name, content[:16])
            if content_type is None:
                raise ValidationError(
                    _("证明材料“%(name)s”：只接受 PDF、JPG、PNG 文件，且文件内容须与扩展名一致。"),
                    params={"name": name},
                    code="file_type",
                )
            uploads.append(AttachmentUpload(content=content, name=name, content_type=content_type))
        return uploads


class ObjectionLookupForm(forms.Form):
    """The objector's status look-up: reference plus verification code or phone."""

    reference = forms.CharField(label=_("受理编号"), max_length=32)
    code = forms.CharField(
        label=_("查询码或联系电话"),
        max_length=32,
        help_text=_("提交异议时显示的查询码，或提交时填写的联系电话。"),
    )


class ObjectionAnswerForm(forms.Form):
    """The department's answer."""

    outcome = forms.ChoiceField(
        label=_("处理结果"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("处理说明"),
        required=False,
        max_length=MAX_CONTENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("已更正：说明更正了什么；不予更正：必须说明理由。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("outcome") == ObjectionOutcome.REJECTED
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", _("处理说明：不予更正时必须说明理由。"))
        return data


class PortalKeyForm(forms.Form):
    """Issuing a public-API key to a heavy user."""

    name = forms.CharField(label=_("名称"), max_length=100)
    owner = forms.CharField(label=_("使用单位"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=64)
    contact_email = forms.EmailField(label=_("联系邮箱"))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    daily_quota = forms.IntegerField(
        label=_("每日配额（次）"), min_value=1, max_value=100_000_000, initial=100_000
    )
    per_minute = forms.IntegerField(
        label=_("每分钟限额（次）"), min_value=1, max_value=100_000, initial=600
    )
