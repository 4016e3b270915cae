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

from ..diskcache import DiskCache
from ..model import Site
from ..outdir import claim_output, write_marker
from ..schema import UNIT_FILES
from . import decap_format
from .decap_fields import UNIT, file_fields, names_unit, with_unit
from .yamlio import StaffError

VERSION = "3.16.3"
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
# js-yaml reads and writes files for the gongshi-yml format (see decap_format); MIT, one file.
JS_YAML = ("4.1.0", "sha512-wpxZs9NoxZaJESJGIZTyDEaYpl0FKSA+FB9aJiyemKhMwkxQg63h4T1KJgUGHpTqPDNRcmmYLugrRjJlBtWvRA==")
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
    shared = {name: file_fields(model) for name, model in UNIT_FILES.items()}
    for unit in site.units.values():
        files = []
        for name in UNIT_FILES:
            entry: dict[str, Any] = {
                "name": name.removesuffix(".yml"), "label": FILE_LABELS[name],
                "file": f"content/units/{unit.id}/{name}",
                "fields": fields[name] if fields is not None else with_unit(shared[name], unit.id),
            }
            if name == "members.yml":  # uploads go to content/units/<id>/photos/, the file says photos/<name>
                entry |= {"media_folder": "photos", "public_folder": "photos"}
            files.append(entry)
        out.append({"name": unit.id, "label": unit.name, "format": decap_format.NAME, "editor": {"preview": False},
                    "files": files})
    return out


def local_backend(env: Mapping[str, str]) -> bool | dict[str, str] | None:
    """``GONGSHI_CMS_LOCAL``: off (default); ``1`` for decap-server on port 8081; or its port or URL.

    Decap uses the local server only when the editor itself is opened from localhost, so a
    published site built with it on still goes through the code host.
    """
    value = env.get("GONGSHI_CMS_LOCAL", "").strip()
    if value.lower() in {"", "0", "false", "no", "off"}:
        return None
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    url = f"http://localhost:{value}/api/v1" if value.isdigit() else value
    if not url.startswith(("http://", "https://")):
        raise StaffError(f"GONGSHI_CMS_LOCAL 应为 1、端口号（如 8082）或 http:// 开头的地址，实际为“{value}”", "G740")
    return {"url": url}


def config(site: Site, env: Mapping[str, str] | None = None, fields: Mapping[str, Any] | None = None
           ) -> dict[str, Any]:
    env = os.environ if env is None else env
    block = backend(env)
    cfg: dict[str, Any] = {"locale": "zh_Hans", "backend": block}
    local = local_backend(env)
    if local is not None:
        cfg["local_backend"] = local
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

    Every unit has the same seven files with the same fields but for the unit its member
    pickers name: the first unit's lists are anchored (``&a1``) and the other units' are
    aliases (``*a1``) around their own member relations, which Decap resolves (it parses its
    config with ``maxAliasCount: -1``). At 2,000 units the file is 6.3 MB (115 KB gzipped;
    67 MB with no aliases, 2 MB before the member pickers). One collection a line, through
    the C JSON encoder (a YAML emitter took 35 s at 200 units, ``indent=`` JSON 6 s at 2,000);
    the aliased text is made once and only the unit id put in per unit.
    """
    holes = {name: _fields_hole(name) for name in UNIT_FILES}
    cfg = config(site, env, holes)
    shared = {name: file_fields(model) for name, model in UNIT_FILES.items()}
    seen: dict[str, str] = {}
    later: dict[str, str] = {}  # file → its fields for every unit after the first, unit id left open
    lines = []
    for index, unit in enumerate(cfg.pop("collections")):
        line = json.dumps(unit, ensure_ascii=False, separators=(",", ":"))
        for number, name in enumerate(UNIT_FILES, 1):
            if index and name not in later:
                later[name] = _shared(shared[name], f"f{number}", UNIT, seen)
            text = later[name].replace(json.dumps(UNIT), json.dumps(unit["name"])) if name in later else \
                _shared(shared[name], f"f{number}", unit["name"], seen)
            line = line.replace(":" + json.dumps(holes[name]), ":" + text)
        lines.append(line)
    body = json.dumps({**cfg, "collections": ["\0units\0"]}, ensure_ascii=False, indent=1)
    text = body.replace(json.dumps("\0units\0"), ",\n  ".join(lines))
    head = "# 网页编辑器（Decap CMS）配置：由 python build.py site 根据内容结构自动生成，请勿手工修改。\n"
    return (head + text + "\n").encode("utf-8")


def kept_config_yaml(site: Site, env: Mapping[str, str] | None, kept: DiskCache, build_key: str) -> bytes:
    """:func:`config_yaml`, kept by all it is made from: ``build_key`` (the schema's code, the site's
    address), the backend blocks the environment gives, and each unit's id and name.

    Making it was 0.25 s of every build and every ``serve`` save at 2,000 units, before a page
    could render; only the entry of this build is kept."""
    env = os.environ if env is None else env
    said = json.dumps([backend(env), local_backend(env)], ensure_ascii=False, sort_keys=True)
    units = (f"{unit.id}\t{unit.name}" for unit in site.units.values())
    key = hashlib.sha256("\0".join([build_key, said, *units]).encode()).hexdigest()
    data = kept.get(key)
    if data is None:
        data = config_yaml(site, env)
        kept.put(key, data)
    kept.prune()
    return data


def _shared(node: Any, path: str, unit: str, seen: dict[str, str]) -> str:
    """JSON for ``node``, each part that is the same for every unit written once (``&a1`` then ``*a1``).

    Only the member relations name their unit; everything around them, down to a label or a
    summary, is anchored where it first appears and aliased after (``seen``: path → anchor).
    """
    text = "" if names_unit(node) else json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    if text and (isinstance(node, dict | list) or len(text.encode()) > 8):
        if path in seen:
            return f"*{seen[path]}"
        seen[path] = f"a{len(seen) + 1}"
        return f"&{seen[path]} {text}"
    if isinstance(node, dict):
        parts = (json.dumps(k) + ":" + _shared(v, f"{path}.{k}", unit, seen) for k, v in node.items())
        return "{" + ",".join(parts) + "}"
    if isinstance(node, list):
        return "[" + ",".join(_shared(v, f"{path}.{i}", unit, seen) for i, v in enumerate(node)) + "]"
    return json.dumps(with_unit(node, unit), ensure_ascii=False)


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
  <!-- Decap writes field errors in capitals: that would show the lowercase ids in the hints as ZHANG-WEI -->
  <style>ul[class*="ControlErrorsList"] {{ text-transform: none !important; }}</style>
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
  <script src="js-yaml.min.js"></script>
  <script src="format.js"></script>
</body>
</html>
""".encode()


