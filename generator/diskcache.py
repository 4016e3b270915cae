"""A folder of cached bytes by key, shared by the check cache and the site build's caches;
and the sealed files every cache of gongshi writes.

Writes go to a temporary file that is renamed into place, so a reader never sees half an
entry; a folder that cannot be written (a read-only checkout) simply means no cache. Each
run remembers which keys it used and :meth:`DiskCache.prune` deletes the rest, so entries
for old versions of edited files do not pile up.

Every cache file is sealed (:func:`seal`): a header with the CRC-32 of its data, checked when it
is read back. A file damaged on disk or in a CI cache restore is then a miss, computed again,
and never published: about half of all single-byte changes to a pickle still load (into other
values), and any change to a cached QR code's SVG does. Checking costs 0.05 s for the 184 MB a
warm check reads at 2,000 units.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from pathlib import Path

STALE_TMP_S = 600  # a temporary file this old was left by a process killed while writing it
SEAL = b"gs\x00\x01"  # a sealed file's first bytes (format 1); then the CRC-32 of the data, then the data


def seal(data: bytes) -> bytes:
    """``data`` with a header that tells, when it is read back, whether it is still what was written."""
    return SEAL + zlib.crc32(data).to_bytes(4, "big") + data


def unseal(blob: bytes) -> bytes | None:
    """The data :func:`seal` wrapped, or None if ``blob`` was not sealed or was damaged since."""
    data = blob[8:]
    if blob[:4] != SEAL or zlib.crc32(data) != int.from_bytes(blob[4:8], "big"):
        return None
    return data


def read_sealed(path: Path) -> bytes | None:
    """The data of the sealed file at ``path``; None if it is missing, unreadable or damaged."""
    try:
        return unseal(path.read_bytes())
    except OSError:
        return None


def write_sealed(path: Path, data: bytes) -> bool:
    """Replace ``path`` in one step by ``data``, sealed; False if it cannot be written (then there
    is no cache: a read-only checkout, a full disk)."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(seal(data))
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False


class DiskCache:
    def __init__(self, folder: Path, suffix: str = ".pickle"):
        self.folder = folder
        self.suffix = suffix
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        self.used.add(key + self.suffix)
        return self.folder / (key + self.suffix)

    def get(self, key: str) -> bytes | None:
        return read_sealed(self._path(key))

    def put(self, key: str, data: bytes) -> None:
        write_sealed(self._path(key), data)

    def prune(self) -> None:
        """Delete the entries this run did not use, and temporary files left by killed writers
        (``serve`` ends its render workers at once when a newer save waits)."""
        try:
            for path in self.folder.iterdir():
                unused = path.suffix == self.suffix and path.name not in self.used
                abandoned = path.suffix == ".tmp" and time.time() - path.stat().st_mtime > STALE_TMP_S
                if unused or abandoned:
                    path.unlink(missing_ok=True)
        except OSError:
            pass
