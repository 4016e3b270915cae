"""Where a build may write and delete: one rule that every writer asks.

The hazard: a site build replaces its whole output folder, and ``--out`` is a path a
user types. Pointed at the project, at ``content/``, at a parent folder or at a folder
of someone else's files, the old swap deleted it (once the whole project) and exited 0.
So a build may only replace a folder that it made itself — one holding :data:`MARKER`
with exactly :data:`MARKER_TEXT`, written by every build — or an empty or missing one;
never the project, ``content/``, ``.git``, anything inside them or any folder above the
project, and never an existing file. Anything else is refused before a single file is
touched (:class:`OutputRefused`).

A folder without the marker is refused however much it looks like a site: a site made by
a version before the marker existed, but also a folder of the user's own pages, styles and
PDFs under the same names (index.html, assets/, about/, boards/<folder>/<file>.pdf). Names
cannot tell the two apart, and the first would only be rebuilt while the second would be
lost, so gongshi never guesses: such a folder must be deleted by hand (the message says so).
Inside a marked folder, files deleted one by one are only those gongshi recorded as its own
(the site's manifest, the boards' :data:`generator.boards.output.RECORD`).

Builds killed part-way leave their staging folders beside the output
(``.site.building-<pid>-…``, ``.site.old-<pid>-…``, ``.site.pagefind-<pid>-…``).
:func:`remove_leftovers` deletes those of earlier builds: only folders named so AND
holding the marker (or empty), and never one whose process is still running.

Single files a command writes where the user says (``report --to``, ``remind --save``)
are asked of :func:`guard_named_file`: never into ``content/``, ``.git`` or an output
folder, never through a symlink, never where a folder would have to replace a file.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError

MARKER = ".gongshi-output"
MARKER_TEXT = ("gongshi output: 这个目录由 gongshi (build.py) 生成，下次生成时会被整个替换；请勿在这里存放其他文件。\n"
               "This folder is made by gongshi; the next build replaces all of it.\n")
LEFTOVER_KINDS = ("building", "old", "pagefind")

class OutputRefused(BuildError):
    """Raised by :func:`claim_output` and :func:`guard_write`: nothing was written or deleted."""

    def __init__(self, message: str, code: str):
        super().__init__(f"{message}（{code}）")
        self.code = code


def has_marker(folder: Path) -> bool:
    """True if ``folder`` holds the marker of a gongshi build (a regular file with the fixed text)."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file():
            return False
        with marker.open("rb") as handle:
            return handle.read(len(MARKER_TEXT.encode()) + 1) == MARKER_TEXT.encode()
    except OSError:
        return False


def write_marker(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _protected(out: Path, root: Path) -> str | None:
    """Why ``out`` may never be an output folder, or None."""
    content = (root / "content").resolve()
    if out == root:
        return "它就是项目目录本身"
    if out.is_relative_to(content):
        return "它是 content/ 或在 content/ 里面，那里是要公示的内容"
    if root.is_relative_to(out) or content.is_relative_to(out):
        return "它是项目目录（或 content/）的上级目录"
    if out.is_relative_to((root / ".git").resolve()):
        return "它在 .git 里面"
    return None


def _refuse_existing(out: Path) -> None:
    """Refuse an existing path that is not a folder of ours (or an empty one)."""
    shown = str(out)
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"输出位置 {shown} 是一个已有的文件，不是目录。生成时会替换它。"
                            "请用 --out 指定一个新目录，或先确认该文件无用后自己删除", "G605")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputRefused(f"输出目录 {shown} 的上级 {parent} 是一个文件，不是目录。请换一个输出目录", "G605")
        if parent.is_dir():  # the nearest existing folder: new folders and the staging folder go there
            if not os.access(parent, os.W_OK | os.X_OK):
                raise OutputRefused(f"没有权限在 {parent} 里创建文件，无法生成到 {shown}。请检查权限或换一个输出目录",
                                    "G606")
            break
    if not out.is_dir():
        return
    try:
        entries = sorted(os.listdir(out))
    except OSError as exc:
        raise OutputRefused(f"无法读取输出目录 {shown}：{exc.strerror}。请检查权限或换一个输出目录", "G606") from None
    if not entries or has_marker(out):
        return
    found = "、".join(entries[:5]) + ("……" if len(entries) > 5 else "")
    raise OutputRefused(
        f"输出目录 {shown} 不是空目录，也不是 gongshi 生成的（没有 {MARKER} 标记文件；里面有：{found}）。"
        "生成时会整个替换这个目录，所以拒绝使用。请用 --out 指定一个新的或空的目录；"
        "如果它是旧版 gongshi（还不写标记文件时）生成的网站，gongshi 无法确认里面只有它生成的文件，"
        "请确认没有要保留的文件后自己删除这个目录，再生成", "G604")


def claim_output(out: Path, root: Path) -> Path:
    """The resolved ``out`` if a build may replace it; otherwise raise :class:`OutputRefused`.

    Call it before anything is written: the caller then owns ``out`` (and the leftovers
    of earlier builds beside it, see :func:`remove_leftovers`).
    """
    out, root = out.resolve(), root.resolve()
    why = _protected(out, root)
    if why:
        raise OutputRefused(f"不能把 {out} 用作输出目录：{why}。生成时会整个替换输出目录，会删掉里面原有的文件。"
                            "请用 --out 指定项目里的 site/ 或项目外一个新的空目录", "G603")
    _refuse_existing(out)
    return out


def ensure_output(out: Path) -> None:
    """Create a claimed output folder if missing, and mark it as ours (boards write into it directly)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _not_made(out, exc) from None
    if not has_marker(out):
        write_marker(out)


def scratch(out: Path, kind: str) -> Path:
    """A new marked folder beside ``out`` for a build's ``kind`` of work (see LEFTOVER_KINDS)."""
    assert kind in LEFTOVER_KINDS
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.{kind}-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise _not_made(out, exc) from None
    write_marker(folder)
    return folder


