"""The project's overrides/ folder: every file in it a regular file inside the project.

The hazard: MkDocs copies overrides/site as it is into the site (its ``custom_dir``), and the
template loaders read overrides/site and overrides/boards; all of them follow symlinks. A pull
request adding ``overrides/site/passwd.txt -> /etc/passwd`` would publish a file of the machine
that builds (a CI runner), and a FIFO would hang the build. Content files are held to the same
rule by :mod:`generator.safe_read` (G111, G112, G110); this applies it to overrides/ in
``check``, so such a file stops the build before anything is written.

It needs no import of :mod:`generator.themes` (jinja2): ``check`` stays light.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem, error

OVERRIDES = "overrides"  # the folder generator.themes looks in


def override_problems(root: Path) -> list[Problem]:
    """G111 for a link out of overrides/ (or a loop), G112 for what is neither file nor folder,
    G110 for a broken link: for every path under ``root/overrides``, links inside it followed once."""
    folder = root / OVERRIDES
    if not os.path.lexists(folder):
        return []
    allowed = folder.resolve()  # not the whole project: a link to .git/config would publish the CI token in it
    problems: list[Problem] = []
    seen: set[Path] = set()  # real folders walked: a link back to a parent is walked once
    todo = [folder]
    while todo:
        path = todo.pop()
        found = _problem(path, allowed)
        if found:
            problems.append(error(_shown(path, root), 1, 1, *found))
            continue
        real = path.resolve()
        if real.is_dir() and real not in seen:
            seen.add(real)
            try:
                names = sorted(os.listdir(path), reverse=True)
            except OSError as exc:
                problems.append(error(_shown(path, root), 1, 1, "G110", f"无法读取这个目录：{exc.strerror}"))
                continue
            todo.extend(path / name for name in names)
    return sorted(problems, key=lambda p: p.path)


def _problem(path: Path, allowed: Path) -> tuple[str, str] | None:
    """(code, message) if ``path`` may not be used, else None."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return "G110", "这是一个失效的符号链接，指向的文件不存在。请删除它，或换成普通文件"
    except (OSError, RuntimeError):  # a symlink loop
        return "G111", "这是一个循环的符号链接。请删除它，换成普通文件"
    if not real.is_relative_to(allowed):
        return "G111", (f"这是一个符号链接，指向 overrides/ 之外的 {real}，不会被发布（overrides/ 里的文件会原样发布，"
                        "指向 .git/config 之类的链接会把 CI 的令牌公之于众）。请删除链接，把文件本身放进 overrides/")
    mode = os.stat(real).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "G112", "这不是普通文件（而是管道、设备或套接字），不会被读取。请删除它，换成普通文件"
    return None


def _shown(path: Path, root: Path) -> str:
    """The path as written under the project (the link's own name: errors.relpath would resolve it)."""
    return path.relative_to(root).as_posix()
