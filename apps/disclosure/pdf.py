"""The PDF credit report of a public profile, generated locally (no network, no system fonts).

reportlab's built-in CID font ``STSong-Light`` (Adobe-GB1) renders Chinese
without embedding a font file; the viewer supplies the glyphs. The report
shows exactly what :func:`apps.disclosure.profile.build_profile` made public:
the same fields, masked the same way.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .profile import Profile, ShownField

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4
        ),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK"),
        "meta": ParagraphStyle(
            "meta", fontName=font, fontSize=8, leading=12, textColor=colors.grey, wordWrap="CJK"
        ),
    }


def _text(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def _field_table(fields: list[ShownField], style: ParagraphStyle) -> Table:
    rows = [[_text(f.label, style), _text(f.value, style)] for f in fields]
    table = Table(rows, colWidths=[45 * mm, 125 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b8c4")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef1f5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_profile_pdf(profile: Profile) -> bytes:
    """The PDF bytes of ``profile`` (A4, registration then one block per section)."""
    styles = _styles()
    buffer = io.BytesIO()
    enterprise = profile.enterprise
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=gettext("企业信用信息公示报告"),
        author=gettext("海南省企业信用信息公示平台"),
        subject=enterprise.uscc,
    )
    story: list = [
        _text(gettext("企业信用信息公示报告"), styles["title"]),
        _text(f"{enterprise.name}（{enterprise.uscc}）", styles["h2"]),
        _text(
            gettext("公示信息截至 %(day)s；报告生成于 %(time)s。")
            % {
                "day": profile.on.isoformat(),
                "time": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            },
            styles["meta"],
        ),
        _text(
            gettext("本报告内容与海南省企业信用信息公示平台公示页面一致，个人信息已按规定遮蔽。"),
            styles["meta"],
        ),
    ]
    if profile.badges:
        story.append(_text(gettext("现列入：") + "、".join(profile.badges), styles["body"]))
    story += [
        _text(gettext("基础信息（登记注册）"), styles["h2"]),
        _field_table(profile.registration, styles["body"]),
    ]
    for section in profile.sections:
        story.append(_text(section.name, styles["h2"]))
        if not section.records:
            story.append(_text(gettext("暂无信息。"), styles["body"]))
            continue
        for record in section.records:
            story.append(
                _text(
                    gettext("来源部门：%(department)s；决定日期：%(date)s")
                    % {"department": record.department, "date": record.decision_date.isoformat()},
                    styles["meta"],
                )
            )
            if record.fields:
                story.append(_field_table(record.fields, styles["body"]))
            story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return buffer.getvalue()
