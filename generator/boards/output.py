"""Writing boards: atomic per file, never a temp file left behind, stale boards removed.

Each file is written to a hidden temp file in the same folder and moved over
the old one with :func:`os.replace`, so a reader (or a failed run) sees either
the previous board or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

BOARD_SUFFIXES = (".pdf", ".html")


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def _kind(path: Path) -> str:
    stem = path.stem
    for prefix, kind in (("tent-", "tent"), ("pledge-", "pledge"), ("cards-", "cards"), ("namecard-", "card"),
                         ("guide-", "guide")):
        if stem.startswith(prefix):
            return kind
    return stem
