"""The content repository around the content: CODEOWNERS, CI workflows, the Decap CMS editor at /admin/."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.check import check
from generator.model import Site
from generator.schema import UNIT_FILES, Pledge
from generator.staff import ci, codeowners, decap, decap_fields, decap_format
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
    assert rules[0] == "* @qc-zzb/office"
    assert "/content/units/tax-hall/pledges.yml @qc-tax-editor" in rules
    assert "/content/units/tax-hall/photos/ @qc-tax-editor" in rules

    def reviewers(path: str) -> str:  # GitHub: the last matching pattern wins
        found = ""
        for pattern, owner in (line.split(" ") for line in rules):
            regex = re.escape(pattern.lstrip("/")).replace(r"\*", "[^/]*")
            if pattern == "*" or re.match(regex + ("" if pattern.endswith("/") else "$"), path):
                found = owner
        return found

    assert _split_by_reviewer(reviewers) == _EXPECTED


# Issue #14: the office's yearly grade, survey counts, stars and awards, and the maintainers list
# (site_config.yml) need the office; a unit's staff keep their standards (unit.yml), members, pledges,
# rectifications and photos. A unit without maintainers is the office's whole.
_EXPECTED = {
    "content/units/tax-hall/members.yml": "@qc-tax-editor", "content/units/tax-hall/pledges.yml": "@qc-tax-editor",
    "content/units/tax-hall/rectifications.yml": "@qc-tax-editor",
    "content/units/tax-hall/photos/li-ming.jpg": "@qc-tax-editor",
    "content/units/tax-hall/unit.yml": "@qc-tax-editor", "content/units/zhengwu-center/unit.yml": "@qc-zwzx-editor",
    "content/units/tax-hall/grading.yml": "@qc-zzb/office", "content/units/tax-hall/evaluations.yml": "@qc-zzb/office",
    "content/units/tax-hall/compare.yml": "@qc-zzb/office",
    "content/units/edu-office/pledges.yml": "@qc-zzb/office", "content/units/edu-office/unit.yml": "@qc-zzb/office",
    "site_config.yml": "@qc-zzb/office",
}


def _split_by_reviewer(reviewers: Callable[[str], object]) -> dict[str, object]:
    return {path: reviewers(path) for path in _EXPECTED}


def test_gitea_codeowners_regexps_split_the_tree(site: Site) -> None:
    text = codeowners.render(site, ["@qc-zzb/office"])[".gitea/CODEOWNERS"]
    rules = [line.split(" ") for line in text.splitlines() if line and not line.startswith("#")]

    def reviewers(path: str) -> str:  # Gitea: every matching line adds its owners; here exactly one matches
        found: set[str] = set()
        for pattern, *owners in rules:
            negative = pattern.startswith("!")
            if bool(re.fullmatch(pattern.lstrip("!"), path)) != negative:
                found |= set(owners)
        assert len(found) == 1, (path, found)
        return found.pop()

    assert _split_by_reviewer(reviewers) == _EXPECTED


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
    assert steps["检查内容"]["run"] == "gongshi check --format github"
    assert steps["生成网站"]["run"] == "gongshi site"
    assert steps["生成展板"]["run"] == "gongshi boards"
    uses = [str(s.get("uses", "")).split("@")[0] for s in steps.values()]
    for action in ("actions/checkout", "actions/upload-artifact", "actions/configure-pages",
                   "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "refs/heads/main" in deploy["if"]


def test_gitea_workflow_checks_builds_and_deploys_with_rsync() -> None:
    steps = _steps(ci.template("gitea"))
    assert steps["检查内容"]["run"] == ".venv/bin/gongshi check --format text"
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
    unit_form = [f["name"] for f in next(f for f in tax["files"] if f["name"] == "unit")["fields"]]
    assert "services" in unit_form and "maintainers" not in unit_form  # the office's list (issue #14)


def test_decap_config_writes_each_field_list_once(site: Site) -> None:
    """Every unit repeats the same seven field lists: anchored once, aliased after (67 MB → 2 MB
    at 2,000 units; 6.3 MB with the member pickers). Read back, the file must still be exactly the configuration."""
    text = decap.config_yaml(site, {}).decode("utf-8")
    assert text.count('"file":"content/units/') == len(UNIT_FILES) * len(site.units)
    assert text.count('"label":"承诺编号') == 1  # a pledge field's label, written once
    one_more = len(text.encode()) - len(decap.config_yaml(_without_last_unit(site), {}))
    assert one_more < 3500, one_more  # each unit adds its file names and its own six member pickers only
    expected = json.loads(json.dumps(decap.config(site, {}), ensure_ascii=False))
    assert _config(site, {}) == expected


def _without_last_unit(site: Site) -> Site:
    units = dict(site.units)
    units.pop(list(units)[-1])
    return dataclasses.replace(site, units=units)


def _all_fields(node: object) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "widget" in node:
            yield node
        for value in node.values():
            yield from _all_fields(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_fields(value)


def test_decap_form_speaks_to_a_clerk_not_of_yaml(site: Site) -> None:
    """Issue #14: every pattern carries its own Chinese hint; no label speaks of quotes or YAML."""
    fields = list(_all_fields(_config(site, {})["collections"]))
    patterns = [f for f in fields if "pattern" in f]
    assert patterns and all(f["pattern"][1] != "格式不对，请看下方说明" for f in patterns)
    assert all("请看下方" not in f["pattern"][1] and "引号" not in f["pattern"][1] for f in patterns)
    for f in fields:
        assert not re.search("引号|YAML|'|false|true", f["label"]), f["label"]
    postcode = next(f for f in fields if f["name"] == "postcode")
    assert postcode["label"] == "邮政编码" and postcode["pattern"][1] == "：6 位数字，如 311100"
    pledge_id = next(f for f in fields if f["name"] == "id" and "2026-zhang-01" in f.get("hint", ""))
    assert re.match(pledge_id["pattern"][0], "2026-zhang-01")