def _not_made(out: Path, exc: OSError) -> OutputRefused:
    """G606 for an output whose folder the system refuses, though the permission test let it through
    (/proc, a read-only file system, a full disk: root passes every ``os.access``)."""
    return OutputRefused(f"无法在 {out.parent} 里创建输出目录 {out.name}：{cannot_create(exc)}。"
                         "请用 --out 换一个自己有写入权限的目录", "G606")


_WHY = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "那是只读的文件系统",
        errno.ENOSPC: "磁盘已满", errno.EDQUOT: "磁盘配额已用完", errno.ENOTDIR: "路径上有一个是文件，不是目录",
        errno.ENAMETOOLONG: "路径太长"}


def cannot_create(exc: OSError) -> str:
    """Why the system refused to make a folder, in Chinese, with the system's code (ENOENT …) for support."""
    code = errno.errorcode.get(exc.errno or 0, "")
    return f"{_WHY.get(exc.errno or 0, '系统不允许在那里新建目录')}{f'（{code}）' if code else ''}"


def finished(pid: int) -> bool:
    """True if the build process ``pid`` (from a leftover's name) no longer runs, or is this one.

    This process's own leftovers are from an earlier build of a ``serve`` that ended before
    the current one began.
    """
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it runs, under another user
    return False


def remove_leftovers(out: Path) -> list[Path]:
    """Delete the staging folders of earlier builds into ``out`` that were killed part-way.

    Only folders beside ``out`` named ``.<out>.building-…`` (``old``, ``pagefind``) that
    hold the marker, or are empty, and whose build process (the number in the name) is
    gone; a symlink or a folder without the marker is left alone.
    """
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:{'|'.join(LEFTOVER_KINDS)})-(?:(\d+)-)?[^/]*\Z")
    return remove_marked(out.parent, pattern)


def remove_marked(parent: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Delete the folders in ``parent`` whose name matches ``pattern`` and that hold the marker
    (or are empty), unless the process numbered by the pattern's first group still runs."""
    removed = []
    try:
        names = sorted(os.listdir(parent))
    except OSError:
        return []
    for name in names:
        match = pattern.match(name)
        path = parent / name
        if not match or path.is_symlink() or not path.is_dir():
            continue
        if match.group(1) and not finished(int(match.group(1))):
            continue
        if has_marker(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.rmdir()  # only if empty: a build killed before it wrote the marker
            except OSError:
                continue
        removed.append(path)
    return removed


def guard_write(path: Path, base: Path, project: Path | None = None) -> Path:
    """``path`` if a tool may (re)write that one file under ``base``; else raise :class:`OutputRefused`.

    For the writers of project files (schemas, the field reference, CODEOWNERS, CI
    templates): the file must stay inside ``base`` once symlinks are followed, must not
    be in ``content/`` or ``.git/`` (of ``project``, by default ``base``), and may replace only a regular file, never a
    symlink, a folder, a FIFO or a device.
    """
    base = base.resolve()
    target = path.parent.resolve() / path.name
    shown = str(path)
    if not target.is_relative_to(base):
        raise OutputRefused(f"不能写入 {shown}：它（经符号链接）指向 {target}，在 {base} 之外。"
                            "请删除或改正这个符号链接后重试", "G607")
    for protected in ("content", ".git"):
        if target.is_relative_to((project or base).resolve() / protected):
            raise OutputRefused(f"不能写入 {shown}：它在 {protected}/ 里面，这个命令不应改动那里的文件", "G607")
    for parent in target.parents:
        if parent == base:
            break
        if parent.exists() and not parent.is_dir():
            raise OutputRefused(f"不能写入 {shown}：它的上级 {parent} 是一个文件，不是目录。请确认后改名或删除它", "G607")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OutputRefused(f"不能写入 {shown}：那里已有一个符号链接、目录或特殊文件，不是普通文件。"
                            "请确认后自己删除它，再运行这个命令", "G607")
    return target


def guard_named_file(path: Path, project: Path) -> Path:
    """``path`` (resolved) if a command may write there the one file a user named; else raise
    :class:`OutputRefused`.

    For the office's files (``report --to``, ``remind --save``), which may go anywhere the
    user says, outside the project too: never where a folder would have to replace a file
    (G605), never into ``content/`` or ``.git`` of ``project``, never into an output folder of
    gongshi (published with the site, deleted by the next build), never through or over a
    symlink, a folder or a special file (G607). Whether an existing file may be replaced is the
    caller's to decide.
    """
    shown = str(path)
    for parent in (path.parent, *path.parent.parents):  # nearest existing first
        if parent.is_dir():
            break
        if parent.exists() or parent.is_symlink():
            raise OutputRefused(f"不能写入 {shown}：{parent} 是一个已有的文件，不是目录。请换一个目录", "G605")
    target = path.parent.resolve() / path.name
    project = project.resolve()
    for protected in ("content", ".git"):
        if target.is_relative_to(project / protected):
            raise OutputRefused(f"不能写入 {shown}：它在项目的 {protected}/ 里面，这个命令不应改动那里的文件。"
                                "请换一个目录", "G607")
    for folder in target.parents:
        if has_marker(folder):
            raise OutputRefused(f"不能写入 {shown}：它在 gongshi 的输出目录 {folder} 里，"
                                "那里的文件会随网站发布，下次生成时还会被删掉。请换一个目录", "G607")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OutputRefused(f"不能写入 {shown}：那里已有一个符号链接、目录或特殊文件，不是普通文件。"
                            "请换一个文件名或目录", "G607")
    return target
