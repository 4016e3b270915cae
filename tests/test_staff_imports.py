"""``import-survey`` and ``import-reviews``: every bad row by number, nothing half-written."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from generator.check import check
from generator.staff import imports
from generator.staff.apply import apply_changes

from .conftest import ROOT, run_cli
from .staff_support import copy_demo, snapshot

DEVICE = ROOT / "docs/examples/survey-device.csv"
SUMMARY = ROOT / "docs/examples/survey-summary.csv"
REVIEWS = ROOT / "docs/examples/reviews.csv"
CARDS = {"QC-JY-0001": "fan-shumin", "QC-JY-0102": "zheng-haoyu", "QC-JY-0103": "tan-yaxuan", "QC-JY-0104": "liao-zixuan"}


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def _surveys(root: Path, unit: str, period: str, channel: str) -> dict[str | None, dict[str, int]]:
    site = check(root).site
    assert site is not None
    return {s.member: dict(s.counts) for s in site.units[unit].evaluations.surveys
            if s.period == period and s.channel == channel}


def _expected_from_device_log() -> dict[str | None, Counter[str]]:
    """The same sums, counted independently with the csv module."""
    totals: dict[str | None, Counter[str]] = {None: Counter()}
    for row in csv.DictReader(DEVICE.read_text(encoding="utf-8").splitlines()):
        totals[None][row["评价"]] += 1
        if row["工号"]:
            totals.setdefault(CARDS[row["工号"]], Counter())[row["评价"]] += 1
    return totals


def test_device_log_gives_unit_totals_and_per_member_breakdown(demo: Path) -> None:
    done = run_cli("--root", str(demo), "import-survey", str(DEVICE), "--unit", "edu-office", "--period", "2026h2")
    assert done.returncode == 0, done.stdout + done.stderr
    got = _surveys(demo, "edu-office", "2026h2", "评价器")
    expected = _expected_from_device_log()
    assert set(got) == set(expected)
    for who, counts in expected.items():
        assert got[who] == {a: counts[a] for a in ("满意", "基本满意", "不满意")}


def test_xlsx_and_gbk_csv_give_the_same_result_as_utf8_csv(demo: Path, tmp_path: Path) -> None:
    rows = list(csv.reader(DEVICE.read_text(encoding="utf-8").splitlines()))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评价明细"
    sheet.append(rows[0])
    for when, window, card, answer in rows[1:]:
        sheet.append([dt.datetime.fromisoformat(when), window, card, answer])
    book.save(tmp_path / "device.xlsx")
    gbk = tmp_path / "device-gbk.csv"
    gbk.write_bytes(DEVICE.read_text(encoding="utf-8").encode("gb18030"))
    site = check(demo).site
    assert site is not None
    results = []
    for path in (DEVICE, tmp_path / "device.xlsx", gbk):
        changes, _ = imports.import_survey(demo, site, path, unit_id="edu-office", period_id="2026h2", channel="评价器")
        results.append(next(iter(changes.values())))
    assert results[0] == results[1] == results[2]


def test_bad_rows_are_all_reported_by_row_and_nothing_is_written(demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("评价时间,工号,评价\n"
                   "2026-07-03 09:00:00,QC-JY-0001,满意\n"
                   "2026-07-03 09:05:00,QC-JY-9999,满意\n"
                   "2026-06-30 17:00:00,QC-JY-0001,满意\n"
                   "2026-07-04 10:00:00,,很好\n"
                   "2026-07-05 10:00:00,范淑敏,非常满意\n", encoding="utf-8")
    before = snapshot(demo)
    done = run_cli("--root", str(demo), "import-survey", str(bad), "--unit", "edu-office", "--period", "2026h2")
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "[error]" in line]
    assert [line.split(": [error] ")[0].rsplit(":", 2)[1:] for line in lines] == [["3", "2"], ["4", "1"], ["5", "3"]]
    assert "第 3 行“工号”列：找不到成员“QC-JY-9999”" in lines[0]
    assert "不在时段 2026h2（2026-07-01 至 2026-12-31）内" in lines[1]
    assert "第 5 行“评价”列：期望 非常满意、满意、基本满意、不满意、非常不满意 之一，实际为“很好”" in lines[2]
    assert all(line.endswith("(G705)") for line in lines)
    assert "没有写入任何文件" in done.stderr
    assert snapshot(demo) == before


def test_a_three_level_site_refuses_five_level_answers(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "five.csv"
    bad.write_text("成员编号,非常满意,满意,基本满意,不满意\nli-ming,3,10,1,0\n", encoding="utf-8")
    site = check(project).site
    assert site is not None and site.config.satisfaction.scale == "三级"
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_survey(project, site, bad, unit_id="hall", period_id="2026h1", channel="评价器")
    assert [p.format() for p in failed.value.problems] == [
        f"{bad}:2:2: [error] 第 2 行“非常满意”列：“非常满意”属于五级评价，但站点设置为三级（满意/基本满意/不满意） (G705)"]


def test_a_second_import_needs_replace_which_keeps_comments(demo: Path) -> None:
    path = demo / "content/units/tax-hall/evaluations.yml"
    summary = demo / "tax.csv"
    summary.write_text("时段,成员编号,满意,基本满意,不满意\n2026-07,yuan-qiuyue,500,5,0\n2026-08,yuan-qiuyue,540,6,1\n"
                       "2026-09,,2000,40,6\n", encoding="utf-8")
    site = check(demo).site
    assert site is not None
    with pytest.raises(imports.StaffError, match="--replace"):
        imports.import_survey(demo, site, summary, unit_id="tax-hall", period_id="2026h2", channel="评价器")
    before = path.read_text(encoding="utf-8")
    changes, _ = imports.import_survey(demo, site, summary, unit_id="tax-hall", period_id="2026h2", channel="评价器",
                                       replace=True)
    assert apply_changes(demo, changes).ok
    after = path.read_text(encoding="utf-8")
    assert after.count("  - period:") == before.count("  - period:")
    assert "  # 以下为评价器按人记录的明细（2026年上半年、下半年），只在成员页面显示\n" in after
    got = _surveys(demo, "tax-hall", "2026h2", "评价器")
    assert got[None] == {"满意": 3040, "基本满意": 51, "不满意": 7}
    assert got["yuan-qiuyue"] == {"满意": 1040, "基本满意": 11, "不满意": 1}
    assert got["zhong-kaiwen"] == {"满意": 871, "基本满意": 19, "不满意": 3}  # not in the file: left alone


def test_reviews_import(demo: Path) -> None:
    done = run_cli("--root", str(demo), "import-reviews", str(REVIEWS), "--unit", "edu-office", "--period", "2026h2")
    assert done.returncode == 0, done.stdout + done.stderr
    site = check(demo).site
    assert site is not None
    got = {(r.member, r.kind): (r.grade, r.score, r.summary) for r in site.units["edu-office"].evaluations.reviews
           if r.period == "2026h2"}
    assert got == {
        ("zheng-haoyu", "互评"): ("合格", 84, "整改有成效，秋季转学基本按时办结"),
        ("fan-shumin", "互评"): ("优秀", 93, "招生政策宣讲进乡镇，咨询零投诉"),
        ("tan-yaxuan", "互评"): ("合格", 86, None),
        ("liao-zixuan", "互评"): ("优秀", 91, "资助资金按时足额发放"),
    }
    again = run_cli("--root", str(demo), "import-reviews", str(REVIEWS), "--unit", "edu-office", "--period", "2026h2")
    assert again.returncode == 1 and "--replace" in again.stderr


def test_bad_review_rows(demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "reviews.csv"
    bad.write_text("姓名,等次,得分,类别\n范淑敏,优,90,互评\n范淑敏,合格,120,互评\n谭雅萱,合格,,他评\n", encoding="utf-8")
    site = check(demo).site
    assert site is not None
    with pytest.raises(imports.ImportFailed) as failed:
        imports.import_reviews(demo, site, bad, unit_id="edu-office", period_id="2026h2", kind="互评")
    messages = [p.message for p in sorted(failed.value.problems)]
    assert messages == [
        "第 2 行“等次”列：期望 优秀、合格、基本合格、不合格 之一，实际为“优”",
        "第 3 行“姓名”列：成员 fan-shumin 的互评在第 2 行已经有了",
        "第 3 行“得分”列：得分应是 0 到 100 之间的数，实际为“120”",
        "第 4 行“类别”列：期望 互评 或 自评，实际为“他评”",
    ]


def test_unreadable_files_are_explained(demo: Path, tmp_path: Path) -> None:
    site = check(demo).site
    assert site is not None
    cases = {"empty.csv": (b"", "G704"), "old.xls": (b"\xd0\xcf\x11\xe0", "G704"), "fake.xlsx": (b"not a zip", "G718"),
             "nocols.csv": ("日期,备注\n2026-07-01,好\n".encode(), "G704")}
    for name, (content, code) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(imports.StaffError, match=code):
            imports.import_survey(demo, site, tmp_path / name, unit_id="edu-office", period_id="2026h2", channel="评价器")
    with pytest.raises(imports.StaffError, match="可用：2025h2、2026h1、2026h2"):
        imports.import_survey(demo, site, DEVICE, unit_id="edu-office", period_id="2027h1", channel="评价器")