def test_every_schema_pattern_has_a_form_hint() -> None:
    for model in UNIT_FILES.values():
        for f in _all_fields(decap_fields.file_fields(model)):
            if "pattern" in f:
                assert decap_fields.PATTERN_LEAD + decap_fields.form_hint(f["pattern"][0]) == f["pattern"][1]
    with pytest.raises(KeyError):
        decap_fields.form_hint("^x$")


def test_decap_members_are_picked_from_the_units_own_list(site: Site) -> None:
    collections = _config(site, {})["collections"]
    for unit in collections:
        relations = [f for f in _all_fields(unit) if f["widget"] == "relation"]
        names = {f["name"] for f in relations}
        assert names == {"member"} and len(relations) == 6  # pledges, results, awards, surveys, reviews, comments
        assert all(f["collection"] == unit["name"] and f["file"] == "members" for f in relations)
        assert all(f["value_field"] == "members.*.id" for f in relations)
        members = next(f for f in unit["files"] if f["name"] == "members")
        assert members["media_folder"] == "photos"
        photo = next(f for f in _all_fields(members) if f["name"] == "photo")
        assert photo["widget"] == "image"


def test_decap_local_backend_is_off_unless_asked(site: Site) -> None:
    assert "local_backend" not in _config(site, {})
    assert _config(site, {"GONGSHI_CMS_LOCAL": "1"})["local_backend"] is True
    assert _config(site, {"GONGSHI_CMS_LOCAL": "8082"})["local_backend"] == {"url": "http://localhost:8082/api/v1"}
    with pytest.raises(StaffError) as caught:
        decap.config(site, {"GONGSHI_CMS_LOCAL": "ftp://x"})
    assert caught.value.code == "G740" and "GONGSHI_CMS_LOCAL" in str(caught.value)


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
    assert sorted(empty) == ["admin/config.yml", "admin/format.js", "admin/index.html"]
    page = empty["admin/index.html"].decode()
    assert page.index('src="decap-cms.js"') < page.index('src="js-yaml.min.js"') < page.index('src="format.js"')
    assert 'CMS.registerCustomFormat("gongshi-yml", "yml"' in empty["admin/format.js"].decode()
    assert all(c["format"] == "gongshi-yml" for c in _config(site, {})["collections"])
    assert '<script src="decap-cms.js"' in page and "python build.py admin-fetch" in page
    assert "http" not in page.replace('href="../guide/"', "")  # nothing from another host
    fake = tmp_path / "decap"
    fake.mkdir()
    (fake / "decap-cms.js").write_text("// fake", encoding="utf-8")
    (fake / "12.decap-cms.js").write_text("// chunk", encoding="utf-8")
    assert "admin/decap-cms.js" not in decap.admin_files(site, {"GONGSHI_DECAP_DIR": str(fake)})  # js-yaml missing
    (fake / "js-yaml.min.js").write_text("// yaml", encoding="utf-8")
    files = decap.admin_files(site, {"GONGSHI_DECAP_DIR": str(fake)})
    assert sorted(files) == ["admin/12.decap-cms.js", "admin/config.yml", "admin/decap-cms.js", "admin/format.js",
                             "admin/index.html", "admin/js-yaml.min.js"]


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


def test_editor_save_order_follows_the_schema_in_nested_lists() -> None:
    """Decap orders only a file's top keys; the gongshi-yml format orders every level (issue #14)."""
    from generator.schema import Step

    order = decap_format.key_order()
    assert order["pledges.*"] == list(Pledge.model_fields)
    assert order["pledges.*.timeline.*"] == list(Step.model_fields)
    assert order["rectifications.*.source"] == ["kind", "ref"]
    assert json.dumps(order, ensure_ascii=False, sort_keys=True, separators=(",", ":")) in \
        decap_format.script().decode()
