"""``build.py check``: every bad input gets its exact message at its exact line.

Each file in tests/cases/ is one bad input: its first line names the file it
replaces in the minimal project, and its ``# expect:`` lines (at the end, so line
numbers are not shifted) are the errors check must print, no more and no fewer.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import check
from generator.errors import report

from .conftest import ROOT, run_cli

CASES = sorted((ROOT / "tests" / "cases").glob("*.yml"))


def _case(case: Path) -> tuple[str, list[str]]:
    raw = case.read_bytes()
    target = raw.split(b"\n", 1)[0].decode().split("file:")[1].strip()
    expected = [
        line.split(b"# expect: ", 1)[1].decode()
        for line in raw.splitlines()
        if line.startswith(b"# expect: ")
    ]
    return target, expected


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input_gives_exact_message(project: Path, case: Path) -> None:
    target, expected = _case(case)
    assert expected, f"{case.name} has no # expect: line"
    (project / target).write_bytes(case.read_bytes())
    result = check(project)
    errors = [p.format() for p in sorted(result.problems) if p.level == "error"]
    assert errors == expected
    assert result.site is None


def test_minimal_project_passes(project: Path) -> None:
    result = check(project)
    assert result.ok, report(result.problems)
    assert result.site is not None
    assert list(result.site.units) == ["center", "hall"]


def test_cli_exit_status_and_no_traceback(project: Path) -> None:
    (project / "content/units/hall/unit.yml").write_text("name: [unclosed\n", encoding="utf-8")
    done = run_cli("--root", str(project), "check")
    assert done.returncode == 1
    assert "content/units/hall/unit.yml:2:1: [error] YAML 语法错误" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_every_problem_is_reported_together(project: Path) -> None:
    (project / "content/units/hall/members.yml").write_text(
        "members:\n  - id: A\n    name: 李明\n    post: 窗口\n    political_status: 党员\n", encoding="utf-8"
    )
    (project / "content/units/center/unit.yml").write_text("name: 中心\nkind: 大厅\n", encoding="utf-8")
    result = check(project)
    codes = sorted(p.code for p in result.problems if p.level == "error")
    assert codes == ["G204", "G204", "G205"]


WINDOW_PLEDGES = """pledges:
  - id: w1
    member: nobody
    kind: 年度承诺
    topic: 服务承诺
    text: 当场办结。
    made: 2026-03-01
    due: 2026-02-01
    status: 已撤回
