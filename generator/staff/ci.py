"""``build.py ci-templates``: copy the ready-made CI workflows into a content repository.

The templates live in ``themes/ci/<platform>/workflow.yml``; GitHub reads
``.github/workflows/``, Gitea ``.gitea/workflows/`` and Forgejo
``.forgejo/workflows/`` (the Gitea template serves both).
"""

from __future__ import annotations

from pathlib import Path

from ..outdir import guard_write
from .apply import write_atomic
from .yamlio import StaffError

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "themes" / "ci"
TARGETS = {
    "github": ("github", ".github/workflows/gongshi.yml"),
    "gitea": ("gitea", ".gitea/workflows/gongshi.yml"),
    "forgejo": ("gitea", ".forgejo/workflows/gongshi.yml"),
}


def template(platform: str) -> str:
    source, _ = TARGETS[platform]
    return (TEMPLATES / source / "workflow.yml").read_text(encoding="utf-8")


GITIGNORE = "# gongshi：生成的网站、缓存和虚拟环境不进入内容仓库\n/site/\n.cache/\n.venv/\n__pycache__/\n"


def write_templates(out: Path, platforms: list[str], project: Path | None = None) -> list[Path]:
    """Write the workflow of each platform under ``out``; returns the paths written."""
    unknown = [p for p in platforms if p not in TARGETS]
    if unknown:
        raise StaffError(f"不认识的平台“{'、'.join(unknown)}”。可选：{'、'.join(TARGETS)}", "G707")
    written = []
    for platform in platforms:
        path = guard_write(out / TARGETS[platform][1], out, project)
        write_atomic(path, template(platform))
        written.append(path)
    ignore = out / ".gitignore"
    if not ignore.exists() and not ignore.is_symlink():  # build output and caches never belong in the content repository
        write_atomic(ignore, GITIGNORE)
        written.append(ignore)
    return written
