"""Version stamps change exactly when what a board prints changes."""

from __future__ import annotations

from pathlib import Path

from generator.check import check
from generator.stamps import member_stamp, unit_stamp


def stamps(root: Path) -> tuple[str, str]:
    site = check(root).site
    assert site is not None
    hall = site.units["hall"]
    return unit_stamp(site, hall), member_stamp(site, hall, hall.member("li-ming"))  # type: ignore[arg-type]


def edit(root: Path, old: str, new: str) -> None:
    path = root / "content/units/hall/pledges.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_status_change_keeps_the_stamp(project: Path) -> None:
    before = stamps(project)
    edit(project, "status: 履行中", "status: 已完成\n    completed_on: 2026-11-01")
    assert stamps(project) == before


def test_text_change_changes_the_stamps(project: Path) -> None:
    before = stamps(project)
    edit(project, "全年办件零差错。", "全年办件零差错，限时办结。")
    after = stamps(project)
    assert after[0] != before[0] and after[1] != before[1]


def test_org_pledge_change_leaves_member_stamp(project: Path) -> None:
    before = stamps(project)
    edit(project, "即办件当场办结。", "即办件当场办结，承诺件提速一半。")
    after = stamps(project)
    assert after[0] != before[0] and after[1] == before[1]
