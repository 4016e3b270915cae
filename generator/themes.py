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
name) and override only its blocks (logo, colours, footer) without forking. Everything under
overrides/ is used as it is (MkDocs copies overrides/site into the site), so ``check`` refuses a
link out of the project or a file that is not a regular one there (:mod:`generator.overridecheck`).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    TemplateError,
    TemplateSyntaxError,
)

from .errors import BuildError, GongshiError
from .overridecheck import OVERRIDES

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


def compile_all(env: Environment) -> None:
    """Load (compile) every ``.html`` template of ``env``; one that fails to compile is left for
    its first use, which reports it as the build always has."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except (TemplateError, UnicodeDecodeError):  # reported where the template is used
            continue


def files_digest_parts(folders: list[Path]) -> list[tuple[str, bytes]]:
    """(relative name, bytes) of every file under ``folders``, in a fixed order: for cache keys."""
    parts = []
    for number, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts.append((f"{number}/{path.relative_to(folder).as_posix()}", path.read_bytes()))
    return parts


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def override_error(exc: BaseException, project: Path) -> str | None:
    """A Chinese message (G734) for an error of a template in the project's overrides/, else None.

    Jinja maps a template's frames to the template file and line, so the traceback names the
    override that failed (a worker's, by the text of its traceback); a syntax error carries its
    file and line itself; a file that is not UTF-8 is found by its bytes. An error whose
    traceback never passes through overrides/ is not the project's: None.
    """
    folder = (project / OVERRIDES).resolve()
    if not folder.is_dir():
        return None
    for error in _chain(exc):
        found = _located(error, folder, project)
        if found:
            where, what = found
            return (f"{where}: [error] overrides 里的模板出错：{what}。"
                    f"期望模板能按 gongshi {_version()} 的主题渲染；请改正这个文件（继承原模板用 "
                    f"{{% extends \"{BASE_PREFIX}/文件名\" %}}，块名见主题），或先把它移出 overrides/ 再构建 (G734)")
    return None


def _located(error: BaseException, folder: Path, project: Path) -> tuple[str, str] | None:
    """(file:line, what went wrong in Chinese) when ``error`` is an override's, else None."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return f"{_shown(error.filename, project)}:{error.lineno}", f"{type(error).__name__}: {error.message}"
    if isinstance(error, UnicodeDecodeError):
        return _not_utf8(error, folder, project)
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(error.__traceback__)]
    frames += [(name, int(line)) for name, line in _REMOTE_FRAME.findall(str(error) if _remote(error) else "")]
    inside = [(name, line) for name, line in frames if Path(name).is_relative_to(folder)]
    if not inside and not isinstance(error, TemplateError):
        return None
    where = f"{_shown(inside[-1][0], project)}:{inside[-1][1]}" if inside else OVERRIDES
    return where, _what(error)


_REMOTE_FRAME = re.compile(r'File "([^"]+)", line (\d+)')
_WHAT = {  # what a template can do wrong besides Jinja's own errors, in the words of its author
    RecursionError: "模板无限递归：它继承或包含了自己（例如 main.html 里写 {% extends 'main.html' %}）",
    ZeroDivisionError: "计算时除以零",
    OverflowError: "数值太大，无法计算",
}


def _remote(error: BaseException) -> bool:
    """A worker's traceback, re-raised by ``multiprocessing`` as its text."""
    return type(error).__name__ == "RemoteTraceback"


def _what(error: BaseException) -> str:
    if isinstance(error, TemplateError):
        return f"{type(error).__name__}: {error.message or error}"
    for kind, said in _WHAT.items():
        if isinstance(error, kind):
            return said
    return f"模板运行时出错（{type(error).__name__}）"


def _not_utf8(error: UnicodeDecodeError, folder: Path, project: Path) -> tuple[str, str] | None:
    """The override file whose bytes failed to decode, and the line of the first bad byte."""
    data = bytes(error.object)
    for path in sorted(folder.rglob("*")):
        try:
            same = path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            continue
        if same:
            line = data[:error.start].count(b"\n") + 1
            return (f"{_shown(str(path), project)}:{line}",
                    f"文件不是 UTF-8 编码（第 {line} 行有无法读取的字节 0x{data[error.start]:02X}）。请用编辑器另存为 UTF-8")
    return None


class OverrideBroken(BuildError):
    """Raised when the pages made with the project's overrides/ are not web pages: printed as it is (G734)."""

    prefix = ""


def check_shell(html: str, body_mark: str, project: Path) -> None:
    """A page shell rendered with the project's overrides/site is a whole page with a place for the body.

    A ``main.html`` that is a link to a text file, or that replaces the ``content`` block without
    ``{{ page.content }}``, gave pages with no ``<html>`` or no body: published empty, or refused
    by Pagefind in English.
    """
    folder = overrides_dir("site", project)
    if folder is None:
        return
    lacking = "<html>" if "<html" not in html else "页面正文 {{ page.content }}" if body_mark not in html else ""
    if not lacking:
        return
    names = [name for name in ("main.html", "base.html") if (folder / name).exists()]
    where = f"{OVERRIDES}/site/{names[0]}:1" if names else f"{OVERRIDES}/site"  # a link is named, not its target
    raise OverrideBroken(f"{where}: [error] overrides 里的模板出错：用它生成的网页里没有 {lacking}。"
                         f"期望一个完整的网页模板；请改正这个文件（继承原模板用 "
                         f"{{% extends \"{BASE_PREFIX}/main.html\" %}}，只改需要的块），或先把它移出 overrides/ 再构建 (G734)")


def _shown(filename: str, project: Path) -> str:
    path = Path(filename).resolve()
    return path.relative_to(project.resolve()).as_posix() if path.is_relative_to(project.resolve()) else filename


def _version() -> str:
    from . import __version__

    return __version__
