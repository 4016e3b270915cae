"""Staff edits: round trips keep every byte, each command changes only what it must, a bad edit writes nothing."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from generator.check import check
from generator.staff import edits, yamlio
from generator.staff.apply import apply_changes, describe

from .conftest import ROOT, run_cli
from .staff_support import copy_demo, snapshot

DEMO_FILES = [*sorted((ROOT / "content" / "units").glob("*/*.yml")), ROOT / "site_config.yml"]
DAY = dt.date(2026, 11, 18)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "demo")


@pytest.mark.parametrize("path", DEMO_FILES, ids=[p.relative_to(ROOT).as_posix() for p in DEMO_FILES])
def test_round_trip_of_every_demo_file_is_byte_identical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yamlio.dump(yamlio.load(path)) == text


def _diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def _apply(root: Path, changes: dict[Path, str]) -> None:
    outcome = apply_changes(root, changes)
    assert outcome.ok, "\n".join(describe(outcome, root))


def test_fulfil_changes_only_that_pledge(demo: Path) -> None:
    path = demo / "content/units/tax-hall/pledges.yml"
    before = path.read_text(encoding="utf-8")
    _apply(demo, edits.fulfil(demo, "tax-hall", "2026-deng-01", date=DAY, evidence="征管系统统计表"))
    assert _diff(before, path.read_text(encoding="utf-8")) == [
        "-    status: 履行中",
        "+    status: 已完成",
        "+    completed_on: 2026-11-18",
        "+      - date: 2026-11-18",
        "+        event: 承诺已完成",
        "+        evidence: 征管系统统计表",
    ]
    pledge = next(p for p in check(demo).site.units["tax-hall"].pledges if p.id == "2026-deng-01")  # type: ignore[union-attr]
    assert (pledge.data.status, pledge.data.completed_on) == ("已完成", DAY)


def test_fulfil_without_timeline_adds_one_after_the_dates(demo: Path) -> None:
    path = demo / "content/units/tax-hall/pledges.yml"
    _apply(demo, edits.fulfil(demo, "tax-hall", "2026-zhong-02", date=DAY, evidence="30问文稿",
                              outcome="已兑现", link="https://example.cn/30"))
    text = path.read_text(encoding="utf-8")
    block = text.split("  - id: '2026-zhong-02'")[1].split("  - id:")[0]
    keys = [line.strip().split(":")[0] for line in block.splitlines() if line.startswith("    ") and not line.startswith("     ")]
    assert keys == ["member", "kind", "form", "topic", "text", "target", "made", "due", "status", "outcome",
                    "completed_on", "timeline"]
    assert "        link: https://example.cn/30\n" in block


def test_progress_moves_a_published_pledge_to_in_progress(demo: Path) -> None:
    _apply(demo, edits.progress(demo, "power-office", "2026-org-02", date=DAY, event="物资到货，开工"))
    pledge = next(p for p in check(demo).site.units["power-office"].pledges if p.id == "2026-org-02")  # type: ignore[union-attr]
    assert pledge.data.status == "履行中"
    assert pledge.data.timeline[-1].event == "物资到货，开工"


def test_rate_needs_a_completed_pledge(demo: Path) -> None:
    with pytest.raises(yamlio.StaffError, match="G707"):
        edits.rate(demo, "tax-hall", "2026-deng-01", outcome="已兑现")
    _apply(demo, edits.rate(demo, "tax-hall", "2026-zhong-01", outcome="部分兑现"))
    pledge = next(p for p in check(demo).site.units["tax-hall"].pledges if p.id == "2026-zhong-01")  # type: ignore[union-attr]
    assert (pledge.data.status, pledge.data.outcome) == ("已评议", "部分兑现")


def test_withdraw_keeps_the_pledge_with_its_reason(demo: Path) -> None:
    _apply(demo, edits.withdraw(demo, "tax-hall", "2026-zhong-02", date=DAY, reason="市局统一编印，不再单独制作"))
    pledge = next(p for p in check(demo).site.units["tax-hall"].pledges if p.id == "2026-zhong-02")  # type: ignore[union-attr]
    assert pledge.data.status == "已撤回"
    assert pledge.data.withdrawn_reason == "市局统一编印，不再单独制作"


def test_close_rectification(demo: Path) -> None:
    path = demo / "content/units/tax-hall/rectifications.yml"
    before = path.read_text(encoding="utf-8")
    _apply(demo, edits.close(demo, "tax-hall", "zg-2026-02", date=DAY, result="每月第一个周六上午预约办税已试行"))
    assert _diff(before, path.read_text(encoding="utf-8")) == [
        "-    status: 未开始",
        "+    status: 已完成",
        "+    closed_on: 2026-11-18",
        "+    result: 每月第一个周六上午预约办税已试行",
    ]


def test_an_edit_that_fails_check_writes_nothing(demo: Path) -> None:
    before = snapshot(demo)
    outcome = apply_changes(demo, edits.fulfil(demo, "tax-hall", "2026-deng-01", date=DAY, evidence="x",
                                               link="ftp://not-a-web-link"))
    assert not outcome.ok
    lines = describe(outcome, demo)
    assert any(line.startswith("content/units/tax-hall/pledges.yml:") and "(G205)" in line for line in lines), lines
    assert lines[-1].startswith("修改后的内容未通过检查，没有写入任何文件（G703）")
    assert snapshot(demo) == before
    assert not list((demo / ".cache").glob("gongshi-staff-*"))  # the scratch copy is gone


def test_completion_before_the_pledge_was_made_is_refused(demo: Path) -> None:
    outcome = apply_changes(demo, edits.fulfil(demo, "tax-hall", "2026-zhong-02", date=dt.date(2026, 1, 1),
                                               evidence="x"))
    assert not outcome.ok
    assert any(p.code == "G305" for p in outcome.problems)


def test_unknown_ids_name_the_ones_there_are(demo: Path) -> None:
    with pytest.raises(yamlio.StaffError) as info:
        edits.fulfil(demo, "tax-hall", "2026-nobody-01", date=DAY, evidence="x")
    assert "2026-deng-01" in str(info.value) and "G702" in str(info.value)
    with pytest.raises(yamlio.StaffError, match="G701"):
        edits.close(demo, "no-such-unit", "zg-2026-01", date=DAY, result="x")


def test_trailing_comments_stay_with_what_follows() -> None:
    yaml_text = ("surveys:\n  - period: 'a'\n    counts:\n      满意: 1  # eol\n"
                 "  # 以下为成员明细\n\n# 党员互评\nreviews: []\n")
    doc = yamlio.rt_yaml().load(yaml_text)
    item = yamlio.parse_item("surveys", [yamlio.Row("period", "b", ""), yamlio.Row("channel", "评价器", "")])
    yamlio.append_item(doc, "surveys", item)
    assert yamlio.dump(doc) == ("surveys:\n  - period: 'a'\n    counts:\n      满意: 1  # eol\n"
                                "  - period: 'b'\n    channel: 评价器\n"
                                "  # 以下为成员明细\n\n# 党员互评\nreviews: []\n")


def test_cli_fulfil_prints_chinese_and_exit_codes(demo: Path) -> None:
    done = run_cli("--root", str(demo), "fulfil", "tax-hall", "2026-deng-01", "--evidence", "统计表", "--date", "2026-11-18")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已写入 content/units/tax-hall/pledges.yml" in done.stdout
    again = run_cli("--root", str(demo), "fulfil", "tax-hall", "2026-deng-01", "--evidence", "统计表")
    assert again.returncode == 1
    assert "已经是“已完成”" in again.stderr and "(G706)" not in again.stderr and "G706" in again.stderr
    bad_date = run_cli("--root", str(demo), "close", "tax-hall", "zg-2026-02", "--result", "x", "--date", "2026-02-30")
    assert bad_date.returncode == 1 and "格式不对" in bad_date.stderr
    for done in (again, bad_date):
        assert "Traceback" not in done.stdout + done.stderr


def test_an_edit_removes_what_a_killed_edit_left_behind(demo: Path) -> None:
    """A staff edit killed between writing its temporary file and the rename left `.pledges.yml.*.tmp`
    in the unit folder, unread by check and committed by the next `git add -A`; the next edit removes
    it. A temporary file too young to be a leftover (an edit under way) and other files stay."""
    import os

    folder = demo / "content/units/tax-hall"
    killed, running, other = folder / ".pledges.yml.k1ll3d.tmp", folder / ".pledges.yml.n0w.tmp", folder / ".x.tmp"
    for path in (killed, running, other):
        path.write_text("status: 履行中\n", encoding="utf-8")
    hour_ago = killed.stat().st_mtime - 3600
    os.utime(killed, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    _apply(demo, edits.fulfil(demo, "tax-hall", "2026-deng-01", date=DAY, evidence="征管系统统计表"))
    assert not killed.exists()
    assert running.exists() and other.exists()
