"""Reading a content file: a regular file inside the project, at most a fixed number of bytes.

The hazard: anything named like a content file may be a symlink (to ``/dev/zero``, to
``/etc/passwd``, to a file outside the project) or a FIFO, a device or a folder. Reading
``/dev/zero`` never ends, opening a FIFO blocks until someone writes to it, and a link out
of the project would publish a file of the machine that builds. So before a byte is read:
the path is resolved and must stay inside the project; it is opened with ``O_NONBLOCK``
(a FIFO then cannot block); the open descriptor must be a regular file (``fstat``, so a
file swapped in between is caught too); and at most ``cap + 1`` bytes are read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class Unreadable(Exception):
    """Raised by :func:`read_capped`: ``code`` and a Chinese ``message`` (without the code)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _inside(path: Path, root: Path) -> Path:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise Unreadable("G111", "这是一个循环的符号链接。请删除它，换成普通文件") from None
    if not real.is_relative_to(root.resolve()):
        raise Unreadable("G111", f"这是一个符号链接，指向项目之外的 {real}。内容文件必须是项目里的普通文件："
                                 "请删除链接，把文件本身放进项目") from None
    return real


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "一个目录"
    if stat.S_ISFIFO(mode):
        return "一个管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "一个设备"
    if stat.S_ISSOCK(mode):
        return "一个套接字"
    return "一个特殊文件"


FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open(path: Path, root: Path, folder_inside: bool) -> int:
    """Open without blocking. With ``folder_inside`` (the caller resolved the folder once) a file
    that is not a symlink is opened as it is: resolving each of 14,000 files cost about 0.5 s."""
    if folder_inside and NOFOLLOW:
        try:
            return os.open(path, FLAGS | NOFOLLOW)
        except OSError as exc:
            if exc.errno != errno.ELOOP:  # ELOOP: a symlink, checked below like any other path
                raise
    return os.open(_inside(path, root), FLAGS)


def read_capped(path: Path, root: Path, cap: int, folder_inside: bool = False) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` of at most ``cap`` bytes.

    Raises :class:`Unreadable` (G111 outside the project, G112 not a regular file,
    G107 over the cap, G110 unreadable); never blocks, never reads more than ``cap + 1``.
    ``folder_inside``: the caller has checked that ``path.parent`` lies inside ``root``.
    """
    try:
        fd = _open(path, root, folder_inside)
    except IsADirectoryError:
        raise Unreadable("G112", "这是一个目录，不是文件。请删除或改名这个目录，换成普通的 YAML 文件") from None
    except FileNotFoundError:
        raise Unreadable("G110", "文件不存在：多半是一个失效的符号链接。请删除它，换成普通文件") from None
    except PermissionError:
        raise Unreadable("G110", "没有读取这个文件的权限。请检查文件权限") from None
    except OSError as exc:
        raise Unreadable("G110", f"无法读取文件：{exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable("G112", f"这不是普通文件，而是{_kind(mode)}，不会被读取。请删除它，换成普通的 YAML 文件")
        chunks, size = [], 0
        while size <= cap:
            chunk = os.read(fd, min(cap + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Unreadable("G110", f"无法读取文件：{exc.strerror}") from None
    finally:
        os.close(fd)
    if size > cap:
        raise Unreadable("G107", f"文件超过上限 {cap // 1024} KB。请把内容拆分到多个单位或文件")
    return b"".join(chunks)


def real_path(path: str, parents: dict[str, str]) -> str:
    """``os.path.realpath(path)``, with the real path of its folder taken from ``parents`` (and
    kept there): Python's realpath ``lstat``s every part of a path, and the check asks it for
    2,000 unit folders and their photos, most of them in a few folders. The last part is added
    as it is unless it is a link (or ``.``/``..``), which is what realpath would give."""
    folder, name = os.path.split(path)
    if not name or name in {".", ".."} or os.path.islink(path):
        return os.path.realpath(path)
    real = parents.get(folder)
    if real is None:
        real = parents[folder] = os.path.realpath(folder)
    return os.path.join(real, name)