"""


def test_one_run_reports_every_unit_whatever_is_broken_elsewhere(project: Path) -> None:
    """A YAML syntax error, a schema error and a privacy error hide none of the cross-file checks."""
    units = project / "content/units"
    (units / "center/unit.yml").write_text("name: 中心\nkind: [行政服务中心\n", encoding="utf-8")  # G101
    hall = units / "hall"
    (hall / "members.yml").write_text(  # schema error (G204) and an ID card number (G401)
        "members:\n  - id: li-ming\n    name: 李明\n    post: 窗口 110101199003074514\n"
        "    political_status: 党员\n", encoding="utf-8")
    pledges = hall / "pledges.yml"  # loads fine: its own rules still run, its member references do not
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("status: 履行中", "status: 已撤回"),
                       encoding="utf-8")
    window = units / "window"  # every file of this unit is fine on its own; the errors are across files
    window.mkdir()
    (window / "unit.yml").write_text("name: 窗口\nkind: 服务窗口\nparent: hall\nservices:\n  - id: a\n"
                                     "    name: 开票\n    legal_limit: 即办\n    promised_limit: 2\n",
                                     encoding="utf-8")
    (window / "pledges.yml").write_text(WINDOW_PLEDGES, encoding="utf-8")
    (window / "evaluations.yml").write_text(
        "surveys:\n  - period: 2030h1\n    channel: 问卷调查\n    counts:\n      满意: 1\n", encoding="utf-8")
    result = check(project)
    found = sorted((p.path, p.line, p.code) for p in result.problems if p.level == "error")
    assert found == [
        ("content/units/center/unit.yml", 3, "G101"),
        ("content/units/hall/members.yml", 4, "G401"),
        ("content/units/hall/members.yml", 5, "G204"),
        ("content/units/hall/pledges.yml", 19, "G209"),  # withdrawn without a reason
        ("content/units/window/evaluations.yml", 2, "G301"),  # unknown period
        ("content/units/window/pledges.yml", 3, "G301"),  # unknown member
        ("content/units/window/pledges.yml", 8, "G305"),  # due before made
        ("content/units/window/pledges.yml", 9, "G209"),  # withdrawn without a reason
        ("content/units/window/unit.yml", 8, "G215"),  # promised slower than the law
    ]
    assert result.site is None


def test_github_annotations(project: Path) -> None:
    (project / "content/units/center/unit.yml").write_text("name: 中心\nkind: 大厅\n", encoding="utf-8")
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    done = run_cli("--root", str(project), "check", env=env)
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=content/units/center/unit.yml,line=2,col=1::“单位类型”")


def test_json_format_lists_problems(project: Path) -> None:
    (project / "content/units/center/unit.yml").write_text("name: 中心\nkind: 大厅\n", encoding="utf-8")
    done = run_cli("--root", str(project), "check", "--format", "json")
    assert '"code": "G204"' in done.stdout
    assert '"line": 2' in done.stdout


def test_warnings_do_not_fail(project: Path) -> None:
    pledges = project / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("due: 2026-12-31\n    status: 履行中",
                                                                      "due: 2026-10-31\n    status: 履行中"),
                       encoding="utf-8")
    done = run_cli("--root", str(project), "check")
    assert done.returncode == 0, done.stdout
    assert "[warning] 承诺“p2”已逾期：期限 2026-10-31，截至 2026-11-20 仍为“履行中”" in done.stdout
    assert "检查通过：0 个错误，1 个警告。" in done.stdout


def test_unconsented_member_warns_and_is_not_public(project: Path) -> None:
    members = project / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("consent: true", "consent: false", 1),
                       encoding="utf-8")
    result = check(project)
    assert result.ok and result.site
    assert [p.code for p in result.problems] == ["G404", "G406"]  # she is also named responsible for a fix: shown as （未公开）
    hall = result.site.units["hall"]
    assert [m.id for m in hall.public_members] == ["wang-fang"]
    assert not hall.pledges[0].published  # li-ming's pledge is not shown without consent


def test_public_numbers_allowlist(project: Path) -> None:
    unit = project / "content/units/hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "phrases:\n  - 服务热线 13800001111\n", encoding="utf-8")
    assert [p.code for p in check(project).problems] == ["G402"]
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "privacy:\n  public_numbers: ['138-0000-1111']\n",
                      encoding="utf-8")
    assert check(project).problems == []


def test_masked_mobile_passes(project: Path) -> None:
    unit = project / "content/units/hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "phrases:\n  - 联系 138****1234\n", encoding="utf-8")
    assert check(project).problems == []


def test_oversized_file(project: Path) -> None:
    unit = project / "content/units/hall/unit.yml"
    unit.write_text("name: 测试\nkind: 办事大厅\ndescription: '" + "长" * 800_000 + "'\n", encoding="utf-8")
    [problem] = check(project).problems
    assert problem.code == "G107"


def test_bad_unit_folder_name(project: Path) -> None:
    (project / "content/units/center").rename(project / "content/units/Center Hall")
    codes = [p.code for p in check(project).problems if p.level == "error"]
    assert "G306" in codes


def test_unknown_file_in_unit_folder_warns(project: Path) -> None:
    (project / "content/units/hall/member.yml").write_text("members: []\n", encoding="utf-8")
    [problem] = check(project).problems
    assert (problem.code, problem.level, problem.path) == ("G202", "warning", "content/units/hall/member.yml")


def test_cache_gives_the_same_result_and_sees_edits(project: Path) -> None:
    cache = project / ".cache" / "check"
    (project / "content/units/hall/unit.yml").write_text("name: 办税厅\nkind: 大厅\n", encoding="utf-8")
    fresh = check(project)
    first = check(project, cache)
    again = check(project, cache)  # read back from the cache
    assert [p.format() for p in first.problems] == [p.format() for p in fresh.problems]
    assert [p.format() for p in again.problems] == [p.format() for p in fresh.problems]
    kept = sorted(cache.glob("*.pickle"))
    assert kept
    (project / "content/units/hall/unit.yml").write_text("name: 办税厅\nkind: 办事大厅\n", encoding="utf-8")
    fixed = check(project, cache)
    assert fixed.ok and fixed.site is not None
    assert fixed.site.units["hall"].name == "办税厅"
    # the result for the old version of the edited folder is gone; one entry per unit folder remains
    assert len(list(cache.glob("*.pickle"))) == len(kept) and sorted(cache.glob("*.pickle")) != kept


def test_parallel_loading_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large trees are loaded on both cores; the problems and the model must not change."""
    import generator.unitload as unitload

    sequential = check(ROOT)
    monkeypatch.setattr(unitload, "PARALLEL_FROM", 1)
    parallel = check(ROOT)
    assert [p.format() for p in parallel.problems] == [p.format() for p in sequential.problems]
    assert parallel.site is not None and sequential.site is not None
    assert list(parallel.site.units) == list(sequential.site.units)
    assert parallel.site.units["tax-hall"].pledges == sequential.site.units["tax-hall"].pledges


