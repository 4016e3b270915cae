"""The web editor: a Decap CMS configuration generated from the schema, served at /admin/.

:func:`admin_files` gives the site build ``admin/index.html``, ``admin/config.yml``
and, once :func:`fetch` has taken the ``decap-cms`` package from the npm registry
(``python build.py admin-fetch``), the editor's own script files. Nothing is loaded
from a CDN: without the script, /admin/ says in Chinese how to get it.

Each unit is one "files" collection with its seven files; the fields come from
:mod:`generator.schema` (labels and hints are the Chinese descriptions, choices the
Literal values, patterns the schema's). ``publish_mode: editorial_workflow`` makes
every save a branch and a pull request, so CI checks it like any other change.
Where the repository is comes from the environment (CI sets ``GITHUB_REPOSITORY``
and ``GITHUB_SERVER_URL``; ``GONGSHI_CMS_*`` override), see docs/staff-workflow.md.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import Site
from ..outdir import claim_output, write_marker
from ..schema import UNIT_FILES
from .decap_fields import file_fields
from .yamlio import StaffError

VERSION = "3.16.3"
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
FILE_LABELS = {
    "unit.yml": "单位信息（亮标准）", "members.yml": "成员（亮身份）", "pledges.yml": "承诺（亮承诺）",
    "compare.yml": "三比（技能、作风、业绩）", "evaluations.yml": "三评（群众评议、互评、点评）",
    "rectifications.yml": "整改台账", "grading.yml": "晋位升级",
}
WORKFLOW_BACKENDS = {"github", "gitlab", "bitbucket", "forgejo", "test-repo"}  # Decap's gitea backend has none


def backend(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``backend`` block from the environment (CI variables), with safe placeholders."""
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    name = env.get("GONGSHI_CMS_BACKEND") or ("github" if server == "https://github.com" else "forgejo")
    block: dict[str, Any] = {"name": name, "branch": env.get("GONGSHI_CMS_BRANCH") or "main"}
    if name != "test-repo":
        block["repo"] = env.get("GONGSHI_CMS_REPO") or env.get("GITHUB_REPOSITORY") or "owner/repo"
    if name in {"gitea", "forgejo"}:
        block["api_root"] = env.get("GONGSHI_CMS_API_ROOT") or f"{server}/api/v1"
        block["base_url"] = server
    if env.get("GONGSHI_CMS_AUTH_URL"):  # an OAuth client for GitHub (Decap cannot log in to GitHub alone)
        block["base_url"] = env["GONGSHI_CMS_AUTH_URL"]
    if env.get("GONGSHI_CMS_APP_ID"):  # PKCE login for Gitea, Forgejo, GitLab
        block["app_id"] = env["GONGSHI_CMS_APP_ID"]
        block["auth_type"] = "pkce"
    return block


def _fields_hole(name: str) -> str:
    return f"\0fields:{name}\0"


def collections(site: Site, fields: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """A "files" collection per unit; ``fields`` (per file name) defaults to the schema's."""
    out = []
    if fields is None:
        fields = {name: file_fields(model) for name, model in UNIT_FILES.items()}  # the same for every unit
    for unit in site.units.values():
        files = []
        for name in UNIT_FILES:
            entry: dict[str, Any] = {
                "name": name.removesuffix(".yml"), "label": FILE_LABELS[name],
                "file": f"content/units/{unit.id}/{name}", "fields": fields[name],
            }
            if name == "members.yml":
                entry |= {"media_folder": "photos", "public_folder": "photos"}
            files.append(entry)
        out.append({"name": unit.id, "label": unit.name, "editor": {"preview": False}, "files": files})
    return out


def config(site: Site, env: Mapping[str, str] | None = None, fields: Mapping[str, Any] | None = None
           ) -> dict[str, Any]:
    env = os.environ if env is None else env
    block = backend(env)
    cfg: dict[str, Any] = {"locale": "zh_Hans", "backend": block}
    if block["name"] in WORKFLOW_BACKENDS:
        cfg["publish_mode"] = "editorial_workflow"
    cfg |= {
        "site_url": site.config.site.base_url, "display_url": site.config.site.base_url,
        "media_folder": "content/units", "public_folder": "",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": collections(site, fields),
    }
    return cfg


def config_yaml(site: Site, env: Mapping[str, str] | None = None) -> bytes:
    """The config as JSON (valid YAML 1.2), each file's field list written once.

    Every unit has the same seven files with the same fields: the first list is anchored
    (``&f1``) and the others are aliases (``*f1``), which Decap resolves (it parses its
    config with ``maxAliasCount: -1``). At 2,000 units that makes the file 1/30 of the size
    (67 MB before). One collection a line, through the C JSON encoder (a YAML emitter took
    35 s at 200 units, ``indent=`` JSON 6 s at 2,000).
    """
    holes = {name: _fields_hole(name) for name in UNIT_FILES}
    cfg = config(site, env, holes)
    units = cfg.pop("collections")
    lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in units]
    body = json.dumps({**cfg, "collections": ["\0units\0"]}, ensure_ascii=False, indent=1)
    text = body.replace(json.dumps("\0units\0"), ",\n  ".join(lines))
    for number, name in enumerate(UNIT_FILES, 1):
        fields = json.dumps(file_fields(UNIT_FILES[name]), ensure_ascii=False, separators=(",", ":"))
        hole = ":" + json.dumps(holes[name])
        text = text.replace(hole, f": &f{number} {fields}", 1).replace(hole, f": *f{number}")
    head = "# 网页编辑器（Decap CMS）配置：由 python build.py site 根据内容结构自动生成，请勿手工修改。\n"
    return (head + text + "\n").encode("utf-8")


