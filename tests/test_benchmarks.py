"""Smoke test of the benchmark's content generator (no timing: speed is measured by benchmarks/run.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import check

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def make(tmp_path: Path, name: str, units: int = 3, seed: int = 1) -> Path:
    out = tmp_path / name
    done = subprocess.run([sys.executable, str(BENCH / "make_content.py"), "--units", str(units), "--out", str(out),
                           "--seed", str(seed)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("bench"), "p3")


def test_generated_project_passes_check(project: Path) -> None:
    result = check(project)
    errors = [p for p in result.problems if p.level == "error"]
    assert errors == [], errors[:5]
    assert result.site is not None
    assert len(result.site.units) == 3
    assert len(result.site.config.periods) == 4
    members = sum(len(u.members) for u in result.site.units.values())
    pledges = sum(len(u.pledges) for u in result.site.units.values())
    assert 3 * 6 <= members <= 3 * 24
    assert 2 * members <= pledges <= 5 * members


def test_tree_and_evaluations(project: Path) -> None:
    site = check(project).site
    assert site is not None
    assert site.roots == ("sheng",)
    assert all(u.parent == "sheng" or u.parent is None or u.parent in site.units for u in site.units.values())
    unit = next(iter(site.units.values()))
    assert {s.period for s in unit.evaluations.surveys} == {p.id for p in site.config.periods}
    assert unit.evaluations.reviews and unit.evaluations.comments and unit.rectifications


def test_deterministic_by_seed(tmp_path: Path, project: Path) -> None:
    again = make(tmp_path, "again")
    other = make(tmp_path, "other", seed=2)
    files = sorted(p.relative_to(project) for p in project.rglob("*.yml"))
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.yml"))
    assert all((project / f).read_bytes() == (again / f).read_bytes() for f in files)
    assert any((project / f).read_bytes() != (other / f).read_bytes() for f in files if (other / f).exists())


def test_no_personal_data_patterns(project: Path) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in project.rglob("*.yml"))
    digits = re.sub(r"(?<=[0-9])[\s\-.]+(?=[0-9])", "", text)
    assert not re.search(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])", digits)
    assert not re.search(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])", digits)
    assert not list(project.rglob("*.jpg"))


def test_competitor_pages_match(project: Path, tmp_path: Path) -> None:
    """The Markdown for plain Material and Hugo: the same pages, once each."""
    sys.path.insert(0, str(BENCH))
    try:
        import pages
    finally:
        sys.path.remove(str(BENCH))
    data = pages.load(project)
    material = pages.write_material(data, tmp_path / "material")
    hugo = pages.write_hugo(data, tmp_path / "hugo")
    assert material == hugo == len(list((tmp_path / "material" / "docs").rglob("*.md")))
    assert (tmp_path / "material" / "mkdocs.yml").read_text(encoding="utf-8").count("nav") == 0
    assert (tmp_path / "hugo" / "layouts" / "_default" / "baseof.html").exists()
