"""The content repository around the content: CODEOWNERS, CI workflows, the Decap CMS editor at /admin/."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.check import check
from generator.model import Site
from generator.schema import UNIT_FILES, Pledge
from generator.staff import ci, codeowners, decap
from generator.staff.yamlio import StaffError, choices

from .conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def site() -> Site:
    result = check(ROOT)
    assert result.site is not None
    return result.site


def test_github_codeowners_lets_each_unit_review_its_folder(site: Site) -> None:
    text = codeowners.render(site, ["@qc-zzb/office"])[".github/CODEOWNERS"]
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "* @qc-zzb/office",
        "/content/units/qingchuan-party/ @qc-zzb-editor",
        "/content/units/tax-hall/ @qc-tax-editor",
        "/content/units/zhengwu-center/ @qc-zwzx-editor",
    ]


def test_gitea_codeowners_regexps_split_the_tree(site: Site) -> None:
    text = codeowners.render(site, ["@qc-zzb/office"])[".gitea/CODEOWNERS"]
    rules = [line.split(" ") for line in text.splitlines() if line and not line.startswith("#")]

    def reviewers(path: str) -> set[str]:
        found: set[str] = set()
        for pattern, *owners in rules:
            negative = pattern.startswith("!")
            if bool(re.fullmatch(pattern.lstrip("!"), path)) != negative:
                found |= set(owners)
        return found

    assert reviewers("content/units/tax-hall/pledges.yml") == {"@qc-tax-editor"}
    assert reviewers("content/units/edu-office/pledges.yml") == {"@qc-zzb/office"}  # no maintainers of its own
    assert reviewers("site_config.yml") == {"@qc-zzb/office"}


def test_codeowners_write_then_check(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copyfile(ROOT / "site_config.yml", root / "site_config.yml")  # content read through a link
    shutil.copytree(ROOT / "content", root / "content")  # out of the project is refused (G111)
    args = ["--root", str(root), "codeowners", "--office", "@qc-zzb/office"]
    assert run_cli(*args, "--check").returncode == 1
    assert run_cli(*args, "--write").returncode == 0
    assert (root / ".github/CODEOWNERS").is_file() and (root / ".gitea/CODEOWNERS").is_file()
    assert run_cli(*args, "--check").returncode == 0
    with pytest.raises(StaffError, match="G709"):
        codeowners.render(check(ROOT).site, [])  # type: ignore[arg-type]


def _steps(text: str) -> dict[str, dict[str, object]]:
    workflow = YAML(typ="safe").load(text)
    return {step["name"]: step for job in workflow["jobs"].values() for step in job["steps"]}


def test_github_workflow_checks_builds_and_deploys_with_the_official_actions() -> None:
    text = ci.template("github")
    workflow = YAML(typ="safe").load(text)
    assert set(workflow["on"]) == {"pull_request", "push", "workflow_dispatch"}
    steps = _steps(text)
    assert steps["检查内容"]["run"] == "python build.py check --format github"
    assert steps["生成网站"]["run"] == "python build.py site"
    assert steps["生成展板"]["run"] == "python build.py boards"
    uses = [str(s.get("uses", "")).split("@")[0] for s in steps.values()]
    for action in ("actions/checkout", "actions/upload-artifact", "actions/configure-pages",
                   "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"]


def test_gitea_workflow_checks_builds_and_deploys_with_rsync() -> None:
    steps = _steps(ci.template("gitea"))
    assert steps["检查内容"]["run"] == ".venv/bin/python build.py check --format text"
    assert "rsync" in str(steps["发布到网站服务器（rsync）"]["run"])
    assert str(steps["上传网站和展板（可在本次运行页面下载预览）"]["uses"]).startswith("actions/upload-artifact@")


def test_ci_templates_command_writes_each_platform(tmp_path: Path) -> None:
    done = run_cli("ci-templates", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for platform, (_, path) in ci.TARGETS.items():
        assert (tmp_path / path).read_text(encoding="utf-8") == ci.template(platform)


def _config(site: Site, env: dict[str, str]) -> dict[str, object]:
    return YAML(typ="safe").load(decap.config_yaml(site, env))  # type: ignore[no-any-return]


def test_decap_config_follows_the_schema(site: Site) -> None:
    cfg = _config(site, {"GITHUB_REPOSITORY": "qc-zzb/gongshi-content"})
    assert cfg["locale"] == "zh_Hans" and cfg["publish_mode"] == "editorial_workflow"
    assert cfg["backend"] == {"name": "github", "branch": "main", "repo": "qc-zzb/gongshi-content"}
    collections = cfg["collections"]
    assert isinstance(collections, list)
    assert [c["name"] for c in collections] == list(site.units)
    tax = next(c for c in collections if c["name"] == "tax-hall")
    assert [f["file"] for f in tax["files"]] == [f"content/units/tax-hall/{n}" for n in UNIT_FILES]
    pledges = next(f for f in tax["files"] if f["name"] == "pledges")["fields"][0]
    fields = {f["name"]: f for f in pledges["fields"]}
    assert list(fields) == list(Pledge.model_fields)
    assert fields["status"]["options"] == list(choices(Pledge, "status"))
    assert fields["due"]["format"] == "YYYY-MM-DD" and fields["outcome"]["required"] is False
    assert fields["id"]["pattern"][0] == "^[a-z0-9][a-z0-9-]{0,62}$"


def test_decap_config_writes_each_field_list_once(site: Site) -> None:
    """Every unit repeats the same seven field lists: anchored once, aliased after (67 MB → 2 MB
    at 2,000 units). Read back, the file must still be exactly the configuration."""
    text = decap.config_yaml(site, {}).decode("utf-8")
    assert text.count('"file":"content/units/') == len(UNIT_FILES) * len(site.units)
    assert text.count('"label":"承诺编号') == 1  # a pledge field's label, written once
    assert text.count("*f3") == len(site.units) - 1
    expected = json.loads(json.dumps(decap.config(site, {}), ensure_ascii=False))
    assert _config(site, {}) == expected


def test_decap_backends_for_forgejo_and_gitea(site: Site) -> None:
    env = {"GITHUB_SERVER_URL": "https://git.example.cn", "GITHUB_REPOSITORY": "qc/content", "GONGSHI_CMS_APP_ID": "abc"}
    forgejo = _config(site, env)
    assert forgejo["backend"] == {"name": "forgejo", "branch": "main", "repo": "qc/content",
                                  "api_root": "https://git.example.cn/api/v1", "base_url": "https://git.example.cn",
                                  "app_id": "abc", "auth_type": "pkce"}
    assert forgejo["publish_mode"] == "editorial_workflow"
    gitea = _config(site, {**env, "GONGSHI_CMS_BACKEND": "gitea"})
    assert "publish_mode" not in gitea  # Decap's gitea backend has no editorial workflow


def test_admin_files_without_and_with_the_fetched_script(site: Site, tmp_path: Path) -> None:
    empty = decap.admin_files(site, {"GONGSHI_DECAP_DIR": str(tmp_path / "none")})
    assert sorted(empty) == ["admin/config.yml", "admin/index.html"]
    page = empty["admin/index.html"].decode()
    assert '<script src="decap-cms.js"' in page and "python build.py admin-fetch" in page
    assert "http" not in page.replace('href="../guide/"', "")  # nothing from another host
    fake = tmp_path / "decap"
    fake.mkdir()
    (fake / "decap-cms.js").write_text("// fake", encoding="utf-8")
    (fake / "12.decap-cms.js").write_text("// chunk", encoding="utf-8")
    files = decap.admin_files(site, {"GONGSHI_DECAP_DIR": str(fake)})
    assert sorted(files) == ["admin/12.decap-cms.js", "admin/config.yml", "admin/decap-cms.js", "admin/index.html"]


def test_fetch_refuses_a_tarball_with_the_wrong_checksum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text('#!/bin/sh\n# a fake npm: writes a tarball that is not the real one\n'
                   'while [ "$1" != "--pack-destination" ]; do shift; done\n'
                   f'echo tampered > "$2/decap-cms-{decap.VERSION}.tgz"\n', encoding="utf-8")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(StaffError, match="校验值不符") as info:
        decap.fetch(tmp_path, {"GONGSHI_DECAP_DIR": str(tmp_path / "cache")})
    assert "G708" in str(info.value)
    assert not (tmp_path / "cache").exists()
