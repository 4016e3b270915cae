"""Golden pages: the bodies of a few pages of the minimal project, exactly as rendered.

Regenerate after an intended change with ``make golden`` (GOLDEN_UPDATE=1) and review
the diff of tests/golden/ like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.check import check
from generator.mkdocs_site import site_facts
from generator.web import plan_site
from generator.web.render import BodyRenderer

from .conftest import MINIMAL, ROOT

GOLDEN = ROOT / "tests" / "golden"
PAGES = {
    "home.html": "index.md",
    "units.html": "units/index.md",
    "unit-hall.html": "units/hall/index.md",
    "member-li-ming.html": "units/hall/members/li-ming/index.md",
    "pledges.html": "ledgers/pledges/index.md",
    "screen-hall.html": "units/hall/screen/index.md",
}


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    site = check(MINIMAL).site
    assert site is not None
    plan = plan_site(site)
    renderer = BodyRenderer(site_facts(site))
    by_path = {p.path: p for p in plan.pages}
    return {name: renderer.render(by_path[path]) for name, path in PAGES.items()}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_golden_page(bodies: dict[str, str], name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOLDEN_UPDATE") == "1":
        path.write_text(bodies[name], encoding="utf-8")
    assert path.read_text(encoding="utf-8") == bodies[name], f"{name} changed: review it, then run make golden"


def test_golden_folder_has_no_stale_files() -> None:
    assert sorted(p.name for p in Path(GOLDEN).glob("*.html")) == sorted(PAGES)


def test_long_lists_are_split_into_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """No page grows with the number of units: the unit tree and tables are paged."""
    from generator.web import overview

    monkeypatch.setattr(overview, "UNITS_PAGE", 1)
    monkeypatch.setattr(overview, "TABLE_PAGE", 1)
    site = check(MINIMAL).site
    assert site is not None
    pages = {p.path: p for p in plan_site(site).pages}
    assert {"units/index.md", "units/page/2/index.md"} <= set(pages)
    second = pages["units/page/2/index.md"]
    assert [u.id for u, _ in second.context.rows] == ["hall"]
    assert [n for n, _, current in second.context.pager if current] == [2]
    # the minimal project has two units, so the table of units by pledges has a second page holding the second
    by_unit = pages["ledgers/pledges/units/page/2/index.md"]
    assert [row[0][0].strip() for row in by_unit.context.rows] == [site.units["hall"].name]
    assert [n for n, _, current in by_unit.context.pager if current] == [2]
