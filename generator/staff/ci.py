"""``build.py ci-templates``: the CI workflows of a content repository.

The templates live in the theme's ``ci/<platform>/workflow.yml``; GitHub reads
``.github/workflows/``, Gitea ``.gitea/workflows/`` and Forgejo
``.forgejo/workflows/`` (the Gitea template serves both). The workflows install
gongshi from the version pinned in the content repository's ``requirements.txt``
(written beside them), never from the content repository itself.

The versions of the actions are written here once (:data:`ACTIONS`) and put into the
templates where they say ``@@actions/<name>@@``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import __version__, themes
from ..outdir import guard_write
from .apply import write_atomic
from .yamlio import StaffError

# The current majors, each on the node24 runtime (GitHub retired node20 on its hosted runners),
# read from each action's repository (tags and action.yml ``runs.using``) in December 2026.
# upload-pages-artifact is a composite action that calls upload-artifact@v7 itself.
ACTIONS: dict[str, str] = {
    "checkout": "actions/checkout@v7",
    "setup-python": "actions/setup-python@v7",
    "cache": "actions/cache@v5",
    "upload-artifact": "actions/upload-artifact@v7",
    "configure-pages": "actions/configure-pages@v6",
    "upload-pages-artifact": "actions/upload-pages-artifact@v5",
    "deploy-pages": "actions/deploy-pages@v5",
    "download-artifact": "actions/download-artifact@v8",  # only in docs/boards.md's sharded example
}
# Gitea/Forgejo runners run actions on the node of their own image (often node 20) and older
# servers accept only the v3 artifact protocol, so their template keeps the majors they support.
GITEA_ACTIONS: dict[str, str] = {
    "checkout": "actions/checkout@v4",
    "cache": "actions/cache@v4",
    "upload-artifact": "actions/upload-artifact@v3",
}
TARGETS = {
    "github": ("github", ".github/workflows/gongshi.yml"),
    "gitea": ("gitea", ".gitea/workflows/gongshi.yml"),
    "forgejo": ("gitea", ".forgejo/workflows/gongshi.yml"),
}
PLACEHOLDER = re.compile(r"@@actions/([a-z-]+)@@")


def template(platform: str) -> str:
    """The workflow of ``platform`` with the actions' versions filled in."""
    source, _ = TARGETS[platform]
    text = (themes.theme_dir("ci") / source / "workflow.yml").read_text(encoding="utf-8")
    versions = ACTIONS if source == "github" else GITEA_ACTIONS
    return PLACEHOLDER.sub(lambda m: versions[m.group(1)], text)


GITIGNORE = "# gongshi：生成的网站、缓存和虚拟环境不进入内容仓库\n/site/\n.cache/\n.venv/\n__pycache__/\n"
REQUIREMENTS = ("# 本内容仓库使用的 gongshi 版本。升级：改这里的版本号，提交合并请求，CI 检查通过后合并。\n"
                "gongshi=={version}\n")


def requirements(version: str = __version__) -> str:
    return REQUIREMENTS.format(version=version)


def write_templates(out: Path, platforms: list[str], project: Path | None = None, force: bool = False) -> list[Path]:
    """Write the workflow of each platform under ``out``, and the pinned requirements.txt and
    .gitignore if the repository has none; returns the paths written.

    A workflow already there with other text (the office's own edits, or an older template) is
    not replaced unless ``force``: the command is refused before anything is written (G755).
    """
    unknown = [p for p in platforms if p not in TARGETS]
    if unknown:
        raise StaffError(f"不认识的平台“{'、'.join(unknown)}”。可选：{'、'.join(TARGETS)}", "G707")
    workflows = {guard_write(out / TARGETS[platform][1], out, project): template(platform) for platform in platforms}
    if not force:
        edited = [path for path, text in workflows.items() if path.exists() and not _holds(path, text)]
        if edited:
            shown = "、".join(str(path) for path in edited)
            raise StaffError(f"{shown} 已经存在，内容与 gongshi 的模板不同（可能改过，或是旧版模板），没有覆盖，"
                             "也没有写出任何文件。要保留它：用 --platform 只写其他平台的工作流；"
                             "要换成新模板：先保存你的改动，再加 --force", "G755")
    written = []
    for path, text in workflows.items():
        write_atomic(path, text)
        written.append(path)
    # build output and caches never belong in the content repository; the workflows install
    # gongshi from the pinned version
    for name, text in ((".gitignore", GITIGNORE), ("requirements.txt", requirements())):
        path = out / name
        if not path.exists() and not path.is_symlink():
            write_atomic(guard_write(path, out, project), text)
            written.append(path)
    return written


def _holds(path: Path, text: str) -> bool:
    """Whether ``path`` (a regular file: see guard_write) already holds exactly ``text``."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False
