"""A cache of loaded and validated unit folders, keyed by the bytes of their files.

Loading and validating YAML is most of ``check``'s time (measured: 4.9 of 7.8 s at 200
units). A unit whose files, privacy allow-list and checker code are unchanged is read
back from a pickle instead. The key covers everything the result depends on; the
cache is a local folder (``.cache/check``) that git ignores and any run may delete.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .errors import Problem
from .references import Located

Loader = Callable[[Path, Path, frozenset[str]], tuple[Located | None, list[Problem]]]
CODE = ("schema.py", "load.py", "validate.py", "privacy.py", "check.py", "model.py", "references.py", "errors.py")


@cache
def _code_digest() -> str:
    """A unit's result depends on the checker's code too: any change to it empties the cache."""
    digest = hashlib.sha256(sys.version.encode())  # marshal and pickle formats follow the Python version
    here = Path(__file__).resolve().parent
    for name in CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


class UnitCache:
    def __init__(self, folder: Path, root: Path):
        self.folder = folder
        self.root = root
        self.used: set[str] = set()

    def prune(self) -> None:
        """Delete results no folder of this check asked for (old versions of edited files)."""
        try:
            for path in self.folder.iterdir():
                if path.suffix == ".pickle" and path.name not in self.used:
                    path.unlink(missing_ok=True)
        except OSError:
            pass

    def key(self, unit: Path, allowed: frozenset[str]) -> str:
        digest = hashlib.sha256(_code_digest().encode())
        digest.update(str(unit.resolve()).encode())
        digest.update("\0".join(sorted(allowed)).encode())
        for path in sorted(unit.glob("*.y*ml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def lookup(self, unit: Path, allowed: frozenset[str]) -> tuple[Located | None, list[Problem]] | None:
        """The cached result for the folder as it is now, or None."""
        key = self.key(unit, allowed)
        self.used.add(f"{key}.pickle")
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                result: Any = pickle.load(handle)
            return result
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
            return None

    def load(self, unit: Path, root: Path, allowed: frozenset[str]) -> bytes:
        """Load and check the folder, keep the result for next time; the result, pickled.

        Pickled once: the same bytes go to the cache file and back from a worker process.
        """
        from .check import _load_unit

        result = pickle.dumps(_load_unit(unit, root, allowed), protocol=pickle.HIGHEST_PROTOCOL)
        self._store(self.folder / f"{self.key(unit, allowed)}.pickle", result)
        return result

    def _store(self, path: Path, result: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(result)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only checkout still checks, just without the cache
