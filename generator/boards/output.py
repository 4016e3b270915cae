"""Writing boards: atomic per file, never a temp file left behind, stale boards removed.

Each file is written to a hidden temp file in the same folder and moved over
the old one with :func:`os.replace`, so a reader (or a failed run) sees either
the previous board or the new one, never half of one.

Stale boards (a member who withdrew consent or left) are deleted only if gongshi recorded
them as its own: before a run writes a unit's boards it adds their names to the unit
folder's :data:`RECORD`, and :func:`remove_stale` deletes only names listed there. A file
in ``boards/<unit>/`` that is not listed (the user's own, or a board written before the
record existed) is never deleted; it is returned so the run can name it (G616): an old
board of someone who withdrew must not stay published unnoticed.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..outdir import finished

BOARD_SUFFIXES = (".pdf", ".html")
RECORD = ".gongshi-boards"  # in each boards/<unit>/: the board files gongshi wrote there
RECORD_HEADER = "gongshi boards: gongshi 写进这个目录的展板文件；删除过期展板时只删这里列出的。\n"
RECORD_MAX = 4 << 20  # bytes read of a record: a unit has a few hundred boards at most


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


@contextlib.contextmanager
def _locked(boards_dir: Path) -> Iterator[None]:
    """Runs into the same ``boards/`` take turns updating records (``flock`` on the folder itself)."""
    try:
        import fcntl
        handle = os.open(boards_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (ImportError, OSError):  # pragma: no cover - Windows, or a folder that cannot be opened
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def recorded(folder: Path) -> set[str]:
    """The names of the board files gongshi recorded in ``folder`` (a ``boards/<unit>/``); none
    if the record is missing, not a regular file, or not one gongshi wrote."""
    path = folder / RECORD
    try:
        if path.is_symlink() or not path.is_file():
            return set()
        with path.open("rb") as handle:
            text = handle.read(RECORD_MAX).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    if not text.startswith(RECORD_HEADER):
        return set()
    return {name for name in text[len(RECORD_HEADER):].split("\n") if _board_name(name)}


def _board_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".") \
        and name.endswith(BOARD_SUFFIXES)


def _write_record(folder: Path, names: set[str]) -> None:
    write_atomic(folder / RECORD, (RECORD_HEADER + "".join(f"{n}\n" for n in sorted(names))).encode("utf-8"))


def note_boards(boards_dir: Path, paths: Iterable[Path]) -> None:
    """Record ``paths`` (board files about to be written) as gongshi's own, before writing them.

    Recorded first, so a run killed between writing and recording leaves no board of ours
    unrecorded; a name recorded whose board was never written is harmless.
    """
    by_folder: dict[Path, set[str]] = {}
    for path in paths:
        by_folder.setdefault(path.parent, set()).add(path.name)
    if not by_folder:
        return
    boards_dir.mkdir(parents=True, exist_ok=True)
    with _locked(boards_dir):
        for folder, names in sorted(by_folder.items()):
            known = recorded(folder)
            if not names <= known:
                folder.mkdir(parents=True, exist_ok=True)
                _write_record(folder, known | names)


def remove_stale(boards_dir: Path, expected: set[Path], units: Iterable[str] | None,
                 kinds: set[str] | None) -> tuple[list[Path], list[Path]]:
    """Delete board files of the given units (all if None) that no current board produces.

    A member who withdrew consent, or left, must not stay on the public site. Only ``.pdf``
    and ``.html`` files named like boards of ``kinds`` are looked at, and of those only the
    ones recorded as gongshi's (:data:`RECORD`) are deleted. Returns the files deleted and
    the files left because gongshi has no record of writing them.
    """
    if boards_dir.is_symlink() or not boards_dir.is_dir():
        return [], []
    folders = ([boards_dir / u for u in units] if units is not None
               else [p for p in sorted(boards_dir.iterdir()) if p.is_dir()])
    removed: list[Path] = []
    unknown: list[Path] = []
    with _locked(boards_dir):
        for folder in folders:
            if folder.is_symlink() or not folder.is_dir():
                continue  # never follow a link out of the output folder
            ours = recorded(folder)
            gone = []
            for path in sorted(folder.iterdir()):
                if (path.suffix not in BOARD_SUFFIXES or path in expected or path.name.startswith(".")
                        or _kind(path) not in (kinds or {_kind(path)}) or path.is_symlink() or not path.is_file()):
                    continue
                if path.name in ours:
                    path.unlink()
                    removed.append(path)
                    gone.append(path.name)
                else:
                    unknown.append(path)
            left = {name for name in ours if name not in gone and (folder / name).is_file()}
            if left != ours:
                if left:
                    _write_record(folder, left)
                else:
                    (folder / RECORD).unlink(missing_ok=True)  # ours: recorded() read our header in it
            if gone:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if now empty: the unit's last boards were ours
    return removed, unknown


# from write_atomic: name (a board's or the record's), pid, tempfile's 8 random characters
_TEMP = re.compile(r"\.(?:[^/]+\.(?:pdf|html)|" + re.escape(RECORD) + r")\.(\d+)-[a-z0-9_]{8}\.tmp\Z")


def remove_temp_leftovers(boards_dir: Path) -> list[Path]:
    """Delete the temp files of board runs killed part-way (named by write_atomic; process gone)."""
    removed = []
    for path in sorted(boards_dir.glob("*/.*.tmp")) if boards_dir.is_dir() else []:
        match = _TEMP.match(path.name)
        if (match and path.is_file() and not path.is_symlink() and not path.parent.is_symlink()
                and finished(int(match.group(1)))):
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
