"""Real export shapes (#10, #14): totals never imported, title rows, synonyms, periods from dates, channels."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from generator.check import check
from generator.staff import imports

from .conftest import ROOT, run_cli
from .staff_support import copy_demo, snapshot

EXAMPLES = ROOT / "docs/examples"
THREE = ("满意", "基本满意", "不满意")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def _surveys(root: Path, channel: str, unit: str = "edu-office") -> dict[tuple[str, str | None], dict[str, int]]:
    site = check(root).site
    assert site is not None
    return {(s.period, s.member): {k: v for k, v in s.counts.items() if v}
            for s in site.units[unit].evaluations.surveys if s.channel == channel}


def _run(demo: Path, file: Path, *extra: str) -> str:
    done = run_cli("--root", str(demo), "import-survey", str(file), "--unit", "edu-office", *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# ---------------------------------------------------------------- the shipped examples, against hand-made sums


def test_device_monthly_summary_with_a_total_row(demo: Path) -> None:
    out = _run(demo, EXAMPLES / "survey-device-monthly.csv")
    # 212+356+298+341, 9+12+10+8, 2+3+1+4: the 合计 row (1207, 39, 10) is checked, not added
    assert _surveys(demo, "评价器") == {("2026h2", None): {"满意": 1207, "基本满意": 39, "不满意": 10}}
    assert "第 6 行是合计行（“合计”），没有导入；与第 2–5 行之和相符" in out
    assert "E 列“合计”→ 每行合计（用来核对）" in out
    assert "单位整体：满意 1207，基本满意 39，不满意 10；合计 1256" in out


def test_haochaping_detail_one_rating_per_row(demo: Path) -> None:
    out = _run(demo, EXAMPLES / "survey-haochaping-detail.csv", "--channel", "好差评")
    # rows 1,2,4,6,8,10,13,14,17,18 非常满意; 3,9,11,15 满意; 5,16 基本满意; 7 不满意; 12 非常不满意
    assert _surveys(demo, "好差评") == {("2026h2", None): {"非常满意": 10, "满意": 4, "基本满意": 2, "不满意": 1,
                                                          "非常不满意": 1}}
    assert "明细格式：每行是一次评价，共 18 行，已汇总为各选项的票数" in out
    assert "E 列“评价等级”→ 评价（每行一次，汇总为票数）" in out
    assert "F 列“评价内容”→ 不导入" in out


def test_gbk_window_summary_with_a_spaced_total(demo: Path) -> None:
    out = _run(demo, EXAMPLES / "survey-window-gbk.csv", "--period", "2026h2")
    assert _surveys(demo, "评价器") == {
        ("2026h2", None): {"满意": 554, "基本满意": 21, "不满意": 4},  # 152+133+148+121, 6+5+6+4, 1+2+1+0
        ("2026h2", "fan-shumin"): {"满意": 152, "基本满意": 6, "不满意": 1},
        ("2026h2", "zheng-haoyu"): {"满意": 133, "基本满意": 5, "不满意": 2},
        ("2026h2", "tan-yaxuan"): {"满意": 148, "基本满意": 6, "不满意": 1},
        ("2026h2", "liao-zixuan"): {"满意": 121, "基本满意": 4},
    }
    assert "第 6 行是合计行（“合 计”），没有导入" in out
    assert "A 列“工作人员”→ 成员" in out


@pytest.mark.parametrize(("encoding", "separator"), [("utf-8-sig", ","), ("gb18030", ";"), ("utf-16", "\t")])
def test_every_text_encoding_excel_and_wps_save(demo: Path, tmp_path: Path, encoding: str, separator: str) -> None:
    text = (EXAMPLES / "survey-window-gbk.csv").read_bytes().decode("gbk").replace(",", separator)
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    _run(demo, path, "--period", "2026h2")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 554, "基本满意": 21, "不满意": 4}


def test_xlsx_with_title_rows_merged_header_subtotals_and_a_blank_row(demo: Path) -> None:
    out = _run(demo, EXAMPLES / "survey-title-rows.xlsx")
    assert _surveys(demo, "评价器") == {
        ("2026h2", None): {"满意": 394, "基本满意": 14, "不满意": 3},
        ("2026h2", "fan-shumin"): {"满意": 211, "基本满意": 9, "不满意": 1},  # 101+110, 4+5, 1+0
        ("2026h2", "zheng-haoyu"): {"满意": 183, "基本满意": 5, "不满意": 2},  # 88+95, 3+2, 0+2
    }
    assert "跳过第 1–2 行（表头上方的标题：“2026年下半年群众满意度评价统计表”、“单位：次”）" in out
    assert "第 3、4 行是两行表头（有合并单元格），已合并读取" in out
    assert "跳过空行：第 8 行" in out
    assert "第 7 行是合计行（“7月小计”），没有导入；与第 5–6 行之和相符" in out
    assert "第 12 行是合计行（“合计”），没有导入；与第 5–6、9–10 行之和相符" in out


def test_per_member_sheet_with_names_card_numbers_and_a_row_total_column(demo: Path) -> None:
    out = _run(demo, EXAMPLES / "survey-members.xlsx")
    got = _surveys(demo, "评价器")
    assert got[("2026h2", None)] == {"非常满意": 283, "满意": 90, "基本满意": 15, "不满意": 3, "非常不满意": 1}
    assert got[("2026h2", "fan-shumin")] == {"非常满意": 84, "满意": 23, "基本满意": 3, "不满意": 1}  # 40+44, 12+11, 2+1, 0+1
    assert got[("2026h2", "liao-zixuan")] == {"非常满意": 58, "满意": 21, "基本满意": 3, "不满意": 1, "非常不满意": 1}
    assert "B 列“员工姓名”→ 不导入（已按“工号”列找成员）" in out
    assert "J 列“满意率”→ 不导入（网站按票数自己算）" in out
    assert "第 10 行是合计行（“总计”），没有导入；与第 2–9 行之和相符" in out


# ---------------------------------------------------------------- totals (#10)


@pytest.mark.parametrize("label", ["合计", "小计", "总计", "合 计", "总 计", "合计：", "本月合计"])
def test_a_total_row_is_never_imported(demo: Path, tmp_path: Path, label: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"时段,工号,满意,基本满意,不满意\n2026-07,QC-JY-0001,50,2,1\n2026-08,QC-JY-0001,40,3,0\n"
                    f"{label},,90,5,1\n", encoding="utf-8")
    _run(demo, path)
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 90, "基本满意": 5, "不满意": 1}


def test_a_total_in_the_member_column(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("工作人员,满意,不满意\n范淑敏,50,1\n郑浩宇,40,0\n合计,90,1\n", encoding="utf-8")
    _run(demo, path, "--period", "2026h2")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 90, "不满意": 1}


def test_an_unlabelled_row_equal_to_the_rows_above_is_a_total(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("工号,满意,不满意\nQC-JY-0001,50,1\nQC-JY-0102,40,0\n,90,1\n", encoding="utf-8")
    out = _run(demo, path, "--period", "2026h2")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 90, "不满意": 1}
    assert "第 4 行是合计行（没有标签，但各列正好等于上面各行之和），没有导入" in out


def test_a_total_that_disagrees_stops_the_import_naming_row_and_sums(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("月份,满意,基本满意,不满意\n2026-07,50,2,1\n2026-08,40,3,0\n合计,99,5,1\n", encoding="utf-8")
    before = snapshot(demo)
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office")
    assert done.returncode == 1
    assert (f"{path}:4:2: [error] 第 4 行是合计行（“合计”）：表里写的是 满意 99，基本满意 5，不满意 1，"
            "第 2–3 行加起来是 满意 90，基本满意 5，不满意 1。") in done.stdout
    assert "(G715)" in done.stdout and snapshot(demo) == before
    assert "A 列“月份”→ 评价时间（对应时段）" in done.stdout  # how the file was read, to find the cause


def test_a_bad_member_does_not_also_make_the_total_look_wrong(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("工号,满意\nQC-JY-0001,5\nQC-JY-9999,4\n合计,9\n", encoding="utf-8")
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office", "--period", "2026h2")
    errors = [line for line in done.stdout.splitlines() if "[error]" in line]
    assert done.returncode == 1 and len(errors) == 1 and "找不到成员“QC-JY-9999”" in errors[0]


def test_a_row_total_column_that_disagrees(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("月份,满意,不满意,合计\n2026-07,50,1,51\n2026-08,40,0,41\n", encoding="utf-8")
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office")
    assert done.returncode == 1
    assert "第 3 行“合计”列：本行“合计”写的是 41，各选项加起来是 40" in done.stdout and "(G715)" in done.stdout


def test_a_detail_log_total_is_the_number_of_ratings(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("评价时间,评价\n2026-07-01,满意\n2026-07-02,不满意\n合计,3\n", encoding="utf-8")
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office")
    assert done.returncode == 1
    assert "表里写的是 评价次数 3，第 2–3 行加起来是 评价次数 2" in done.stdout


def test_a_detail_log_total_under_the_answer_column(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("评价时间,评价,次数\n2026-07-01,满意,\n2026-07-02,不满意,\n,合计：,2\n", encoding="utf-8")
    out = _run(demo, path)
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 1, "不满意": 1}
    assert "第 4 行是合计行（“合计：”），没有导入；与第 2–3 行之和相符" in out


WINDOWS = "窗口,满意,基本满意,不满意\n一号窗口,100,4,1\n二号窗口,200,6,2\n三号窗口,50,2,0\n"


@pytest.mark.parametrize("label", ["汇总", "累计", "全部窗口", "所有窗口", "总和", "汇 总：", "全部", "本期累计"])
def test_a_total_row_under_any_common_label_is_never_imported(demo: Path, tmp_path: Path, label: str) -> None:
    # on main 汇总 was imported as a fourth window: 满意 700 and "文件里没有合计行"
    path = tmp_path / "t.csv"
    path.write_text(WINDOWS + f"{label},350,12,3\n", encoding="utf-8")
    out = _run(demo, path, "--period", "2026h2")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 350, "基本满意": 12, "不满意": 3}
    assert "第 5 行是合计行（“" in out and "与第 2–4 行之和相符" in out


@pytest.mark.parametrize(("row", "label", "rows"), [
    ("全厅,350,12,3", "“窗口”列有内容", "第 2–4 行"),  # 窗口 is a column no import reads: only “not empty” is kept
    ("本季度,250,8,2", "“窗口”列有内容", "第 3–4 行"),
    ("2026-10,350,12,3", "“2026-10”", "第 2–4 行"),
    (",250,8,2", "没有标签", "第 3–4 行"),
])
def test_a_row_equal_to_rows_above_under_an_unknown_label_stops_the_import(demo: Path, tmp_path: Path, row: str,
                                                                           label: str, rows: str) -> None:
    path = tmp_path / "t.csv"
    text = WINDOWS + row + "\n"
    if "2026-10" in row:  # a month that equals the three before it
        for old, new in (("窗口,", "月份,"), ("一号窗口", "2026-07"), ("二号窗口", "2026-08"), ("三号窗口", "2026-09")):
            text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    before = snapshot(demo)
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office", "--period", "2026h2",
                   "--replace")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{path}:5:2: [error] 第 5 行（{label}）的各列正好等于{rows}之和" in done.stdout
    assert "(G722)" in done.stdout and snapshot(demo) == before


def test_a_member_s_month_equal_to_the_two_rows_above_is_data(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"  # 7,1,1 = 4,1,0 + 3,0,1: small daily or monthly counts add up by chance
    path.write_text("月份,工号,满意,基本满意,不满意\n2026-07,QC-JY-0001,5,1,0\n2026-07,QC-JY-0103,4,1,0\n"
                    "2026-08,QC-JY-0001,3,0,1\n2026-08,QC-JY-0103,7,1,1\n", encoding="utf-8")
    _run(demo, path, "--replace")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 19, "基本满意": 3, "不满意": 2}


def test_a_rating_is_data_whatever_the_opinion_beside_it_says(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"  # “材料已汇总” ends like a total's label, but the row holds a rating
    path.write_text("评价时间,评价,评价内容\n2026-07-01,满意,材料已汇总\n2026-07-02,不满意,\n", encoding="utf-8")
    _run(demo, path, "--replace")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 1, "不满意": 1}


def test_a_data_row_that_merely_looks_like_a_sum_of_one_column_is_data(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"  # 30 = 10 + 20 in the one column with votes: too weak a sign to stop for
    path.write_text("窗口,满意,不满意\n一号窗口,10,0\n二号窗口,20,0\n三号窗口,30,0\n", encoding="utf-8")
    _run(demo, path, "--period", "2026h2", "--replace")
    assert _surveys(demo, "评价器")[("2026h2", None)] == {"满意": 60}


# ---------------------------------------------------------------- headers and periods (#14)


def test_months_map_to_their_periods_without_period_flag(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("评价日期,评定等次\n2026-03-05,满意\n2026/6/30,基本满意\n2026-07-01,满意\n2026年8月,不满意\n",
                    encoding="utf-8")
    out = _run(demo, path)
    got = _surveys(demo, "评价器")
    assert got[("2026h1", None)] == {"满意": 1, "基本满意": 1}
    assert got[("2026h2", None)] == {"满意": 1, "不满意": 1}
    assert "2026h1（2026年上半年）" in out and "全部时段：满意 2，基本满意 1，不满意 1；合计 4" in out


def test_a_date_outside_every_period_is_named(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("月份,满意\n2024-03,5\n", encoding="utf-8")
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office")
    assert done.returncode == 1 and "第 2 行“月份”列：2024-03 不在 site_config.yml 的任何一个时段内" in done.stdout


def test_no_time_column_and_no_period_asks_for_one(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("工号,满意\nQC-JY-0001,5\n", encoding="utf-8")
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office")
    assert done.returncode == 1 and "请加 --period 指定" in done.stderr and "G707" in done.stderr


@pytest.mark.parametrize(("header", "letters"), [
    ("工号,满意,满意数,不满意", "B 列“满意”和C 列“满意数”"),
    ("工号,评价,评价等级", "B 列“评价”和C 列“评价等级”"),
    ("工号,评价,满意", "B 列“评价”和C 列“满意”"),
    ("工号,服务卡号,满意", "A 列“工号”和B 列“服务卡号”"),
])
def test_two_columns_that_could_be_the_same_thing_are_refused(demo: Path, tmp_path: Path, header: str,
                                                              letters: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(header + "\nQC-JY-0001,1,1,1\n", encoding="utf-8")
    done = run_cli("--root", str(demo), "import-survey", str(path), "--unit", "edu-office", "--period", "2026h2")
    assert done.returncode == 1 and letters in done.stderr and "G719" in done.stderr


def test_an_unknown_non_empty_column_is_named_not_dropped(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("工号,满意,受理渠道,空列\nQC-JY-0001,5,窗口,\n", encoding="utf-8")
    out = _run(demo, path, "--period", "2026h2")
    assert "注意：C 列“受理渠道”有内容，但没有导入（不认识这个列名）" in out
    assert "空列" not in out


def test_per_member_results_by_name(demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["员工姓名", "评价结果"], ["谭雅萱", "满意"], ["谭雅萱", "不满意"], ["廖子轩", "满意"]):
        sheet.append(row)
    book.save(path)
    _run(demo, path, "--period", "2026h2")
    got = _surveys(demo, "评价器")
    assert got[("2026h2", "tan-yaxuan")] == {"满意": 1, "不满意": 1} and got[("2026h2", "liao-zixuan")] == {"满意": 1}


# ---------------------------------------------------------------- channels (#14)


def _include_device_in_haochaping(root: Path) -> None:
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    assert "  channels_included: {}\n" in text
    config.write_text(text.replace("  channels_included: {}\n", "  channels_included:\n    好差评: [评价器]\n"),
                      encoding="utf-8")


def test_overlapping_channels_are_warned_by_check(demo: Path) -> None:
    _include_device_in_haochaping(demo)
    warnings = [p for p in check(demo).problems if p.code == "G716"]
    assert warnings and all(p.level == "warning" for p in warnings)
    first = min(warnings)
    assert first.path == "content/units/tax-hall/evaluations.yml" and first.line == 5
    assert "2025h2 的群众评议既有“好差评”又有“评价器”" in first.message


def test_importing_a_contained_channel_warns(demo: Path) -> None:
    _include_device_in_haochaping(demo)
    _run(demo, EXAMPLES / "survey-haochaping-detail.csv", "--channel", "好差评")
    out = _run(demo, EXAMPLES / "survey-device-monthly.csv")
    assert "[warning] 2026h2 的群众评议既有“好差评”又有“评价器”" in out and "(G716)" in out


def test_an_unknown_channel_is_refused(demo: Path) -> None:
    site = check(demo).site
    assert site is not None
    with pytest.raises(imports.StaffError, match="G707"):
        imports.import_survey(demo, site, EXAMPLES / "survey-device-monthly.csv", unit_id="edu-office",
                              period_id=None, channel="问卷")