def test_a_broken_site_config_hides_only_the_checks_that_need_it(project: Path) -> None:
    (project / "site_config.yml").write_text("site: [\n", encoding="utf-8")
    (project / "content/units/hall/pledges.yml").write_text(WINDOW_PLEDGES, encoding="utf-8")
    result = check(project)
    found = sorted((p.path, p.code) for p in result.problems if p.level == "error")
    assert found == [("content/units/hall/pledges.yml", "G209"), ("content/units/hall/pledges.yml", "G301"),
                     ("content/units/hall/pledges.yml", "G305"), ("site_config.yml", "G101")]


def test_unit_folder_without_unit_yml_is_reported(project: Path) -> None:
    (project / "content/units/center/unit.yml").unlink()
    result = check(project)
    assert [(p.path, p.code) for p in result.problems if p.level == "error"] == [
        ("content/units/center/unit.yml", "G113")]


@pytest.mark.parametrize(("path", "message"), [
    ("content/units/a/unit.yml", "名称\r::error file=other.yml::x"),
    ("content/units/a/unit.yml", "名称\n::error file=other.yml,line=1::x"),
    ("content/units/a,line=99,title=x/unit.yml", "普通消息"),
    ("content/units/a:b/unit.yml\r\n::warning file=z.yml::y", "百分号 100% 与 %0A 字样"),
])
def test_github_annotation_cannot_be_forged(path: str, message: str) -> None:
    """A value or path from content cannot start a second workflow command or change properties."""
    from generator.errors import error

    line = error(path, 3, 5, "G205", message).format_github()
    assert "\r" not in line and "\n" not in line
    head, _, data = line.partition("::")[2].partition("::")
    props = dict(p.split("=", 1) for p in head.removeprefix("error ").split(","))
    assert list(props) == ["file", "line", "col"] and props["line"] == "3" and props["col"] == "5"
    unescape = {"%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ",", "%25": "%"}
    decoded = re.sub("%(0D|0A|3A|2C|25)", lambda m: unescape[m.group(0)], props["file"])
    assert decoded == path
    assert re.sub("%(0D|0A|25)", lambda m: unescape[m.group(0)], data) == f"{message} (G205)"


def test_github_annotation_shows_escape_sequences_as_text() -> None:
    """An ESC in a key would recolour or erase lines of the Actions log; it is shown as \\x1b instead."""
    from generator.errors import error

    line = error("content/units/a\x1b[2K/unit.yml", 1, 1, "G202", "未知字段“x\x1b[31m\x07”").format_github()
    assert not re.search("[\x00-\x1f\x7f-\x9f]", line)
    assert "x\\x1b[31m\\x07" in line and "a\\x1b[2K" in line


def test_github_format_of_a_hostile_key_stays_one_annotation(project: Path) -> None:
    unit = project / "content/units/hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + '"x\\r::error file=other.yml,line=1::forged": 1\n',
                    encoding="utf-8")
    done = run_cli("--root", str(project), "check", "--format", "github")
    assert done.returncode == 1
    *annotations, summary = done.stdout.splitlines()  # splitlines() also splits at a bare CR
    assert summary.startswith("检查未通过")
    assert annotations and all(a.startswith("::error file=content/units/hall/unit.yml,line=") for a in annotations)


