"""A folder of cached bytes by key, shared by the check cache and the site build's caches.

Writes go to a temporary file that is renamed into place, so a reader never sees half an
entry; a folder that cannot be written (a read-only checkout) simply means no cache. Each
run remembers which keys it used and :meth:`DiskCache.prune` deletes the rest, so entries
for old versions of edited files do not pile up.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

STALE_TMP_S = 600  # a temporary file this old was left by a process killed while writing it


class DiskCache:
    def __init__(self, folder: Path, suffix: str = ".pickle"):
        self.folder = folder
        self.suffix = suffix
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        self.used.add(key + self.suffix)
        return self.folder / (key + self.suffix)

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            pass

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
