"""Where gongshi's own files are: the themes, the site's page texts, and a project's overrides.

gongshi is a tool installed apart from the content it builds (like MkDocs or Hugo):
a wheel carries ``themes/`` as ``generator/_themes`` and ``docs/site/`` as
``generator/_docs`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml). Run
from this repository (``python build.py``, an editable install) those folders are
not inside the package, so the lookup falls back to the checkout's ``themes/`` and
``docs/site/``. Every module asks here; none builds a theme path of its own.

A content repository may keep an ``overrides/`` folder with the layout of the
themes (``overrides/site/…``, ``overrides/boards/…``), as MkDocs' ``custom_dir``: a
file there with the same relative path replaces the theme's file, and a template
there can ``{% extends "gongshi-theme/main.html" %}`` (the theme's own file of that
name) and override only its blocks (logo, colours, footer) without forking.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader

from .errors import GongshiError

PACKAGE = Path(str(resources.files("generator")))
CHECKOUT = PACKAGE.parent
# kind -> (folder inside the installed package, folder in this repository)
PLACES: dict[str, tuple[str, str]] = {
    "site": ("_themes/site", "themes/site"),
    "boards": ("_themes/boards", "themes/boards"),
    "ci": ("_themes/ci", "themes/ci"),
    "init": ("_themes/init", "themes/init"),
    "pages": ("_docs", "docs/site"),
}
OVERRIDABLE = ("site", "boards")
BASE_PREFIX = "gongshi-theme"  # an override's {% extends "gongshi-theme/<name>" %} reaches the theme's file
OVERRIDES = "overrides"


class ThemeMissing(GongshiError):
    """Raised when gongshi is installed without its themes (a broken wheel): no output can be made."""


def theme_dir(kind: str) -> Path:
    """The folder of one kind of gongshi's own files: in the installed package, else in the checkout."""
    packaged, checkout = PLACES[kind]
    if (PACKAGE / packaged).is_dir():
        return PACKAGE / packaged
    if (CHECKOUT / "build.py").is_file() and (CHECKOUT / checkout).is_dir():  # this repository, not site-packages
        return CHECKOUT / checkout
    raise ThemeMissing(f"gongshi 安装不完整：找不到 {packaged}（也不在 {CHECKOUT / checkout}）。"
                       "请重新安装：pip install --force-reinstall gongshi（G730）")


def overrides_dir(kind: str, project: Path | None) -> Path | None:
    """``<project>/overrides/<kind>`` if the project has one."""
    if project is None or kind not in OVERRIDABLE:
        return None
    folder = project / OVERRIDES / kind
    return folder if folder.is_dir() else None


def search_path(kind: str, project: Path | None) -> list[Path]:
    """Where a file of ``kind`` is looked for, first match wins: the project's overrides, then the theme."""
    override = overrides_dir(kind, project)
    return [*([override] if override else []), theme_dir(kind)]


def find(kind: str, name: str, folders: list[Path]) -> Path:
    """The first ``name`` in ``folders`` (a search path from :func:`search_path`)."""
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    raise ThemeMissing(f"主题文件 {kind}/{name} 不存在（查找了 {'、'.join(map(str, folders))}）。"
                       "若是 overrides/ 里的文件名写错了，请改正；否则请重新安装 gongshi（G730）")


def loader(kind: str, folders: list[Path]) -> BaseLoader:
    """Jinja loader over ``folders``, plus the theme itself under ``gongshi-theme/`` for overrides to extend."""
    return ChoiceLoader([FileSystemLoader([str(f) for f in folders]),
                         PrefixLoader({BASE_PREFIX: FileSystemLoader(str(theme_dir(kind)))})])


def files_digest_parts(folders: list[Path]) -> list[tuple[str, bytes]]:
    """(relative name, bytes) of every file under ``folders``, in a fixed order: for cache keys."""
    parts = []
    for number, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts.append((f"{number}/{path.relative_to(folder).as_posix()}", path.read_bytes()))
    return parts