def test_control_character_in_a_key_is_named_escaped(project: Path) -> None:
    unit = project / "content/units/hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + '"note\\x01\\x1b": 1\n', encoding="utf-8")
    problems = [p for p in check(project).problems if p.code == "G210"]
    assert [p.message.split("。")[0] for p in problems] == ["键名“note\\x01\\x1b”含有控制字符 U+0001（共 2 个）"]
    shown = report(check(project).problems, "text")
    assert "\x01" not in shown and "\x1b" not in shown and "note\\x01\\x1b" in shown


def test_an_emptied_optional_field_is_absent(project: Path) -> None:
    """Issue #14: the web editor writes ``""`` when a clerk clears an optional field or a date."""
    pledges = project / "content/units/hall/pledges.yml"
    text = pledges.read_text(encoding="utf-8").replace("    status: 履行中\n", "    status: 履行中\n"
                                                       '    member: ""\n    completed_on: ""\n    target: ""\n'
                                                       "    timeline:\n      - date: 2026-02-01\n"
                                                       '        event: 开始\n        link: ""\n')
    pledges.write_text(text, encoding="utf-8")
    result = check(project)
    assert result.ok, report(result.problems)
    assert result.site is not None
    p2 = next(p for p in result.site.units["hall"].pledges if p.id == "p2")
    assert p2.owner is None and p2.data.completed_on is None and p2.data.timeline[0].link is None


def test_an_emptied_required_field_is_still_an_error(project: Path) -> None:
    pledges = project / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("made: 2026-01-05", 'made: ""', 1), encoding="utf-8")
    errors = [p.format() for p in check(project).problems if p.level == "error"]
    assert errors == ["content/units/hall/pledges.yml:7:5: [error] “提出日期”（made） 期望日期，写成 2026-01-31，"
                      "实际为 空（没有填写）。 (G206)"]


@pytest.mark.parametrize("command", ["check", "site"])
def test_problems_reach_a_console_that_is_not_utf8(project: Path, command: str) -> None:
    """Redirected output on a Chinese Windows machine is GBK, which has no emoji: every problem is still printed."""
    pledges = project / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("due: 2026-12-31", "due: 2026-12-31😀", 1),
                       encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), command],
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "gbk"}, timeout=600, check=False)
    out = (done.stdout + done.stderr).decode("gbk")
    assert done.returncode == 1
    assert "content/units/hall/pledges.yml:8:5: [error]" in out and "(G206)" in out and "\\U0001f600" in out, out
    assert "G601" not in out


@pytest.mark.parametrize(("raw", "shown"), [(b"\x01", "U+0001"), (b"\x7f", "U+007F"), (b"\x1b[31m", "U+001B")])
def test_a_raw_control_byte_is_named_at_its_line_in_chinese(project: Path, raw: bytes, shown: str) -> None:
    """Typed as a byte, not as a \\x01 escape: the YAML reader refuses it before parsing (was line 1:1, English)."""
    unit = project / "content/units/hall/unit.yml"
    unit.write_bytes(unit.read_bytes().replace("kind: 办事大厅".encode(), "kind: 办事".encode() + raw + "大厅".encode()))
    problems = [p for p in check(project).problems if p.level == "error"]
    assert [p.format() for p in problems] == [
        f"content/units/hall/unit.yml:4:9: [error] 第 4 行第 9 列有控制字符 {shown}：它看不见，YAML 文件里不允许直接出现，"
        "也会使订阅源 feed.xml 等文件无法读取。请删除这个字符（常随从其他软件复制的文字带入） (G210)"]
