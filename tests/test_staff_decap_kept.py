"""The web editor's config is kept between builds (``.cache/site/admin``): what is read back must
be what making it again gives, after anything it is made from changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check
from generator.diskcache import DiskCache
from generator.model import Site
from generator.staff import decap

from .conftest import MINIMAL, ROOT


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the config was made (not read back)."""
    times: list[int] = []
    make = decap.config_yaml

    def counted(site: Site, env: dict[str, str] | None = None) -> bytes:
        times.append(1)
        return make(site, env)

    monkeypatch.setattr(decap, "config_yaml", counted)
    return times


def _site(root: Path) -> Site:
    site = check(root).site
    assert site is not None
    return site


def _kept(site: Site, env: dict[str, str], folder: Path, build_key: str = "build") -> bytes:
    return decap.admin_files(site, env, DiskCache(folder, suffix=".yml"), build_key)["admin/config.yml"]


def test_the_kept_config_is_the_one_made_afresh(tmp_path: Path, made: list[int]) -> None:
    demo, minimal = _site(ROOT), _site(MINIMAL)
    env = {"GITHUB_REPOSITORY": "tax/board"}
    assert _kept(demo, env, tmp_path) == decap.config_yaml(demo, env)
    made.clear()
    assert _kept(demo, env, tmp_path) == decap.config_yaml(demo, env) and len(made) == 1  # read back
    other = {"GITHUB_REPOSITORY": "tax/other", "GONGSHI_CMS_LOCAL": "1"}
    for site, env_now, key in [(demo, other, "build"), (minimal, env, "build"), (demo, env, "new code")]:
        made.clear()
        assert _kept(site, env_now, tmp_path, key) == decap.config_yaml(site, env_now) and len(made) == 2
    assert len(list(tmp_path.glob("*.yml"))) == 1  # only the last build's entry is kept


def test_a_renamed_unit_is_a_new_config(tmp_path: Path, project: Path, made: list[int]) -> None:
    env: dict[str, str] = {}
    before = _kept(_site(project), env, tmp_path)
    unit = project / "content/units/hall/unit.yml"
    text = unit.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name:"))
    unit.write_text(text.replace(name, "name: 改名后的大厅", 1), encoding="utf-8")
    after = _kept(_site(project), env, tmp_path)
    assert after != before and "改名后的大厅" in after.decode() and len(made) == 2
