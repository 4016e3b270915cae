"""The model and its figures kept between builds: in one process for ``serve``, in a file for the CLI.

A unit of the model is a function of its validated files (the same objects while ``serve``'s
check session keeps the folder), its place in the tree and the as-of date: :meth:`ModelMemo.unit`
gives the one made last time when all of these are the same (0.4 s a save at 2,000 units).

A unit's figures alone are a function of its own files, the settings and the as-of date; its
rolled-up figures, of its whole subtree's files and the same two. So each unit gets a key made
bottom-up from its files' digest and its children's keys: a saved unit changes its own key and
its ancestors' and nothing else. ``serve`` keeps one :class:`ModelMemo` across rebuilds
(:class:`generator.checksession.CheckSession`), and :func:`generator.figures.tabulate` takes the
figures of every unchanged key from it instead of counting again (1.2 of the 1.8 s ``serve``'s
check took at 2,000 units before this, on every save).

Other settings or another as-of date forget everything; a unit without a digest is never kept.
Only the keys of the last table are kept, so the memo does not grow with the edits.

The command line's check uses :class:`KeptFigures`, which also keeps the figures in a file of
the check cache, so a run after a one-unit edit counts the edited unit and its ancestors only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diskcache import read_sealed, write_sealed

if TYPE_CHECKING:
    from .model import Site, Unit, UnitSource


class ModelMemo:
    """The units :func:`generator.model.build` made and what :func:`generator.figures.tabulate`
    computed for each (subtree key, period), as of the last build."""

    def __init__(self) -> None:
        self._units: dict[str, tuple[UnitSource, tuple[str, ...], tuple[str, ...], dt.date, Unit]] = {}
        self._context = ""
        self._kept: dict[tuple[str, str], Any] = {}
        self._made: dict[tuple[str, str], Any] = {}
        self._warnings: dict[str, tuple[Any, ...]] = {}

    def unit(self, source: UnitSource, children: tuple[str, ...], ancestors: tuple[str, ...], as_of: dt.date,
             make: Callable[[], Unit]) -> Unit:
        """The unit made from these very files at this place and date last time, else ``make()``."""
        kept = self._units.get(source.id)
        if kept is None or kept[0] is not source or kept[1:4] != (children, ancestors, as_of):
            kept = self._units[source.id] = (source, children, ancestors, as_of, make())
        return kept[4]

    def units_in_use(self, ids: set[str]) -> None:
        """Forget the units no longer in the site."""
        self._units = {unit_id: kept for unit_id, kept in self._units.items() if unit_id in ids}

    def begin(self, site: Site) -> dict[str, str]:
        """Start a table for ``site``: each unit's subtree key ("" for one never kept)."""
        context = f"{site.config.model_dump_json()}\0{site.as_of.isoformat()}"
        if context != self._context:
            self._context, self._kept = context, {}
        self._made = {}
        keys: dict[str, str] = {}
        for unit in reversed(list(site.units.values())):  # children before their parent
            parts = [unit.digest, *(keys[child] for child in unit.children)]
            keys[unit.id] = "" if not all(parts) else hashlib.sha256(
                "\0".join([unit.id, *parts]).encode()).hexdigest()
        return keys

    def get(self, key: str, period_id: str) -> Any:
        """What was kept for this subtree key and period, or None."""
        kept = self._kept.get((key, period_id)) if key else None
        if kept is not None:
            self._made[key, period_id] = kept
        return kept

    def put(self, key: str, period_id: str, value: Any) -> None:
        if key:
            self._made[key, period_id] = value

    def end(self) -> None:
        """The table is done: keep what it used, forget the rest."""
        self._kept, self._made = self._made, {}

    def save(self) -> None:
        """Keep the last table beyond this process (only :class:`KeptFigures` does)."""

    def warnings(self, site: Site, located: Mapping[str, Any]) -> KeptInMemory:
        """Each unit's check warnings as :func:`generator.checkwarnings.model_warnings` keeps them:
        a unit's are the same while its model (the very object), its loaded files and the settings are."""
        return KeptInMemory(self._warnings, site, located)


class KeptInMemory:
    """:class:`generator.warncache.KeptWarnings` for one process: ``get`` and ``put`` by unit id."""

    def __init__(self, kept: dict[str, tuple[Any, ...]], site: Site, located: Mapping[str, Any]):
        self.kept, self.site, self.located = kept, site, located
        self.settings = site.config.model_dump_json()

    def get(self, unit_id: str) -> list[Any] | None:
        found = self.kept.get(unit_id)
        if (found is None or found[0] is not self.site.units[unit_id] or found[1] is not self.located[unit_id]
                or found[2] != self.settings):
            return None
        return list(found[3])

    def put(self, unit_id: str, problems: list[Any]) -> None:
        self.kept[unit_id] = (self.site.units[unit_id], self.located[unit_id], self.settings, tuple(problems))

    def save(self) -> None:
        """Forget the units no longer in the site."""
        for unit_id in self.kept.keys() - self.site.units.keys():
            del self.kept[unit_id]


FIGURES = "figures.table"  # in the check cache's folder; not a ".pickle", so never pruned as a unit entry


@cache
def _own_code() -> str:
    """This module's code (the subtree keys, the file's form) and the sealing of the file key it too
    (tests/test_import_cycles.py)."""
    here = Path(__file__).parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in ("modelmemo.py", "diskcache.py"))).hexdigest()


class KeptFigures(ModelMemo):
    """A :class:`ModelMemo` whose figures are also kept in a file between runs: the command line's.

    A run of ``site`` after a one-unit edit counted every unit's figures again (0.9 s at 2,000
    units, four periods); read back, the whole table costs 0.2 s and only the edited unit and its
    ancestors are counted. ``code`` is the digest of the checker's code, which includes the
    figures' (:func:`generator.checkcache.code_digest`): other code forgets the file, as do
    other settings or another as-of date. The pipeline calls :meth:`save` once the site is
    published, so writing the table (0.4 s when it changed) never delays the pages. The file is
    replaced whole (written aside, then renamed), so a reader never sees half of it.
    """

    def __init__(self, folder: Path, code: str):
        super().__init__()
        self.path, self.code = folder / FIGURES, code + _own_code()
        self._read: frozenset[tuple[str, str]] = frozenset()  # the entries the file held

    def begin(self, site: Site) -> dict[str, str]:
        keys = super().begin(site)
        if not self._kept:
            self._kept = self._load(self._file_context())
            self._read = frozenset(self._kept)
        return keys

    def _file_context(self) -> str:
        return hashlib.sha256(f"{self.code}\0{self._context}".encode()).hexdigest()

    def _load(self, context: str) -> dict[tuple[str, str], Any]:
        try:
            found = pickle.loads(read_sealed(self.path) or b"")
        except Exception:  # no file, a damaged or foreign one: no table, count again
            return {}
        ok = isinstance(found, tuple) and len(found) == 2 and found[0] == context and isinstance(found[1], dict)
        return found[1] if ok else {}

    def save(self) -> None:
        if not self._kept or self._kept.keys() == self._read:
            return
        if write_sealed(self.path, pickle.dumps((self._file_context(), self._kept), protocol=pickle.HIGHEST_PROTOCOL)):
            self._read = frozenset(self._kept)  # else a read-only checkout, a full disk: no table kept
