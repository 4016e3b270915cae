"""When a unit folder's files need not be read and hashed again: their ``stat`` signature.

The check cache keys each unit folder by the bytes of its YAML files
(:mod:`generator.checkcache`); reading and hashing every file was a fifth of a warm check
at 2,000 units (py-spy). A folder whose files show the same signature as when they were
last hashed gets the key found then. The hash stays the truth: a signature only ever
stands for a hash computed while the files had that signature.

The rule, the one git's index relies on: a signature is, for each file, its name, device,
inode, size, mtime and ctime (nanoseconds, ``lstat``). Writing a file sets its ctime to
the current time, and so does setting its mtime back (``touch -d``, ``os.utime``); only
changing the system clock sets a ctime back. So an edit that keeps the size and restores
the mtime still changes the signature (tested). Two guards:

- *racy* files: a file changed within :data:`RACY_NS` of the moment it is signed could be
  changed again within the file system's timestamp granularity (a tick of the kernel's clock,
  two seconds on FAT) with every field equal. Such a folder is not signed; it is hashed on
  every run until its files are older.
- only regular files are signed: a symbolic link (its target may change while the link
  does not) or anything else makes the folder hashed on every run.
"""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

from .diskcache import read_sealed, write_sealed

SIGNATURES = "signatures.index"  # in the check cache's folder; not a ".pickle", so never pruned as an entry
RACY_NS = 3_000_000_000

Head = tuple[str, ...]  # what else the key depends on: code digest, project root, folder, allow-list
Sign = tuple[tuple[str, int, int, int, int, int], ...]


def signature(folder: str | Path, names: list[str], now_ns: int) -> Sign | None:
    """The files' signature, or None if one is not a regular file, cannot be read or is racy."""
    parts = []
    for name in names:
        try:
            info = os.lstat(os.path.join(folder, name))  # strings: 14,000 files a check at 2,000 units
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or max(info.st_mtime_ns, info.st_ctime_ns) > now_ns - RACY_NS:
            return None
        parts.append((name, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    return tuple(parts)


class Signatures:
    """Each folder's signature and the key its files hashed to, kept in one file between runs.

    :meth:`save` keeps the folders asked about in this run only (a removed unit is forgotten).
    """

    def __init__(self, path: Path):
        self.path = path
        self.known: dict[Head, tuple[Sign, str]] = {}
        self.used: dict[Head, tuple[Sign, str]] = {}
        try:
            loaded = pickle.loads(read_sealed(path) or b"")
            if isinstance(loaded, dict):
                self.known = loaded
        except Exception:  # unreadable or damaged: a miss (pickle raises a dozen kinds)
            pass

    def get(self, head: Head, sign: Sign) -> str | None:
        found = self.known.get(head)
        if found is None or found[0] != sign:
            return None
        self.used[head] = found
        return found[1]

    def put(self, head: Head, sign: Sign, key: str) -> None:
        self.used[head] = (sign, key)

    def save(self) -> None:
        if self.used == self.known:
            return
        write_sealed(self.path, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
