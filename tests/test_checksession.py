"""``serve``'s in-memory re-check returns what ``check`` returns, re-loading only what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.check import CheckResult, check
from generator.checksession import CheckSession

UNITS = Path("content/units")


@pytest.fixture
def session(project: Path, tmp_path: Path) -> CheckSession:
    """A session as serve holds one, with the disk cache; its first check has run."""
    started = CheckSession(project, tmp_path / "cache")
    started.check()
    return started


def same_as_check(session: CheckSession, project: Path) -> CheckResult:
    """The session's result, after asserting it equals a fresh check's (problems and model)."""
    kept = session.check()
    fresh = check(project)
    assert kept.problems == fresh.problems
    assert kept.site == fresh.site
    if kept.site is not None and fresh.site is not None:  # figures the session kept from its last check
        assert kept.site.figures == fresh.site.figures
    return kept


def test_a_check_with_nothing_changed_loads_nothing(session: CheckSession, project: Path) -> None:
    result = same_as_check(session, project)
    assert result.ok and session.reloaded == []


def test_an_edited_unit_is_reloaded_alone(session: CheckSession, project: Path) -> None:
    members = project / UNITS / "hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("王芳", "王芳芳"), encoding="utf-8")
    result = same_as_check(session, project)
    assert session.reloaded == [project / UNITS / "hall"]
    assert result.site is not None and result.site.units["hall"].members[1].data.name == "王芳芳"


def test_an_error_and_its_fix_show_at_once(session: CheckSession, project: Path) -> None:
    unit = project / UNITS / "center/unit.yml"
    good = unit.read_text(encoding="utf-8")
    unit.write_text("name: [unclosed\n", encoding="utf-8")
    broken = same_as_check(session, project)
    assert broken.site is None and [p.code for p in broken.problems if p.level == "error"] == ["G101"]
    unit.write_text(good, encoding="utf-8")
    assert same_as_check(session, project).ok


def test_units_added_renamed_and_removed(session: CheckSession, project: Path) -> None:
    shutil.copytree(project / UNITS / "center", project / UNITS / "annex")
    added = same_as_check(session, project)
    assert added.site is not None and "annex" in added.site.units
    assert session.reloaded == [project / UNITS / "annex"]
    (project / UNITS / "annex").rename(project / UNITS / "annex-2")
    renamed = same_as_check(session, project)
    assert renamed.site is not None and "annex-2" in renamed.site.units and "annex" not in renamed.site.units
    shutil.rmtree(project / UNITS / "annex-2")
    (project / UNITS / "hall/grading.yml").write_text("grading: []\n", encoding="utf-8")  # a file added
    removed = same_as_check(session, project)
    assert removed.site is not None and list(removed.site.units) == ["center", "hall"]
    assert session.reloaded == [project / UNITS / "hall"]


def test_an_edit_of_site_config_reaches_every_unit(session: CheckSession, project: Path) -> None:
    """The privacy allow-list decides a unit's problems: a new list re-checks every unit's texts."""
    unit = project / UNITS / "hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "phrases:\n  - 服务热线 13800001111\n", encoding="utf-8")
    assert [p.code for p in same_as_check(session, project).problems] == ["G402"]
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "privacy:\n  public_numbers: ['138-0000-1111']\n",
                      encoding="utf-8")
    assert same_as_check(session, project).problems == []
    assert session.reloaded == [project / UNITS / "center", project / UNITS / "hall"]
    config.write_text(config.read_text(encoding="utf-8").replace("site:", "site:  ", 1), encoding="utf-8")
    same_as_check(session, project)
    assert session.reloaded == []  # the same allow-list: no unit depends on the rest of the settings file


def test_an_edit_through_a_symlink_is_seen(session: CheckSession, project: Path) -> None:
    members = project / UNITS / "hall/members.yml"
    elsewhere = project / "shared-members.yml"
    elsewhere.write_text(members.read_text(encoding="utf-8").replace("王芳", "王方"), encoding="utf-8")
    members.unlink()
    members.symlink_to(elsewhere)
    same_as_check(session, project)
    elsewhere.write_text(elsewhere.read_text(encoding="utf-8").replace("王方", "王放"), encoding="utf-8")
    assert same_as_check(session, project).site.units["hall"].members[1].data.name == "王放"  # type: ignore[union-attr]


def test_a_photo_added_or_removed_is_seen_without_an_edit(session: CheckSession, project: Path) -> None:
    """G304 depends on a file no YAML names a change of: the photo itself."""
    members = project / UNITS / "hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("    consent: true\n", "    photo: photos/li.jpg\n"
                                                                   "    consent: true\n", 1), encoding="utf-8")
    (project / UNITS / "hall/photos").mkdir()
    assert [p.code for p in same_as_check(session, project).problems] == ["G304"]
    shutil.copy(next(Path(__file__).parent.parent.glob("content/units/*/photos/*.jpg")),
                project / UNITS / "hall/photos/li.jpg")
    assert same_as_check(session, project).ok and session.reloaded == []
    (project / UNITS / "hall/photos/li.jpg").unlink()
    assert [p.code for p in same_as_check(session, project).problems] == ["G304"]


def test_a_period_removed_from_site_config_is_seen(session: CheckSession, project: Path) -> None:
    evaluations = project / UNITS / "hall/evaluations.yml"
    evaluations.write_text(evaluations.read_text(encoding="utf-8").replace("period: 2026h2", "period: 2026h1", 1),
                           encoding="utf-8")
    assert same_as_check(session, project).ok
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - id: 2026h1\n", "  - id: 2025h1\n"),
                      encoding="utf-8")
    assert [p.code for p in same_as_check(session, project).problems] == ["G301"]
    assert session.reloaded == []  # the units are kept; the checks against the periods run again


def test_figures_follow_an_edit_up_the_tree_and_the_rest_is_kept(session: CheckSession, project: Path) -> None:
    """serve keeps the model and its figures: an edited unit's figures and its parent's roll-up are
    new (the same as a fresh check's), an untouched unit is the very object of the check before."""
    shutil.copytree(project / UNITS / "center", project / UNITS / "annex")  # a unit of its own, left alone
    before = same_as_check(session, project).site
    assert before is not None and before.figures.rolled_up["center", before.period.id].kept == 1
    pledges = project / UNITS / "hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("outcome: 已兑现", "outcome: 未兑现"), encoding="utf-8")
    after = same_as_check(session, project).site
    assert after is not None
    assert after.figures.rolled_up["center", after.period.id].kept == 0
    assert after.figures.own["hall", after.period.id].not_kept == 1
    assert after.units["center"] is before.units["center"] and after.units["hall"] is not before.units["hall"]
    period = after.period.id
    assert after.figures.rolled_up["annex", period] is before.figures.rolled_up["annex", period]  # kept
    assert after.figures.own["center", period] is not before.figures.own["center", period]  # its subtree changed


def test_figures_follow_the_settings(session: CheckSession, project: Path) -> None:
    """A new target changes every unit's figures though no unit's files changed."""
    before = same_as_check(session, project).site
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "targets:\n  fulfilment: 0.5\n", encoding="utf-8")
    after = same_as_check(session, project).site
    assert before is not None and after is not None and session.reloaded == []
    period = after.period.id
    assert before.figures.own["hall", period].fulfilment.target == 0.9
    assert after.figures.own["hall", period].fulfilment.target == 0.5
    assert after.figures.rolled_up["center", period].fulfilment.target == 0.5
