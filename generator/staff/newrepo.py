"""``gongshi init DIR``: a new content repository, apart from gongshi itself.

A province keeps only its content in its repository (like a MkDocs or Hugo site): the
settings, the units, an optional ``overrides/`` folder, the CI workflows and a
``requirements.txt`` that pins the gongshi version the workflows install. Upgrading
gongshi is then a one-line change, never a merge into a repository full of content.

The starting files are in the theme's ``init/`` folder; the workflows, ``.gitignore`` and
``requirements.txt`` come from :mod:`.ci`, the JSON Schemas for editors from
:mod:`generator.jsonschema`. Nothing is written into a folder that already has files.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__, themes
from ..jsonschema import write_schemas
from ..outdir import cannot_create
from .apply import write_atomic
from .ci import TARGETS, write_templates
from .yamlio import StaffError


def _starting_files() -> dict[str, str]:
    """Relative path -> text of the theme's init/ folder, with the version filled in."""
    folder = themes.theme_dir("init")
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    return files


def init_repository(target: Path, name: str | None = None) -> list[Path]:
    """Write a new content repository into ``target`` (absent or empty); returns the paths written."""
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StaffError(f"{target} 已存在且不是空目录：gongshi init 不覆盖已有文件。"
                         "请换一个新目录名，或先清空该目录", "G731")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StaffError(f"无法在 {target.parent} 里创建目录 {target.name}：{cannot_create(exc)}。"
                         "请换一个自己有写入权限的目录", "G606") from None
    written = []
    for relative, text in _starting_files().items():
        text = text.replace("@@VERSION@@", __version__).replace("@@NAME@@", name or target.name)
        write_atomic(target / relative, text)
        written.append(target / relative)
    written += write_templates(target, list(TARGETS))
    written += write_schemas(target / "schema")
    return written
