"""The written report of a sampling check for the provincial government: Excel and PDF.

Both files carry the same content: the check's scope and seed, a summary, the
per-department table (sampled, reviewed, accuracy, completeness, timeliness,
score, rank; "无数据" where a department had no records), a bar chart of the
scores, the ranking and the findings. The PDF uses reportlab's built-in CID font
STSong-Light, so no font file is shipped or downloaded.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone

from .models import SamplingCheck
from .services import DepartmentResult, sampling_results

NO_DATA = "无数据"


def report_title(check: SamplingCheck) -> str:
    """The report's title: the check's name followed by 报告."""
    return f"{check.title}报告" if check.title.endswith("抽查") else f"{check.title} 数据抽查报告"


HEADERS = [
    "排名",
    "部门代码",
    "部门",
    "记录总数",
    "抽样数",
    "已核查",
    "准确率（%）",
    "完整率（%）",
    "及时率（%）",
    "综合得分",
]


def _fmt(value: Decimal | None) -> str:
    return NO_DATA if value is None else f"{value:.2f}"


def _rows(results: list[DepartmentResult]) -> list[list[str]]:
    ordered = sorted(results, key=lambda r: (r.rank is None, r.rank or 0, r.department_code))
    return [
        [
            str(r.rank) if r.rank is not None else "—",
            r.department_code,
            r.department_name,
            str(r.population),
            str(r.sampled),
            str(r.reviewed),
            _fmt(r.accuracy),
            _fmt(r.completeness),
            _fmt(r.timeliness),
            _fmt(r.score),
        ]
        for r in ordered
    ]


def _summary(check: SamplingCheck, results: list[DepartmentResult]) -> list[tuple[str, str]]:
    with_data = [r for r in results if r.has_data]
    sampled = sum(r.sampled for r in results)
    reviewed = sum(r.reviewed for r in results)
    correct = sum(r.correct for r in results)
    accuracy = f"{Decimal(100) * correct / reviewed:.2f}%" if reviewed else NO_DATA
    return [
        ("抽查名称", check.title),
        ("抽查日期", f"{check.check_date:%Y-%m-%d}"),
        ("抽查范围（接收日期）", f"{check.period_start:%Y-%m-%d} 至 {check.check_date:%Y-%m-%d}"),
        ("随机种子", check.seed),
        ("每部门抽样数", str(check.sample_size)),
        ("参与部门", str(len(results))),
        ("有数据部门", str(len(with_data))),
        ("无数据部门", str(len(results) - len(with_data))),
        ("抽样记录", str(sampled)),
        ("已核查记录", str(reviewed)),
        ("总体准确率", accuracy),
        ("生成时间", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
    ]


def _findings(check: SamplingCheck, results: list[DepartmentResult]) -> list[str]:
    lines = [line for line in (check.findings or "").splitlines() if line.strip()]
    no_data = [r.department_name for r in results if not r.has_data]
    if no_data:
        shown = "、".join(no_data[:30]) + ("等" if len(no_data) > 30 else "")
        lines.append(f"{len(no_data)} 个部门在抽查范围内无报送记录（记为“无数据”）：{shown}。")
    low = [r for r in results if r.score is not None and r.score <= Decimal(90)]
    if low:
        names = "、".join(f"{r.department_name}（{r.score:.2f}）" for r in low)
        lines.append(f"综合得分不高于 90 分的部门：{names}。")
    pending = sum(r.sampled - r.reviewed for r in results)
    if pending:
        lines.append(f"尚有 {pending} 条抽样记录未核查，准确率按已核查记录计算。")
    return lines or ["未发现需要通报的问题。"]


def excel_report(check: SamplingCheck) -> bytes:
    """The report as an .xlsx workbook: summary, per-department table with a chart, findings."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    results = sampling_results(check)
    book = Workbook()
    sheet = book.active
    sheet.title = "抽查概况"
    sheet.append([report_title(check)])
    sheet["A1"].font = Font(bold=True, size=14)
    for key, value in _summary(check, results):
        sheet.append([key, value])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 50

    table = book.create_sheet("部门结果")
    table.append(HEADERS)
    for cell in table[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    rows = _rows(results)
    for row in rows:
        converted: list[object] = []
        for index, value in enumerate(row):
            if index in (0, 3, 4, 5) and value.isdigit():
                converted.append(int(value))
            elif index >= 6 and value != NO_DATA:
                converted.append(float(value))
            else:
                converted.append(value)
        table.append(converted)
    for column, width in zip("ABCDEFGHIJ", (6, 16, 30, 10, 8, 8, 12, 12, 12, 10), strict=True):
        table.column_dimensions[column].width = width
    if rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "各部门综合得分"
        chart.y_axis.title = "得分"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        data = Reference(table, min_col=10, min_row=1, max_row=len(rows) + 1)
        labels = Reference(table, min_col=3, min_row=2, max_row=len(rows) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.height = max(7.5, 0.6 * len(rows))
        chart.width = 18
        table.add_chart(chart, "L2")

    findings = book.create_sheet("主要问题")
    findings.append(["主要问题与建议"])
    findings["A1"].font = Font(bold=True)
    for line in _findings(check, results):
        findings.append([line])
    findings.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_report(check: SamplingCheck) -> bytes:
    """The report as a PDF (A4): title, summary, chart, ranking table and findings."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=18, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")

    results = sampling_results(check)
    rows = _rows(results)
    story: list = [Paragraph(report_title(check), title_style)]
    story.append(Paragraph("一、抽查概况", heading))
    summary = Table([[k, v] for k, v in _summary(check, results)], colWidths=[45 * mm, 120 * mm])
    summary.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f3f7")),
            ]
        )
    )
    story.append(summary)

    scored = [r for r in results if r.score is not None]
    if scored:
        story.append(Paragraph("二、各部门综合得分", heading))
        scored.sort(key=lambda r: (r.rank or 0, r.department_code))
        height = 30 + 14 * len(scored)
        drawing = Drawing(240 * mm, height)
        chart = HorizontalBarChart()
        chart.x = 70 * mm
        chart.y = 10
        chart.width = 160 * mm
        chart.height = height - 20
        chart.data = [[float(r.score) for r in reversed(scored)]]
        chart.categoryAxis.categoryNames = [r.department_name[:18] for r in reversed(scored)]
        chart.categoryAxis.labels.fontName = font
        chart.categoryAxis.labels.fontSize = 7
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = 100
        chart.valueAxis.labels.fontSize = 7
        chart.bars[0].fillColor = colors.HexColor("#2f6db5")
        drawing.add(chart)
        story.append(drawing)

    story.append(Paragraph("三、部门结果与排名", heading))
    table = Table([HEADERS, *rows], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
    ]
    for index, row in enumerate(rows, start=1):
        if row[-1] == NO_DATA:
            style.append(("TEXTCOLOR", (6, index), (-1, index), colors.HexColor("#888888")))
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(Paragraph("四、主要问题与建议", heading))
    for line in _findings(check, results):
        story.append(Paragraph(line, body))
    story.append(Spacer(1, 6 * mm))
    story.append(
        Paragraph(
            "说明：准确率 = 核查一致记录 ÷ 已核查记录；完整率 = 无完整性问题记录 ÷ 抽样记录；"
            "及时率 = 在报送时限内报送的记录 ÷ 抽样记录。无记录的部门标注“无数据”，不参与排名。"
            f"按随机种子 {check.seed} 可重现本次抽样。",
            body,
        )
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=report_title(check),
    )
    doc.build(story)
    return buffer.getvalue()
