"""Hostile exports (#17): each ends with a clear message, exit 1, nothing written, memory bounded.

Every file here is small on disk (or sparse). The CLI runs in a subprocess whose
address space is capped with RLIMIT_AS, so reading a million padded rows or
inflating a zip bomb would end in MemoryError (a traceback) instead of passing.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import ROOT
from .staff_support import copy_demo, snapshot

LIMIT = 512 * 1024 * 1024  # a normal import of the demo needs under 256 MB of address space


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _import(demo: Path, file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(demo), "import-survey", str(file),
                           "--unit", "edu-office", "--period", "2026h2", *extra],
                          capture_output=True, text=True, timeout=900, preexec_fn=_capped)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("hostile") / "demo")


def _refused(demo: Path, file: Path, code: str, words: str, *extra: str) -> None:
    before = snapshot(demo)
    done = _import(demo, file, *extra)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
    assert f"({code})" in done.stderr or f"（{code}）" in done.stderr, done.stderr
    assert words in done.stderr, done.stderr
    assert snapshot(demo) == before


SHARED = (b'<Override PartName="/xl/sharedStrings.xml" '
          b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def _rezip(src: Path, dst: Path, replace: dict[str, bytes], extra: dict[str, object] | None = None) -> None:
    """``src`` with parts replaced or added (an added sharedStrings.xml is declared, so openpyxl reads it)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = replace.get(info.filename, old.read(info.filename))
            if info.filename == "[Content_Types].xml" and "xl/sharedStrings.xml" in (extra or {}):
                data = data.replace(b"</Types>", SHARED + b"</Types>")
            new.writestr(info.filename, data)
        for name, chunks in (extra or {}).items():
            with new.open(name, "w") as handle:
                for chunk in chunks:  # type: ignore[attr-defined]
                    handle.write(chunk)


def _small_book(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "满意", "基本满意", "不满意"])
    sheet.append(["QC-JY-0001", 10, 1, 0])
    book.save(path)


def test_a_dimension_reaching_xfd1048576_is_not_believed(demo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    _small_book(plain)
    with zipfile.ZipFile(plain) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    xml = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", "<dimension ref=\"A1:XFD1048576\"/>", xml)
    xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')
    assert "A1:XFD1048576" in xml
    hostile = tmp_path / "dimension.xlsx"
    _rezip(plain, hostile, {"xl/worksheets/sheet1.xml": xml.encode()})
    assert hostile.stat().st_size < 10_000
    demo_copy = copy_demo(tmp_path / "demo")
    done = _import(demo_copy, hostile, "--replace")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "单位整体：满意 10，基本满意 1；合计 11" in done.stdout


def test_a_run_of_empty_rows_ends_the_sheet_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("工号,满意\nQC-JY-0001,10\n" + "\n" * 1500 + "QC-JY-0102,99\n", encoding="utf-8")
    done = _import(copy_demo(tmp_path / "demo"), path, "--replace")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "单位整体：满意 10；合计 10" in done.stdout
    assert "第 2 行之后连续 1,000 行是空的，视为表格到此结束（再往下如果还有内容，没有读取）" in done.stdout


