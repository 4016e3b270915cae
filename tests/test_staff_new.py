"""``build.py new …``: what it writes is commented, in the right place, and passes check at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.check import check
from generator.errors import report
from generator.schema import UNIT_FILES
from generator.staff import scaffold
from generator.staff.apply import apply_changes, describe

from .conftest import run_cli
from .staff_support import copy_demo, snapshot


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


def _cli(root: Path, *args: str) -> str:
    done = run_cli("--root", str(root), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查通过" in done.stdout
    return done.stdout


def test_a_whole_new_unit_built_with_commands_passes_check(demo: Path) -> None:
    _cli(demo, "new", "unit", "water-hall", "--name", "青川县自来水公司营业厅", "--kind", "营业厅",
         "--parent", "qingchuan-party", "--maintainer", "@qc-water-editor")
    folder = demo / "content/units/water-hall"
    assert sorted(p.name for p in folder.iterdir()) == sorted(UNIT_FILES)
    unit = (folder / "unit.yml").read_text(encoding="utf-8")
    assert unit.startswith("# yaml-language-server: $schema=../../../schema/unit.schema.json\n")
    assert "kind: 营业厅  # 单位类型：主管部门、行政服务中心、办事大厅、服务窗口、医院、学校、营业厅、其他\n" in unit
    assert "maintainers" not in unit  # the list is the office's (issue #14)
    assert "  water-hall: ['@qc-water-editor']\n" in (demo / "site_config.yml").read_text(encoding="utf-8")
    _cli(demo, "new", "member", "water-hall", "--id", "he-qing", "--name", "何清", "--post", "收费窗口",
         "--political-status", "中共党员", "--badge", "党员先锋岗", "--card-no", "QC-SW-0001", "--consent")
    _cli(demo, "new", "pledge", "water-hall", "--member", "he-qing", "--topic", "带头服务群众",
         "--text", "停水提前24小时短信通知到户", "--target", "通知到户率100%", "--made", "2026-11-01", "--due", "2026-12-31")
    _cli(demo, "new", "comment", "water-hall", "--leader", "李强", "--leader-title", "公司经理", "--kind", "现场点评",
         "--date", "2026-11-05", "--problems", "缴费高峰排队较长")
    _cli(demo, "new", "rectification", "water-hall", "--problem", "缴费高峰排队较长", "--source", "领导点评",
         "--ref", "2026-11-xc", "--measure", "高峰时段增开一个窗口", "--deadline", "2026-12-15",
         "--leader", "李强", "--person", "何清")
    result = check(demo)
    assert result.ok, report(result.problems)
    water = result.site.units["water-hall"]  # type: ignore[union-attr]
    assert [m.id for m in water.members] == ["he-qing"]
    assert [p.id for p in water.pledges] == ["2026-he-01"]
    assert [r.data.id for r in water.rectifications] == ["zg-2026-01"]
    pledges = (folder / "pledges.yml").read_text(encoding="utf-8")
    assert "  - id: '2026-he-01'  # 承诺编号（自动生成，本单位内不重复）\n" in pledges
    assert "    due: 2026-12-31  # 完成期限\n" in pledges
    assert "pledges: []" not in pledges


def test_new_pledge_numbers_itself_and_comments_every_line(demo: Path) -> None:
    values = {"member": "deng-weimin", "kind": "即时承诺", "form": "个人承诺", "topic": "带头服务群众",
              "text": "每月为行动不便的老年纳税人上门服务一次", "made": dt.date(2026, 11, 18),
              "due": dt.date(2026, 12, 31), "status": "已公开"}
    new_id, changes = scaffold.new_pledge(demo, "tax-hall", values)
    assert new_id == "2026-deng-02"
    outcome = apply_changes(demo, changes)
    assert outcome.ok, describe(outcome, demo)
    text = (demo / "content/units/tax-hall/pledges.yml").read_text(encoding="utf-8")
    added = text.split("  - id: '2026-deng-02'")[1].splitlines()[1:]
    assert all("  # " in line for line in added), added
    org_id, _ = scaffold.new_pledge(demo, "tax-hall", {**values, "member": None, "form": "集体承诺"})
    assert org_id == "2026-org-04"


def test_a_wrong_value_is_explained_and_nothing_is_written(demo: Path) -> None:
    before = snapshot(demo)
    done = run_cli("--root", str(demo), "new", "pledge", "tax-hall", "--topic", "乱写", "--text", "x",
                   "--due", "2026-12-31", "--made", "2026-11-01")
    assert done.returncode == 1
    assert "content/units/tax-hall/pledges.yml:167:5: [error]" in done.stdout
    assert "实际为 “乱写”" in done.stdout and "(G204)" in done.stdout
    assert "没有写入任何文件（G703）" in done.stdout
    assert snapshot(demo) == before


def test_duplicates_and_bad_ids_are_refused(demo: Path) -> None:
    for args, expected in [
        (["new", "unit", "tax-hall", "--name", "x", "--kind", "其他"], "G706"),
        (["new", "unit", "Tax Hall", "--name", "x", "--kind", "其他"], "G710"),
        (["new", "member", "tax-hall", "--id", "deng-weimin", "--name", "x", "--post", "x",
          "--political-status", "群众"], "G706"),
        (["new", "pledge", "tax-hall", "--member", "nobody", "--topic", "服务承诺", "--text", "x",
          "--due", "2026-12-31"], "G702"),
    ]:
        done = run_cli("--root", str(demo), *args)
        assert done.returncode == (2 if expected == "G710" else 1), args  # a malformed id is wrong usage
        assert expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_missing_arguments_are_a_usage_error_in_chinese(demo: Path) -> None:
    done = run_cli("--root", str(demo), "new", "pledge", "tax-hall", "--text", "x")
    assert done.returncode == 2
    assert "缺少参数" in done.stderr and "--topic" in done.stderr


def test_new_unit_with_a_maintainer_regenerates_codeowners(demo: Path) -> None:
    """Issue #14: a new maintainer counts only once CODEOWNERS names them."""
    first = _cli(demo, "new", "unit", "water-hall", "--name", "自来水营业厅", "--kind", "营业厅",
                 "--maintainer", "@qc-water-editor")
    assert "python build.py codeowners --office @组织部门账号 --write" in first  # no CODEOWNERS yet: say how
    assert not (demo / ".github/CODEOWNERS").exists()
    done = run_cli("--root", str(demo), "codeowners", "--office", "@qc-zzb/office", "--write")
    assert done.returncode == 0, done.stdout
    second = _cli(demo, "new", "unit", "gas-hall", "--name", "燃气营业厅", "--kind", "营业厅",
                  "--maintainer", "@qc-gas-editor")
    assert "已按新维护人重新生成 CODEOWNERS（组织部门账号沿用 @qc-zzb/office）" in second
    github = (demo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "/content/units/gas-hall/pledges.yml @qc-gas-editor" in github and "* @qc-zzb/office" in github
    assert "/content/units/gas-hall/unit.yml @qc-gas-editor" in github
    assert github.rstrip().endswith("/site_config.yml @qc-zzb/office")
    config = (demo / "site_config.yml").read_text(encoding="utf-8")
    assert "maintainers:\n  qingchuan-party: ['@qc-zzb-editor']\n" in config  # the list kept, comments too
    assert "  water-hall: ['@qc-water-editor']\n  gas-hall: ['@qc-gas-editor']\n" in config
    assert "# 各单位内容维护人" in config and "maintainers" not in (demo / "content/units/gas-hall/unit.yml").read_text(
        encoding="utf-8")
    assert run_cli("--root", str(demo), "codeowners", "--office", "@qc-zzb/office", "--check").returncode == 0
