"""The periodic report (通报): .docx read back with python-docx, PDF with pdftotext/pdffonts; build.py remind.

Figures are the demo's, hand-computed from its YAML (as of 2026-11-20, period 2026h2).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator import report_pdf
from generator.check import check
from generator.errors import GongshiError
from generator.model import Site
from generator.report import build_report
from generator.report_docx import report_docx

from .conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def demo() -> Site:
    result = check(ROOT)
    assert result.site is not None
    return result.site


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    done = run_cli("report", "--to", str(out))
    assert done.returncode == 0, done.stderr
    return out


def _tables(data: bytes) -> dict[str, list[list[str]]]:
    """The rows of each table of the .docx, keyed by its header cells joined with "|"."""
    document = Document(io.BytesIO(data))
    out = {}
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        out["|".join(rows[0])] = rows[1:]
    return out


def test_docx_has_headings_and_the_figures_against_targets(written: Path) -> None:
    data = (written / "report-2026h2.docx").read_bytes()
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "2026年下半年“三亮三比三评”工作通报"
    assert headings[1:] == ["一、主要数字与目标", "二、排行榜", "三、需要关注的单位", "四、各单位承诺兑现情况",
                            "五、整改落实情况", "六、晋位升级", "七、与上一时段相比"]
    figures = _tables(data)["指标|数值|分子 ÷ 分母|目标|对照目标|统计范围"]
    # site totals: 19 kept of 34 fallen due; 26,087 satisfied of 26,412 answers in 2026h2
    assert figures[0][:5] == ["践诺率", "55.9%", "已兑现 19 ÷ 已到期承诺 34", "90.0%", "未达标"]
    assert figures[1][1] == "98.8%" and "26087 ÷ 评价 26412" in figures[1][2]
    assert figures[0][5] == "2026 年度承诺，截至 2026-11-20"
    assert document.core_properties.author == "gongshi"
    heading = document.styles["Heading 2"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:eastAsiaTheme")) is None


def test_docx_lists_pledges_per_unit_rectifications_grading_and_changes(written: Path) -> None:
    tables = _tables((written / "report-2026h2.docx").read_bytes())
    pledges = {r[0]: r for r in tables["单位|公开承诺|已到期|已兑现|部分兑现|未兑现|践诺率|逾期（各年度）"]}
    # tax-hall's 2026 pledges: 11 in the file less one still 提出, one withdrawn and one of 2025
    assert pledges["县办税服务厅"][1:] == ["8", "5", "3", "1", "0", "60.0%（3/5）", "0"]
    rects = {r[0]: r for r in tables["单位|整改事项|本时段完成|未完成|其中超期"]}
    # county-hospital: closed 2026-07-15 and 2026-08-12 (both in 2026h2); one open past 2026-10-31
    assert rects["县医院门诊服务中心"][1:] == ["3", "2", "1", "1"]
    attention = {r[0]: r[1] for r in tables["单位|原因"]}
    assert "期内践诺率连续两个时段低于目标" in attention["不动产登记窗口"]
    changes = tables["时段|群众满意率|变化|期内践诺率|变化"]
    assert [r[0] for r in changes] == ["2025年下半年", "2026年上半年", "2026年下半年"]
    document = Document(io.BytesIO((written / "report-2026h2.docx").read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "“先进” 2 个，占 25.0%（2/8），上限 30.0%，未超过上限" in text  # 2025: tax-hall, zhengwu-center


def test_pdf_has_the_same_text_with_embedded_chinese_fonts(written: Path) -> None:
    pdf = written / "report-2026h2.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2026年下半年“三亮三比三评”工作通报" in text and "已兑现 19 ÷ 已到期承诺 34" in text
    assert "七、与上一时段相比" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Serif-CJK-SC" in fonts and all(" yes yes " in line for line in fonts.splitlines()[2:])


def test_report_is_byte_identical_for_the_same_content_and_date(demo: Site, written: Path, tmp_path: Path) -> None:
    assert report_docx(build_report(demo), demo.as_of) == (written / "report-2026h2.docx").read_bytes()
    # as a user runs it: a second run writes the same bytes (in this process the board tests may have
    # swapped WeasyPrint's font subsetting, so the PDF is compared between two runs of the command)
    done = run_cli("report", "--to", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("report-2026h2.docx", "report-2026h2.pdf"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_a_units_report_covers_its_subtree(demo: Site) -> None:
    data = build_report(demo, "2026h1", "zhengwu-center")
    assert data.title == "青川县政务服务中心2026年上半年“三亮三比三评”工作通报"
    buffer = report_docx(data, demo.as_of)
    pledges = _tables(buffer)["单位|公开承诺|已到期|已兑现|部分兑现|未兑现|践诺率|逾期（各年度）"]
    assert {r[0] for r in pledges} == {"县政务服务中心", "企业开办窗口", "不动产登记窗口", "社保医保窗口"}


def test_no_chinese_font_is_refused_with_a_clear_message(demo: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_pdf, "cjk_font_available", lambda: False)
    with pytest.raises(GongshiError, match="G752") as caught:
        report_pdf.report_pdf(build_report(demo), demo.as_of)
    assert "fonts-noto-cjk" in str(caught.value)


def test_unknown_unit_or_period_is_named_without_a_traceback(tmp_path: Path) -> None:
    done = run_cli("report", "--unit", "no-such-unit", "--to", str(tmp_path))
    assert done.returncode == 1 and "no-such-unit" in done.stderr and "G750" in done.stderr
    assert "Traceback" not in done.stderr and not list(tmp_path.iterdir())
    done = run_cli("report", "--period", "2030h1", "--to", str(tmp_path))
    assert done.returncode == 1 and "2030h1" in done.stderr and "G751" in done.stderr


def test_remind_prints_a_message_per_unit_grouped_by_maintainer(tmp_path: Path) -> None:
    done = run_cli("remind", "--days", "41", "--save", str(tmp_path / "reminders.xlsx"))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "===== 发给 @qc-tax-editor =====\n【青川县税务局办税服务厅】@qc-tax-editor" in out
    assert "9月底前实现存量房过户与水、电、气、网络过户“一窗联办”。（党组织；期限 2026-09-30，逾期 51 天" in out
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "reminders.xlsx")["到期提醒"]
    assert [c.value for c in sheet[1]][:2] == ["单位", "维护人"]
    assert (tmp_path / "reminders.csv").read_bytes().startswith("\ufeff单位,维护人".encode())
    done = run_cli("remind", "--days", "-3")
    assert done.returncode == 1 and "G754" in done.stderr
