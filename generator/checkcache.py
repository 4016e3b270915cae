"""A cache of loaded and validated unit folders, keyed by the bytes of their files.

Loading and validating YAML is most of ``check``'s time (measured: 4.9 of 7.8 s at 200
units). A unit whose files, privacy allow-list and checker code are unchanged is read
back from a pickle instead. The key covers everything the result depends on; the
cache is a local folder (``.cache/check``) that git ignores and any run may delete.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import PIL

from .checksigns import SIGNATURES, Signatures, signature
from .diskcache import DiskCache
from .load import MAX_BYTES
from .safe_read import Unreadable, read_capped, real_path
from .unitload import LoadedUnit, load_unit, yaml_names

# Every module a unit load runs (tests/test_import_cycles.py keeps this list whole).
CODE = ("schema.py", "schematypes.py", "schema_unit.py", "schema_records.py", "load.py", "validate.py", "privacy.py",
        "unitload.py", "layout.py", "model.py", "references.py", "settings.py", "webaddress.py", "errors.py",
        "textcheck.py", "visible.py", "numerals.py", "unicode_tables.py", "richtext.py", "safe_read.py", "yamlhints.py",
        "figures.py", "rates.py", "tally.py", "withheld.py", "photos.py", "checkdates.py")  # model.py imports figures


@cache
def code_digest() -> str:
    """A unit's result depends on the checker's code too: any change to it empties the cache."""
    digest = hashlib.sha256(sys.version.encode())  # marshal and pickle formats follow the Python version
    digest.update(PIL.__version__.encode())  # photos.py's answers (G308) follow what Pillow can read
    here = Path(__file__).resolve().parent
    for name in CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _bytes(path: Path, root: Path, folder_inside: bool) -> bytes:
    """A file's bytes as the loader would read them; for one it refuses, what it is instead.

    Read through :func:`generator.safe_read.read_capped`: a symlink to /dev/zero or a FIFO
    must not hang the cache lookup before the loader gets to refuse it.
    """
    try:
        return read_capped(path, root, MAX_BYTES, folder_inside)
    except Unreadable as exc:
        info = path.lstat()
        return f"refused {exc.code} {info.st_mode} {info.st_ino} {info.st_mtime_ns} {info.st_size}".encode()


class UnitCache:
    def __init__(self, folder: Path, root: Path):
        self.store = DiskCache(folder)
        self.root = root
        self.keys: dict[Path, str] = {}  # folder -> key, as :meth:`lookup` found it
        self.known = Signatures(folder / SIGNATURES)
        self._real_parents: dict[str, str] = {}  # folder -> its real path, for real_path

    def prune(self) -> None:
        """Delete results no folder of this check asked for (old versions of edited files)."""
        self.store.prune()
        self.known.save()

    def key(self, unit: Path, allowed: frozenset[str]) -> str:
        """The digest of the folder's name and files (their bytes), the allow-list and the checker's code.

        Hashing every file was a fifth of a warm check at 2,000 units; a folder whose files'
        :func:`signature` is the one recorded when they were last hashed has the key found then.
        """
        real = self._resolved(unit)
        names = yaml_names(unit)
        head = (code_digest(), str(self.root), real, unit.name, "\0".join(sorted(allowed)))
        sign = signature(real, names, time.time_ns())
        if sign is not None and (known := self.known.get(head, sign)):
            return known
        digest = hashlib.sha256(code_digest().encode())
        digest.update(real.encode() + b"\0" + unit.name.encode())  # a link's name is its unit id, read apart from its target's
        digest.update("\0".join(sorted(allowed)).encode())
        inside = Path(real).is_relative_to(self.root)
        for name in names:
            digest.update(name.encode() + b"\0" + _bytes(unit / name, self.root, inside) + b"\0")
        key = digest.hexdigest()
        if sign is not None and signature(real, names, time.time_ns()) == sign:  # unchanged while hashed
            self.known.put(head, sign, key)
        return key

    def _resolved(self, unit: Path) -> str:
        """``str(unit.resolve())``, the units' folder resolved once (:func:`generator.safe_read.real_path`)."""
        return real_path(str(unit), self._real_parents)

    def lookup(self, unit: Path, allowed: frozenset[str]) -> LoadedUnit | None:
        """The cached result for the folder as it is now, or None."""
        key = self.keys[unit] = self.key(unit, allowed)
        data = self.store.get(key)
        try:
            result: Any = pickle.loads(data) if data is not None else None
        except Exception:  # a damaged entry is a miss (pickle raises a dozen kinds)
            return None
        return result

    def load(self, unit: Path, root: Path, allowed: frozenset[str]) -> bytes:
        """Load and check the folder, keep the result for next time; the result, pickled.

        Pickled once: the same bytes go to the cache file and back from a worker process.
        The key is the one :meth:`lookup` computed (workers are forked after it).
        """
        result = pickle.dumps(load_unit(unit, root, allowed), protocol=pickle.HIGHEST_PROTOCOL)
        self.store.put(self.keys.get(unit) or self.key(unit, allowed), result)
        return result
