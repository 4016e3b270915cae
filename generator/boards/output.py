"""Writing boards: atomic per file, never a temp file left behind, stale boards removed.

Each file is written to a hidden temp file in the same folder and moved over
the old one with :func:`os.replace`, so a reader (or a failed run) sees either
the previous board or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..outdir import finished

BOARD_SUFFIXES = (".pdf", ".html")


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written."""
    try:  # compared only if a regular file of the same size: a planted link to /dev/zero must not hang
        if not path.is_symlink() and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def remove_stale(boards_dir: Path, expected: set[Path], units: Iterable[str] | None,
                 kinds: set[str] | None) -> list[Path]:
    """Delete board files of the given units (all if None) that no current board produces.

    A member who withdrew consent, or left, must not stay on the public site.
    Only ``.pdf`` and ``.html`` files named like boards of ``kinds`` are touched.
    """
    if not boards_dir.is_dir():
        return []
    folders = ([boards_dir / u for u in units] if units is not None
               else [p for p in boards_dir.iterdir() if p.is_dir()])
    removed = []
    for folder in folders:
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in BOARD_SUFFIXES and path not in expected and _kind(path) in (kinds or {_kind(path)}):
                path.unlink()
                removed.append(path)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


_TEMP = re.compile(r"\.[^/]+\.(?:pdf|html)\.(\d+)-[a-z0-9_]+\.tmp\Z")  # from write_atomic: name, pid, random


def remove_temp_leftovers(boards_dir: Path) -> list[Path]:
    """Delete the temp files of board runs killed part-way (named by write_atomic; process gone)."""
    removed = []
    for path in sorted(boards_dir.glob("*/.*.tmp")) if boards_dir.is_dir() else []:
        match = _TEMP.match(path.name)
        if match and path.is_file() and not path.is_symlink() and finished(int(match.group(1))):
            path.unlink()
            removed.append(path)
    return removed


def _kind(path: Path) -> str:
    stem = path.stem
    for prefix, kind in (("tent-", "tent"), ("pledge-", "pledge"), ("cards-", "cards"), ("namecard-", "card"),
                         ("guide-", "guide")):
        if stem.startswith(prefix):
            return kind
    return stem
