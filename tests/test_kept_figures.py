"""The command line keeps the figures of unchanged subtrees between runs (``.cache/check/figures.table``):
what it reads back must be what a fresh count gives, and only unchanged subtrees may be read back."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator import figures
from generator.check import check
from generator.model import Site
from generator.modelmemo import FIGURES
from generator.pipeline import Request, build

UNITS = Path("content/units")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The units whose figures a run counted (rather than read back)."""
    seen: list[str] = []
    count = figures.unit_counts

    def spy(site: Site, unit: figures.Unit, years: set[int]) -> dict[int, dict[str, int]]:
        seen.append(unit.id)
        return count(site, unit, years)

    monkeypatch.setattr(figures, "unit_counts", spy)
    return seen


def cli_check(project: Path, counted: list[str]) -> Site:
    """What ``build.py check`` runs (``counted``: the units it counted); the site, after asserting
    its figures equal a count without any cache."""
    counted.clear()
    built = build(Request(project))
    by_cli = list(counted)
    fresh = check(project)  # no cache: every unit counted
    counted[:] = by_cli
    assert built.checked.site is not None and fresh.site is not None
    assert built.figures == fresh.site.figures
    return built.checked.site


def test_after_an_edit_only_the_edited_unit_and_its_ancestors_are_counted(project: Path, counted: list[str]) -> None:
    shutil.copytree(project / UNITS / "center", project / UNITS / "annex")  # a unit of its own, left alone
    before = cli_check(project, counted)
    assert (project / ".cache/check" / FIGURES).is_file()
    pledges = project / UNITS / "hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("outcome: 已兑现", "outcome: 未兑现"), encoding="utf-8")
    after = cli_check(project, counted)
    assert sorted(counted) == ["center", "hall"]  # annex read back
    period = after.period.id
    assert before.figures.rolled_up["center", period].kept == 1 and after.figures.rolled_up["center", period].kept == 0
    assert after.figures.own["hall", period].not_kept == 1


def test_nothing_changed_nothing_counted(project: Path, counted: list[str]) -> None:
    cli_check(project, counted)
    cli_check(project, counted)
    assert counted == []


def test_new_settings_count_everything_again(project: Path, counted: list[str]) -> None:
    cli_check(project, counted)
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "targets:\n  fulfilment: 0.5\n", encoding="utf-8")
    after = cli_check(project, counted)
    assert sorted(counted) == ["center", "hall"] and after.figures.own["hall", after.period.id].fulfilment.target == 0.5


def test_a_damaged_file_is_counted_anew(project: Path, counted: list[str]) -> None:
    cli_check(project, counted)
    (project / ".cache/check" / FIGURES).write_bytes(b"\x80\x05not a pickle")
    cli_check(project, counted)
    assert sorted(counted) == ["center", "hall"]


def test_another_as_of_date_counts_everything_again(project: Path, counted: list[str]) -> None:
    """Overdue pledges and every "截至" date follow the as-of date: a table of another date is never read back."""
    cli_check(project, counted)
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2026-11-20", "as_of: 2026-12-31"),
                      encoding="utf-8")
    after = cli_check(project, counted)
    assert sorted(counted) == ["center", "hall"] and after.figures.own["hall", after.period.id].as_of == dt.date(2026, 12, 31)


def test_a_unit_moved_to_another_parent(project: Path, counted: list[str]) -> None:
    """Roll-ups follow the tree: the old and the new parent's subtree figures are those of a fresh count."""
    shutil.copytree(project / UNITS / "center", project / UNITS / "annex")
    before = cli_check(project, counted)
    unit = project / UNITS / "hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("parent: center", "parent: annex"), encoding="utf-8")
    after = cli_check(project, counted)  # equal to a fresh count, see cli_check
    period = after.period.id
    assert after.figures.rolled_up["annex", period] != before.figures.rolled_up["annex", period]
    assert sorted(counted) == ["annex", "center", "hall"]