def test_a_zip_bomb_of_shared_strings_is_refused_before_inflating(demo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    _small_book(plain)
    hostile = tmp_path / "bomb.xlsx"
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    chunks = (b"".join(b"<si><t>%d-%d" % (k, j) + b"x" * 1000 + b"</t></si>" for j in range(1000)) for k in range(80))
    _rezip(plain, hostile, {}, {"xl/sharedStrings.xml": [head, *chunks, b"</sst>"]})
    assert hostile.stat().st_size < 1_000_000  # 77 MB inflated: the code before this test held 146 MB for it
    _refused(demo, hostile, "G717", "xl/sharedStrings.xml")


def test_a_row_wider_than_excel_allows_is_refused(demo: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    _small_book(plain)
    with zipfile.ZipFile(plain) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace("</sheetData>", '<row r="3">' + "<c/>" * 20_000 + "</row></sheetData>")
    hostile = tmp_path / "wide.xlsx"
    _rezip(plain, hostile, {"xl/worksheets/sheet1.xml": xml.encode()})
    _refused(demo, hostile, "G717", "超过 Excel 的上限")


def test_a_csv_line_of_megabytes_is_refused_without_reading_it_whole(demo: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "line.csv"
    with hostile.open("w", encoding="utf-8") as handle:
        handle.write("工号,满意\n")
        handle.write("满" * (3 * 1024 * 1024))
    _refused(demo, hostile, "G717", "第 2 行超过 1024 KB")


def test_a_100_mb_file_is_refused_by_its_size(demo: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "huge.csv"
    with hostile.open("wb") as handle:
        handle.write("工号,满意\n".encode())
        handle.truncate(100 * 1024 * 1024)  # sparse: nothing on disk
    _refused(demo, hostile, "G717", "超过 50 MB")


def test_more_rows_or_columns_than_the_caps(demo: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("工号,满意\n" + ",1\n" * 100_001, encoding="utf-8")
    _refused(demo, rows, "G717", "超过 100,000 行")
    wide = tmp_path / "wide.csv"
    wide.write_text("工号,满意" + ",x" * 250 + "\nQC-JY-0001,1\n", encoding="utf-8")
    _refused(demo, wide, "G717", "右边还有内容")


@pytest.mark.parametrize(("name", "content", "words", "code"), [
    ("zip.csv", b"PK\x03\x04" + b"\x00" * 40, "内容却是Excel 工作簿（.xlsx）。请把扩展名改为 .xlsx", "G718"),
    ("text.xlsx", "工号,满意\nQC-JY-0001,3\n".encode(), "内容却是文本（CSV）。请把扩展名改为 .csv", "G718"),
    ("page.xlsx", b"<html><table><tr><td>1</td></tr></table></html>", "内容却是网页（HTML）", "G718"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Excel 文件（.xls）", "G718"),
    ("empty.csv", b"", "是空的", "G704"),
    ("blank.csv", b"\n\n  \n", "是空的", "G704"),
    ("broken.xlsx", b"PK\x03\x04broken", "不是有效的 Excel 文件", "G704"),
])
def test_a_file_that_is_not_what_it_says(demo: Path, tmp_path: Path, name: str, content: bytes, words: str,
                                         code: str) -> None:
    (tmp_path / name).write_bytes(content)
    _refused(demo, tmp_path / name, code, words)


def test_nothing_is_left_behind(demo: Path) -> None:
    leftovers = [p for p in (demo / ".cache").glob("gongshi-staff-*")] if (demo / ".cache").is_dir() else []
    assert leftovers == []
    shutil.rmtree(demo / ".cache", ignore_errors=True)


def test_cells_held_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.staff import columns, tables

    monkeypatch.setattr(tables, "MAX_CELLS", 50)
    path = tmp_path / "t.csv"
    path.write_text("工号,满意,备注\n" + "QC-JY-0001,1,x\n" * 30, encoding="utf-8")
    with pytest.raises(tables.StaffError, match=r"到第 17 行已超过 50 个单元格.*G717"):
        tables.read_table(path, known=columns.known, useful=columns.useful)


def test_columns_no_import_reads_keep_only_that_they_were_filled(tmp_path: Path) -> None:
    from generator.staff import columns, tables

    path = tmp_path / "t.csv"
    path.write_text("工号,满意,评价内容\n" + "".join(f"QC-JY-0001,1,意见{i}\n" for i in range(20)) + "合计,20,\n",
                    encoding="utf-8")
    table = tables.read_table(path, known=columns.known, useful=columns.useful)
    assert {row["评价内容"] for _n, row in table.rows} == {tables.OTHER, None}
    assert table.rows[-1][1]["工号"] == "合计" and table.columns["评价内容"] in table.filled


# ---------------------------------------------------------------- unclosed quotes and uncached formulas


EXAMPLES = ROOT / "docs/examples"


def _edited(tmp_path: Path, example: str, old: str, new: str) -> Path:
    text = (EXAMPLES / example).read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / example
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_quote_left_open_to_the_end_of_the_file_is_refused_naming_its_row(demo: Path, tmp_path: Path) -> None:
    # on main: "跳过空行：第 5–18 行", 4 of 18 ratings imported (不满意 and 非常不满意 lost), exit 0
    path = _edited(tmp_path, "survey-haochaping-detail.csv", ",办理很快", ',"办理很快')
    _refused(demo, path, "G720", "第 5 行 F 列的引号没有配对", "--replace")
    monthly = _edited(tmp_path, "survey-device-monthly.csv", "2026-07,", '"2026-07,')
    _refused(demo, monthly, "G720", "第 2 行 A 列的引号没有配对", "--replace")


def test_a_quote_that_swallows_whole_rows_is_refused(demo: Path, tmp_path: Path) -> None:
    path = _edited(tmp_path, "survey-haochaping-detail.csv", ",办理很快", ',"办理很快')
    text = path.read_text(encoding="utf-8").replace(",开学前加班办理", ",开学前加班办理\"", 1)
    path.write_text(text, encoding="utf-8")
    _refused(demo, path, "G720", "第 5 行 F 列的引号", "--replace")


def test_a_comment_over_two_lines_is_still_read(tmp_path: Path) -> None:
    path = _edited(tmp_path, "survey-haochaping-detail.csv", ",材料要求没有一次讲清", ',"材料要求，\n没有一次讲清"')
    demo_copy = copy_demo(tmp_path / "demo")
    done = _import(demo_copy, path, "--channel", "好差评")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "非常满意 10，满意 4，基本满意 2，不满意 1，非常不满意 1；合计 18" in done.stdout
    bad = tmp_path / "bad.csv"  # rows after the two-line cell keep the numbers the spreadsheet shows
    bad.write_text(path.read_text(encoding="utf-8").replace(",不满意,", ",很不满意,"), encoding="utf-8")
    done = _import(demo_copy, bad, "--channel", "好差评", "--replace")
    assert done.returncode == 1 and "第 8 行“评价等级”列" in done.stdout, done.stdout + done.stderr


def test_a_formula_without_its_result_is_refused_naming_the_cell(demo: Path, tmp_path: Path) -> None:
    # on main: =100+5 counted as 0 with no warning (满意 200 instead of 305)
    path = tmp_path / "formula.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["工号", "满意", "基本满意", "不满意"], ["QC-JY-0001", 100, 2, 1], ["QC-JY-0103", 100, 3, 0],
                ["QC-JY-0001", "=100+5", 1, 0]):
        sheet.append(row)
    book.save(path)
    _refused(demo, path, "G721", "B4 是公式，但文件里没有保存计算结果", "--replace")
