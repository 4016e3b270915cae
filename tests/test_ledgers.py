"""The office's ledgers as Excel and CSV, read back with openpyxl and csv; reminders.

Figures are checked against the demo's YAML by hand (as of 2026-11-20).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.check import check
from generator.model import Site
from generator.reminders import reminders
from generator.web.ledgerfiles import ledger_files, unit_workbook

from .conftest import ROOT


@pytest.fixture(scope="module")
def demo() -> Site:
    result = check(ROOT)
    assert result.site is not None
    return result.site


@pytest.fixture(scope="module")
def files(demo: Site) -> dict[str, bytes]:
    return ledger_files(demo)


def _book(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_the_site_workbook_has_one_sheet_per_ledger(files: dict[str, bytes]) -> None:
    book = _book(files["ledgers/gongshi-ledgers.xlsx"])
    assert book.sheetnames == ["承诺台账", "整改台账", "群众评议", "党员互评", "领导点评", "排行榜", "晋位升级", "到期提醒"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(sheet.column_dimensions[c.column_letter].width >= 6 for c in sheet[1])


def test_pledge_sheet_has_chinese_headers_dates_as_dates_and_the_demo_rows(files: dict[str, bytes]) -> None:
    sheet = _book(files["ledgers/pledges/pledges.xlsx"])["承诺台账"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == ["单位", "承诺人", "类别", "形式", "主题", "承诺内容"]
    rows = [dict(zip(headers, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    tax = [r for r in rows if r["单位"] == "县办税服务厅"]
    assert len(tax) == 10  # 11 in pledges.yml: the withdrawn one is listed, the one still 提出 is not public yet
    assert all(isinstance(r["完成期限"], dt.datetime) for r in rows)
    assert sheet["H2"].number_format == "yyyy-mm-dd"
    assert {r["形式"] for r in rows} >= {"个人承诺", "集体承诺"}
    late = [r for r in rows if r["逾期（截至 2026-11-20）"] == "是"]  # the column says as of when
    assert {r["单位"] for r in late} == {"县医院门诊服务中心", "供电营业厅", "不动产登记窗口"}


def test_rates_are_numbers_formatted_as_percentages_with_counts_beside(files: dict[str, bytes]) -> None:
    sheet = _book(files["ledgers/evaluations/surveys.xlsx"])["群众评议"]
    headers = [c.value for c in sheet[1]]
    assert headers == ["时段", "单位", "评议方式", "满意率", "满意数", "评价数", "目标", "对照目标"]
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}
    tax = rows["2026年上半年", "县办税服务厅"]
    # 评价器 4622+95 of 4733, 好差评 3550+401+37 of 3995
    assert (tax[4].value, tax[5].value) == (8705, 8728)
    assert tax[3].value == pytest.approx(8705 / 8728) and tax[3].number_format == "0.0%"
    assert tax[2].value == "好差评、评价器"
    assert tax[6].value == 0.95 and tax[6].number_format == "0.0%"


def test_rankings_sheet_gives_each_figure_its_place_and_change(files: dict[str, bytes]) -> None:
    sheet = _book(files["ledgers/rankings/rankings.xlsx"])["排行榜"]
    headers = [c.value for c in sheet[1]]
    assert headers[1] == "2026年下半年满意率（截至 2026-11-20）" and headers[6] == "2026年践诺率（截至 2026-11-20）"
    assert headers[2:4] == ["满意数", "评价数"] and headers[7:9] == ["已兑现", "践诺率分母"]  # every rate's counts
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "县办税服务厅")
    assert (row[2].value, row[3].value) == (7485, 7505)
    assert row[6].value == pytest.approx(3 / 5) and (row[7].value, row[8].value) == (3, 5)
    assert row[10].value == -40.0  # 2025: 1 of 1 kept
    assert row[11].value == 5 and row[12].value == 1


def test_percent_format_follows_the_decimals_setting(demo: Site) -> None:
    from generator.settings import FigureSettings

    zero = type(demo)(demo.config.model_copy(update={"figures": FigureSettings(percent_decimals=0)}),
                      demo.root, demo.as_of, demo.units, demo.roots)
    sheet = _book(ledger_files(zero)["ledgers/evaluations/surveys.xlsx"])["群众评议"]
    assert sheet["D2"].number_format == "0%"
    csv_rows = list(csv.reader(io.StringIO(ledger_files(zero)["ledgers/evaluations/surveys.csv"].decode("utf-8-sig"))))
    assert csv_rows[0][3] == "满意率" and csv_rows[1][3].endswith("%") and "." not in csv_rows[1][3]


def test_workbooks_are_byte_identical_for_the_same_content_and_date(demo: Site) -> None:
    first, second = ledger_files(demo), ledger_files(check(ROOT).site)  # type: ignore[arg-type]
    assert first == second
    book = _book(first["ledgers/gongshi-ledgers.xlsx"])
    assert book.properties.modified == dt.datetime(2026, 11, 20)
    assert book.properties.created == dt.datetime(2026, 11, 20)


def test_a_unit_workbook_holds_only_that_units_rows(demo: Site) -> None:
    data = unit_workbook(demo, demo.units["tax-hall"])["units/tax-hall/ledgers.xlsx"]
    book = _book(data)
    assert "排行榜" not in book.sheetnames and "承诺台账" in book.sheetnames
    units = {r[0].value for r in book["承诺台账"].iter_rows(min_row=2)}
    assert units == {"县办税服务厅"}


def test_csv_has_the_same_headers_and_defuses_formulas(project: Path) -> None:
    pledges = project / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("text: 全年办件零差错。", "text: '=1+1'"),
                       encoding="utf-8")
    site = check(project).site
    assert site is not None
    rows = list(csv.reader(io.StringIO(ledger_files(site)["ledgers/pledges/pledges.csv"].decode("utf-8-sig"))))
    assert rows[0][:3] == ["单位", "承诺人", "类别"]
    assert any(r[5] == "'=1+1" for r in rows[1:])


def test_reminders_list_overdue_and_soon_due_items_within_the_setting(demo: Site) -> None:
    soon = reminders(demo)  # reminders.days defaults to 14: 2026-11-20 .. 12-04, nothing falls due in it
    assert {i.item_id for items in soon.values() for i in items if not i.overdue} == set()
    overdue = {(u, i.kind, i.days_left) for u, items in soon.items() for i in items}
    assert ("county-hospital", "整改", -20) in overdue and ("zhengwu-estate-window", "承诺", -51) in overdue
    later = reminders(demo, days=41)  # the year-end pledges fall due on 2026-12-31, 41 days on
    assert any(i.days_left == 41 and i.kind == "承诺" for i in later["tax-hall"])


@pytest.fixture(scope="module")
def ledger_pages(demo: Site) -> dict[str, object]:
    from generator.web import plan_site

    return {p.path: p.context for p in plan_site(demo).pages if p.path.startswith("ledgers/")}


def test_pledge_ledger_filters_by_kind_form_year_and_links_units(ledger_pages: dict[str, object]) -> None:
    first = ledger_pages["ledgers/pledges/index.md"]
    labels = {label: path for label, path, _ in first.filters}  # type: ignore[attr-defined]
    assert {"年度承诺", "即时承诺", "个人承诺", "集体承诺", "2026年", "2025年", "按单位…"} <= set(labels)
    assert labels["逾期"] == "ledgers/pledges/1/"  # the older filters keep their paths
    form = ledger_pages[f"{labels['集体承诺']}index.md"]
    assert form.rows and all(p.data.form == "集体承诺" for p in form.rows)  # type: ignore[attr-defined]
    year = ledger_pages[f"{labels['2025年']}index.md"]
    assert year.rows and all(p.year == 2025 for p in year.rows)  # type: ignore[attr-defined]


def test_a_parent_units_ledger_holds_its_whole_subtree(demo: Site, ledger_pages: dict[str, object]) -> None:
    page = ledger_pages["ledgers/pledges/unit/zhengwu-center/index.md"]
    rows = page.rows  # type: ignore[attr-defined]
    subtree = {"zhengwu-center", "zhengwu-business-window", "zhengwu-estate-window", "zhengwu-social-window"}
    assert {p.unit_id for p in rows} == subtree
    assert len(rows) == sum(p.published for u in subtree for p in demo.units[u].pledges)
    index = ledger_pages["ledgers/pledges/units/index.md"]
    links = {cells[0][1] for cells in index.rows}  # type: ignore[attr-defined]
    assert "ledgers/pledges/unit/zhengwu-center/" in links and "units/tax-hall/#pledges" in links


def test_evaluations_ledger_covers_reviews_and_leader_comments(ledger_pages: dict[str, object]) -> None:
    reviews = ledger_pages["ledgers/evaluations/reviews/index.md"]
    assert reviews.columns == ("时段", "单位", "成员", "方式", "等次", "得分", "评语")  # type: ignore[attr-defined]
    assert any(cells[5][0] == "94" for cells in reviews.rows)  # type: ignore[attr-defined]
    comments = ledger_pages["ledgers/evaluations/comments/index.md"]
    first = comments.rows[0]  # type: ignore[attr-defined]
    assert first[0][0] == "2026-10-20" and first[3][0] == "葛建新（县供电公司党委书记）"  # newest first
    reminders_page = ledger_pages["ledgers/reminders/index.md"]
    assert ("ledgers/reminders/reminders.xlsx") in {p for _, p in reminders_page.downloads}  # type: ignore[attr-defined]


def test_a_rate_ranking_says_it_ranks_by_exact_ratios() -> None:
    """Two units can both print 99.2% yet rank 3rd and 4th: the note must not promise equal places for them."""
    from generator.web.rankings import ranking_pages

    site = check(ROOT).site
    assert site is not None
    intros = {page.title: page.context.intro for page in ranking_pages(site)}
    rate_intros = [text for title, text in intros.items() if "满意率" in title or "践诺率" in title]
    assert rate_intros and all("准确的比值" in text and "并列的名次相同" not in text for text in rate_intros)
