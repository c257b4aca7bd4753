"""The English catalogue: complete, well-formed, compiled, and served by the pages.

The UI's source strings are Simplified Chinese; ``locale/en/LC_MESSAGES`` holds
the English translation (see docs/i18n.md). These tests read the ``.po`` with a
small parser of their own so that they need neither polib nor the gettext
tools, which a fresh machine may lack.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# printf-style named placeholders (Python and blocktranslate variables both
# end up as %(name)s in the catalogue) and str.format fields.
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%%|\{[A-Za-z_][A-Za-z0-9_]*\}")
# Translations that keep Chinese on purpose: the language's own name, so that
# a reader who switched to English by mistake can find the way back, and a
# help text whose example value is Chinese data.
CHINESE_KEPT_ON_PURPOSE = {"简体中文", "用英文逗号分隔，如 XK_WSH,行政许可决定书文号"}


@dataclass
class Entry:
    """One message of a .po file; ``msgstr`` has one item per plural form."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    """Parse a .po file into entries (header included, as the entry with an empty msgid)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which string a continuation line extends

    def finish() -> None:
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if current is None:
            current = Entry()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert target is not None, f"continuation line without a keyword: {raw!r}"
            _append(current, target, ast.literal_eval(line))
            continue
        match = re.fullmatch(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")", line)
        assert match, f"unparsable line in {path.name}: {raw!r}"
        keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
        if keyword.startswith("msgstr"):
            position = int(index) if index is not None else 0
            while len(current.msgstr) <= position:
                current.msgstr.append("")
            target = ("msgstr", position)
        else:
            setattr(current, keyword, "")
            target = (keyword, 0)
        _append(current, target, text)
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, position = target
    if name == "msgstr":
        entry.msgstr[position] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    """The messages of the English catalogue, header and obsolete entries left out."""
    parsed = parse_po(PO_PATH)
    assert parsed and parsed[0].msgid == "", "the catalogue must start with its header"
    return [entry for entry in parsed[1:] if not entry.obsolete]


def test_english_catalogue_and_its_compiled_form_are_committed():
    assert PO_PATH.is_file()
    assert MO_PATH.is_file()


def test_parser_reads_the_whole_catalogue(entries):
    # Guards the other tests against a parser that silently sees nothing.
    raw_count = len(re.findall(r"^msgid ", PO_PATH.read_text(encoding="utf-8"), flags=re.M))
    assert len(entries) == raw_count - 1  # minus the header
    assert len(entries) > 100


def test_header_declares_english_utf8_and_is_not_fuzzy():
    header = parse_po(PO_PATH)[0]
    assert "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_every_message_has_an_english_translation(entries):
    untranslated = [
        entry.msgid
        for entry in entries
        if not entry.msgstr or any(not text.strip() for text in entry.msgstr)
    ]
    assert untranslated == []


def test_no_message_is_fuzzy(entries):
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == []


def test_no_chinese_message_is_copied_into_its_translation(entries):
    copied = [
        entry.msgid
        for entry in entries
        if CJK.search(entry.msgid) and any(text == entry.msgid for text in entry.msgstr)
    ]
    assert copied == []


def test_translations_are_english_apart_from_deliberate_exceptions(entries):
    still_chinese = [
        entry.msgid
        for entry in entries
        if entry.msgid not in CHINESE_KEPT_ON_PURPOSE
        and any(CJK.search(text) for text in entry.msgstr)
    ]
    assert still_chinese == []


def test_translations_keep_every_placeholder(entries):
    # A lost or renamed %(name)s raises KeyError when the page is rendered.
    mismatched = []
    for entry in entries:
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for form, text in enumerate(entry.msgstr):
            found = sorted(PLACEHOLDER.findall(text))
            # The singular form of a plural message may leave out the count.
            if found != expected and not (
                entry.msgid_plural and form == 0 and set(found) <= set(expected)
            ):
                mismatched.append((entry.msgid, text))
    assert mismatched == []


def test_compiled_catalogue_answers_every_message_of_the_po(entries):
    """The committed .mo is as new as the .po: Django returns each msgstr for 'en'."""
    stale = []
    with translation.override("en"):
        for entry in entries:
            if entry.msgid_plural is not None:
                answers = [
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    for n in (1, 2)
                ]
                expected = entry.msgstr[:2]
            else:
                answers = [
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                ]
                expected = entry.msgstr[:1]
            if answers != expected:
                stale.append((entry.msgid, expected, answers))
    assert stale == []


def test_default_language_is_simplified_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("工作人员登录") == "工作人员登录"


def test_pages_stay_chinese_when_the_browser_asks_for_english(client):
    """Pages follow the switcher, not Accept-Language (Chinese by default, see PlatformLocaleMiddleware)."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "工作人员登录" in page


@pytest.mark.django_db
def test_the_api_follows_accept_language(client):
    response = client.get("/api/v1/uscc/9.13101127033980E+17/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"][0]["message"].startswith("The code is in scientific notation")


def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "工作人员登录" in page
    assert "Staff login" not in page


def test_language_switcher_turns_the_login_page_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "Staff login" in page
    assert "Log in" in page
