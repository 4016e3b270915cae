"""The incremental build's keys keep their promise: a group whose key is unchanged shows the same bytes.

The pages that summarise every unit (home, the unit list, ledgers, rankings …) are keyed without
the units' profiles (``generator.web.keys.PROFILE``: opening hours, services, address …), so an edit
of a unit's hours re-renders its own pages, open data and search only. Here every profile field of
every unit of the demo gets another value, as an edit of every unit.yml would give it; every group
whose key stayed the same must render the same page bodies and files as before.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from generator import schema
from generator.check import check
from generator.model import Site
from generator.web import plan_site
from generator.web.keys import PROFILE
from generator.web.nav import site_facts
from generator.web.plan import SitePlan
from generator.web.render import BodyRenderer

from .conftest import ROOT

CHANGED = {
    "description": "另一段**简介**。", "address": "另一条路 1 号", "postcode": "999999", "hours": "每天 0:00—24:00",
    "phone": "0839-7654321", "supervision_phone": "0839-1234567",
    "party_org": schema.PartyOrg(name="另一个支部", kind="党支部", secretary="某某"),
    "brands": ["另一个品牌"], "duties": ["另一项职责"], "regimes": [schema.Regime(name="另一项制度", text="内容")],
    "phrases": ["另一句用语"], "services": [schema.Service(id="another-item", name="另一个事项", promised_limit="即办")],
}
SUMMARIES = {"home", "units", "evaluations", "rankings", "grading", "pledges-by-unit", "reminders", "ledger-files",
             "feed", "gone"}


def _profiles_changed(site: Site) -> Site:
    """``site`` with every unit's profile changed, and its unit.yml digest with it (as a real edit changes it)."""
    units = {}
    for unit in site.units.values():
        digests = tuple((name, "edited" if name == "unit.yml" else sha) for name, sha in unit.file_digests)
        units[unit.id] = dataclasses.replace(unit, data=unit.data.model_copy(update=CHANGED),
                                             digest=f"edited {unit.digest}", file_digests=digests)
    return dataclasses.replace(site, units=MappingProxyType(units))


def _shown(plan: SitePlan, names: set[str], renderer: BodyRenderer) -> dict[str, object]:
    shown: dict[str, object] = {}
    for group in plan.groups:
        if group.name in names:
            pages, files = group.contents()
            shown[group.name] = ([(page.url, renderer.render(page)) for page in pages], files)
    return shown


@pytest.fixture(scope="module")
def demo() -> Site:
    site = check(ROOT).site
    assert site is not None
    return site


def test_every_profile_field_is_changed() -> None:
    assert set(CHANGED) == PROFILE


def test_pages_keyed_without_profiles_show_none(demo: Site) -> None:
    edited = _profiles_changed(demo)
    before, after = plan_site(demo), plan_site(edited)
    keys = {group.name: group.key for group in before.groups}
    same = {group.name for group in after.groups if keys.get(group.name) == group.key}
    assert same >= SUMMARIES and any(name.startswith("page:") for name in same)
    assert not any(name.startswith(("unit:", "members:")) or name in ("data", "search") for name in same)
    renderer = BodyRenderer(site_facts(demo))
    shown_before, shown_after = _shown(before, same, renderer), _shown(after, same, renderer)
    assert [name for name in sorted(same) if shown_after[name] != shown_before[name]] == []
