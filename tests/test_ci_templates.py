"""The CI workflows a content repository gets: valid, current actions, pinned gongshi, cache, safe deploys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.staff import ci

BIN = Path(sys.executable).parent


def _workflow(platform: str) -> dict:  # type: ignore[type-arg]
    return YAML(typ="safe").load(ci.template(platform))  # type: ignore[no-any-return]


def _steps(platform: str) -> list[dict]:  # type: ignore[type-arg]
    return [step for job in _workflow(platform)["jobs"].values() for step in job.get("steps", [])]


def test_every_generated_workflow_passes_the_github_workflow_schema(tmp_path: Path) -> None:
    written = ci.write_templates(tmp_path, list(ci.TARGETS))
    workflows = [str(p) for p in written if p.suffix == ".yml"]
    assert len(workflows) == 3
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_linter_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(ci.template("github").replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04", 1))
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1  # the validation above can fail


@pytest.mark.parametrize("platform", ["github", "gitea"])
def test_actions_come_from_the_one_version_table(platform: str) -> None:
    text = ci.template(platform)
    assert "@@" not in text
    table = ci.ACTIONS if platform == "github" else ci.GITEA_ACTIONS
    used = {str(s["uses"]) for s in _steps(platform) if "uses" in s}
    assert used <= set(table.values()), used - set(table.values())


def test_github_workflow_uses_the_node24_majors() -> None:
    used = {str(s["uses"]).split("@")[0]: str(s["uses"]).split("@")[1] for s in _steps("github") if "uses" in s}
    assert used == {"actions/checkout": "v7", "actions/setup-python": "v7", "actions/cache": "v5",
                    "actions/upload-artifact": "v7", "actions/configure-pages": "v6",
                    "actions/upload-pages-artifact": "v5", "actions/deploy-pages": "v5"}


@pytest.mark.parametrize("platform", ["github", "gitea"])
def test_gongshi_is_installed_from_the_pinned_version_not_the_content_repository(platform: str) -> None:
    runs = "\n".join(str(s.get("run", "")) for s in _steps(platform))
    assert "pip install -r requirements.txt" in runs
    assert "-e ." not in runs and "build.py" not in runs
    assert ci.requirements("1.2.3").splitlines()[-1] == "gongshi==1.2.3"


@pytest.mark.parametrize("platform", ["github", "gitea"])
def test_cache_keeps_boards_check_and_qr_between_runs(platform: str) -> None:
    cache = [s for s in _steps(platform) if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(cache) == 1
    assert cache[0]["with"]["path"].split() == [".cache/boards", ".cache/check", ".cache/qr"]
    assert "restore-keys" in cache[0]["with"]  # a new commit starts from the last run's cache
    names = [s["name"] for s in _steps(platform)]
    assert names.index(cache[0]["name"]) < min(i for i, s in enumerate(_steps(platform)) if "boards" in str(s.get("run")))


@pytest.mark.parametrize("platform", ["github", "gitea"])
def test_only_pull_request_runs_are_cancelled(platform: str) -> None:
    group = _workflow(platform)["concurrency"]
    assert group["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "github.ref" in group["group"]  # main and each pull request queue apart
    if platform == "github":
        assert _workflow("github")["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("platform", ["github", "gitea"])
def test_checkout_fetches_the_full_history(platform: str) -> None:
    checkout = next(s for s in _steps(platform) if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_ci_templates_write_a_pinned_requirements_file_but_keep_an_existing_one(tmp_path: Path) -> None:
    ci.write_templates(tmp_path, ["github"])
    from generator import __version__
    assert (tmp_path / "requirements.txt").read_text().splitlines()[-1] == f"gongshi=={__version__}"
    (tmp_path / "requirements.txt").write_text("gongshi==0.0.9\n")
    ci.write_templates(tmp_path, ["github"])
    assert (tmp_path / "requirements.txt").read_text() == "gongshi==0.0.9\n"  # an office's pin is its own


def test_the_kept_cache_serves_a_fresh_checkout_so_one_changed_unit_renders_alone(project: Path,
                                                                                    tmp_path: Path) -> None:
    """What the workflows' cache step relies on: board cache keys depend on content, not on the
    checkout's folder or file times, so a new runner with last run's .cache/ renders only what changed."""
    import re
    import shutil

    from tests.conftest import run_cli

    first = run_cli("--root", str(project), "boards")
    assert first.returncode == 0, first.stdout + first.stderr
    fresh = tmp_path / "next-run"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("site"), copy_function=shutil.copy)  # new times
    unit = fresh / "content" / "units" / "hall" / "unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: 发票领用", "name: 发票领用（含电子发票）"),
                    encoding="utf-8")
    done = run_cli("--root", str(fresh), "boards")
    assert done.returncode == 0, done.stdout + done.stderr
    total, rendered = map(int, re.search(r"展板：(\d+) 张（新生成 (\d+) 张", done.stdout).groups())  # type: ignore[union-attr]
    hall_boards = len(list((fresh / "site" / "boards" / "hall").glob("*.pdf")))
    assert 0 < rendered <= hall_boards < total


def test_documented_workflow_examples_use_the_same_action_versions() -> None:
    """A copied example must not bring back a retired (node20) major."""
    import re

    root = Path(__file__).resolve().parent.parent
    used = {(doc.name, m.group(1), m.group(0)) for doc in (root / "docs").rglob("*.md")
            for m in re.finditer(r"actions/([a-z-]+)@v\d+", doc.read_text(encoding="utf-8"))}
    assert used, "docs show no workflow example"
    assert [(name, ref) for name, action, ref in sorted(used) if ci.ACTIONS.get(action) != ref] == []