def index_html(site: Site) -> bytes:
    name = html.escape(site.config.site.name)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex, nofollow">
  <title>网页编辑器 · {name}</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <noscript>网页编辑器需要启用 JavaScript。</noscript>
  <div id="gongshi-admin-missing" hidden style="max-width:40em;margin:3em auto;font:16px/1.7 sans-serif">
    <h1>网页编辑器的程序文件缺失</h1>
    <p>生成本网站时没有取得 Decap CMS 的程序文件 <code>decap-cms.js</code>。请管理员在项目目录运行
    <code>python build.py admin-fetch</code>，再重新生成网站。</p>
    <p>在此之前，仍可在代码托管平台的网页上直接修改文件，见<a href="../guide/">编辑指南</a>。</p>
  </div>
  <script src="decap-cms.js" onerror="document.getElementById('gongshi-admin-missing').hidden=false"></script>
</body>
</html>
""".encode()


def cache_dir(root: Path, env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env["GONGSHI_DECAP_DIR"]) if env.get("GONGSHI_DECAP_DIR") else root / ".cache" / "decap-cms" / VERSION


def admin_files(site: Site, env: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Path under the site root → bytes: the editor at /admin/ (script files only if fetched)."""
    files = {"admin/index.html": index_html(site), "admin/config.yml": config_yaml(site, env)}
    assets = cache_dir(site.root, env)
    if (assets / "decap-cms.js").is_file():
        for path in sorted(assets.iterdir()):
            if path.is_file() and not path.name.startswith("."):  # not the marker
                files[f"admin/{path.name}"] = path.read_bytes()
    return files


def _wanted(name: str) -> bool:
    base = name.removeprefix("package/dist/")
    return name.startswith("package/dist/") and "/" not in base and (
        base.endswith("decap-cms.js") or base.endswith(".wasm") or base == "decap-cms.js.LICENSE.txt")


def _npm_pack(folder: Path) -> Path:
    npm = shutil.which("npm")
    if not npm:
        raise StaffError("找不到 npm。请先安装 Node.js（Debian：apt-get install npm），再运行 admin-fetch", "G708")
    try:
        done = subprocess.run([npm, "pack", f"decap-cms@{VERSION}", "--pack-destination", str(folder), "--silent"],
                              capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        raise StaffError("从 npm 下载 decap-cms 超时。请检查网络或 npm 镜像设置后重试", "G708") from None
    tarball = folder / f"decap-cms-{VERSION}.tgz"
    if done.returncode != 0 or not tarball.is_file():
        raise StaffError(f"npm pack decap-cms@{VERSION} 失败：{(done.stderr or done.stdout).strip()[-500:]}", "G708")
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        raise StaffError(f"下载的 decap-cms-{VERSION}.tgz 校验值不符，已丢弃。期望 {INTEGRITY}，实际 {digest}", "G708")
    return tarball


def fetch(root: Path, env: Mapping[str, str] | None = None) -> Path:
    """Take decap-cms from the npm registry (pinned version and checksum) into the cache; return the folder."""
    target = cache_dir(root, env)
    if (target / "decap-cms.js").is_file():
        return target
    target = claim_output(target, root)  # replaced below: GONGSHI_DECAP_DIR=~ must not empty the home folder
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staging = Path(tmp) / "dist"
        staging.mkdir()
        with tarfile.open(_npm_pack(Path(tmp)), "r:gz") as archive:
            for member in archive.getmembers():
                source = archive.extractfile(member) if member.isfile() and _wanted(member.name) else None
                if source is not None:
                    (staging / Path(member.name).name).write_bytes(source.read())
        if not (staging / "decap-cms.js").is_file():
            raise StaffError(f"decap-cms-{VERSION} 的包里没有 dist/decap-cms.js", "G708")
        write_marker(staging)  # so a later fetch may replace it
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    return target