def cache_dir(root: Path, env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env["GONGSHI_DECAP_DIR"]) if env.get("GONGSHI_DECAP_DIR") else root / ".cache" / "decap-cms" / VERSION


def admin_files(site: Site, env: Mapping[str, str] | None = None, kept: DiskCache | None = None,
                build_key: str = "") -> dict[str, bytes]:
    """Path under the site root → bytes: the editor at /admin/ (script files only if fetched).

    With ``kept`` (the site build's cache) and its ``build_key`` (gongshi's code and the validated
    settings, :class:`generator.web.keys.Keys`), the config is read back while nothing it is
    made from changed (:func:`kept_config_yaml`)."""
    config = config_yaml(site, env) if kept is None else kept_config_yaml(site, env, kept, build_key)
    files = {"admin/index.html": index_html(site), "admin/config.yml": config,
             "admin/format.js": decap_format.script()}
    assets = cache_dir(site.root, env)
    if all((assets / name).is_file() for name in ASSETS):
        for path in sorted(assets.iterdir()):
            if path.is_file() and not path.name.startswith("."):  # not the marker
                files[f"admin/{path.name}"] = path.read_bytes()
    return files


ASSETS = ("decap-cms.js", "js-yaml.min.js")


def _wanted(name: str) -> bool:
    base = name.removeprefix("package/dist/")
    return name.startswith("package/dist/") and "/" not in base and (
        base.endswith("decap-cms.js") or base.endswith(".wasm") or base == "decap-cms.js.LICENSE.txt"
        or base == "js-yaml.min.js")


def _npm_pack(folder: Path, package: str = "decap-cms", version: str = VERSION, integrity: str = INTEGRITY) -> Path:
    npm = shutil.which("npm")
    if not npm:
        raise StaffError("找不到 npm。请先安装 Node.js（Debian：apt-get install npm），再运行 admin-fetch", "G708")
    try:
        done = subprocess.run([npm, "pack", f"{package}@{version}", "--pack-destination", str(folder), "--silent"],
                              capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        raise StaffError(f"从 npm 下载 {package} 超时。请检查网络或 npm 镜像设置后重试", "G708") from None
    tarball = folder / f"{package}-{version}.tgz"
    if done.returncode != 0 or not tarball.is_file():
        raise StaffError(f"npm pack {package}@{version} 失败：{(done.stderr or done.stdout).strip()[-500:]}", "G708")
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != integrity:
        raise StaffError(f"下载的 {package}-{version}.tgz 校验值不符，已丢弃。期望 {integrity}，实际 {digest}", "G708")
    return tarball


def fetch(root: Path, env: Mapping[str, str] | None = None) -> Path:
    """Take decap-cms and js-yaml from the npm registry (pinned versions and checksums) into the cache."""
    target = cache_dir(root, env)
    if all((target / name).is_file() for name in ASSETS):
        return target
    target = claim_output(target, root)  # replaced below: GONGSHI_DECAP_DIR=~ must not empty the home folder
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staging = Path(tmp) / "dist"
        staging.mkdir()
        for tarball in (_npm_pack(Path(tmp)), _npm_pack(Path(tmp), "js-yaml", *JS_YAML)):
            with tarfile.open(tarball, "r:gz") as archive:
                for member in archive.getmembers():
                    source = archive.extractfile(member) if member.isfile() and _wanted(member.name) else None
                    if source is not None:
                        (staging / Path(member.name).name).write_bytes(source.read())
        missing = [name for name in ASSETS if not (staging / name).is_file()]
        if missing:
            raise StaffError(f"从 npm 取得的包里没有 {'、'.join(missing)}", "G708")
        write_marker(staging)  # so a later fetch may replace it
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    return target
