"""Attachment limits of objections: count, size, and type by content signature."""

# ruff: noqa: F811  (fixtures are imported from objection_support and then requested)

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.disclosure.forms import MAX_ATTACHMENT_BYTES
from apps.disclosure.models import Objection, ObjectionAttachment

from .objection_support import PDF, PNG, _clean_cache, enterprise, penalty  # noqa: F401
from .test_objections import create_url, form_data

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16


def post(client, penalty, files):
    return client.post(create_url(penalty), {**form_data(), "attachments": files})


def test_pdf_jpeg_and_png_are_accepted(client, penalty):
    files = [
        SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("b.JPG", JPEG, "image/jpeg"),
        SimpleUploadedFile("c.png", PNG, "image/png"),
    ]
    assert post(client, penalty, files).status_code == 302
    stored = ObjectionAttachment.objects.order_by("pk")
    assert [a.content_type for a in stored] == ["application/pdf", "image/jpeg", "image/png"]
    # Stored under random names (32 hex digits and the type's extension), never the
    # uploaded one. (A substring check flaked: "...a.pdf" ends a random hex name one
    # time in sixteen.)
    names = [Path(a.file.name).name for a in stored]
    assert all(re.fullmatch(r"[0-9a-f]{32}\.(pdf|jpg|png)", name) for name in names)
    assert not {a.original_name for a in stored} & set(names)


def test_more_than_three_files_are_refused(client, penalty):
    files = [SimpleUploadedFile(f"{n}.pdf", PDF, "application/pdf") for n in range(4)]
    response = post(client, penalty, files)
    assert response.status_code == 200
    assert "最多上传 3 个文件" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_file_over_five_megabytes_is_refused(client, penalty):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf")
    response = post(client, penalty, [big])
    assert "超过 5 MB" in response.content.decode()
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.pdf", b"MZ\x90\x00 this is an executable"),  # right extension, wrong content
        ("scan.exe", PDF),  # right content, wrong extension
        ("photo.png", JPEG),  # a JPEG called .png
        ("page.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_whose_content_does_not_match_an_allowed_type_is_refused(
    client, penalty, name, content
):
    response = post(client, penalty, [SimpleUploadedFile(name, content, "application/pdf")])
    body = response.content.decode()
    assert "只接受 PDF、JPG、PNG 文件" in body and name in body
    assert not Objection.objects.exists()


def test_required_fields_and_phone_format_are_checked(client, penalty):
    response = client.post(create_url(penalty), form_data(objector_phone="abc", content=""))
    body = response.content.decode()
    assert "联系电话：格式不正确" in body
    assert not Objection.objects.exists()


def test_submissions_per_address_are_limited(client, penalty, monkeypatch):
    from apps.disclosure import views

    monkeypatch.setattr(views, "SUBMIT_LIMIT", (2, 3600))
    statuses = [client.post(create_url(penalty), form_data()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
