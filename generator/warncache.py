"""Each unit's warnings, kept between runs of ``check`` by what they are computed from.

Also each unit's checks within itself (:meth:`KeptWarnings.within`).

A unit's warnings (:func:`generator.checkwarnings.unit_warnings`) read the unit's own model
(built from its files and the as-of date alone: its pledges, rectifications, members,
services and surveys), its own figures (its files, the settings and the as-of date; not its
subtree's), the settings, and the positions in its loaded files. So they are a function of:

- the unit's check-cache key (:class:`generator.checkcache.UnitCache`: its files' bytes, the
  privacy allow-list and the checker's code, which includes the model and the figures);
- ``site_config.yml`` as validated and the as-of date;
- the code of the warnings themselves (:data:`CODE`, beside the checker's).

Computing them for 2,000 units (positions unpacked for 6,000 warnings) took 0.9 s of every
check after an edit (py-spy); read back, those of every unchanged unit cost one small file.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import cache
from pathlib import Path

from .diskcache import read_sealed, write_sealed
from .errors import Problem
from .references import Located, UnitCheck, checks_within_key
from .settings import SiteConfig

FILE = "warnings.index"  # in the check cache's folder; not a ".pickle", so never pruned as a unit entry
CODE = ("checkwarnings.py", "channels.py", "warncache.py", "diskcache.py")  # and everything of checkcache.CODE (tests/test_import_cycles.py)


@cache
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in CODE)).hexdigest()


class KeptWarnings:
    """The warnings of each unit whose key and settings are those of a past run, and its checks
    within itself (:meth:`within`); see the module."""

    def __init__(self, folder: Path, unit_keys: dict[str, str], settings: str):
        self.path = folder / FILE
        self.unit_keys = unit_keys
        self.settings = hashlib.sha256(f"{_code_digest()}\0{settings}".encode()).hexdigest()
        self.known: dict[str, list[Problem]] = {}
        self.used: dict[str, list[Problem]] = {}
        try:
            loaded = pickle.loads(read_sealed(self.path) or b"")
            if isinstance(loaded, dict):
                self.known = loaded
        except Exception:  # unreadable or damaged: a miss (pickle raises a dozen kinds)
            pass

    def _key(self, unit_id: str) -> str | None:
        unit_key = self.unit_keys.get(unit_id)
        return f"{unit_key}:{self.settings}" if unit_key else None

    def get(self, unit_id: str) -> list[Problem] | None:
        key = self._key(unit_id)
        found = self.known.get(key) if key else None
        if key and found is not None:
            self.used[key] = found
        return found

    def put(self, unit_id: str, problems: list[Problem]) -> None:
        if key := self._key(unit_id):
            self.used[key] = problems

    def within(self, loc: Located, config: SiteConfig, check_one: UnitCheck) -> list[Problem]:
        """``check_one(loc, config)``, the unit's checks within itself, kept by the unit's key and
        all they read besides its files (:func:`generator.references.checks_within_key`): 0.5 s of
        every check at 2,000 units."""
        key = self._key(loc.source.id)
        if key is None:
            return check_one(loc, config)
        key += ":" + hashlib.sha256(repr(checks_within_key(loc, config)).encode()).hexdigest()
        found = self.known.get(key)
        if found is None:
            found = check_one(loc, config)
        self.used[key] = found
        return found

    def save(self) -> None:
        """Keep this run's entries only (an edited unit's old warnings are dropped)."""
        if self.used.keys() == self.known.keys():
            return
        write_sealed(self.path, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
