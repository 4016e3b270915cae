"""``serve``'s re-check: the loaded unit folders stay in memory between rebuilds.

:func:`generator.check.check` reads every file of every unit to hash it and unpickles
every unit from the disk cache: 3.7 s at 2,000 units, before the site build starts, on
every save. Issue #15 wants a one-unit edit live in the browser within 2 s. A
:class:`CheckSession` keeps each folder's loaded result with the folder's signature
(:func:`folder_signature`: the ``stat`` of the folder and of its YAML files, no bytes
read) and on each :meth:`CheckSession.check` re-loads only the folders whose signature
changed, plus ``site_config.yml``. The checks across units, the model and the warnings
run again in full (:func:`generator.check.validated_model`), so the result is the one
``check`` would return; a kept unit's checks within itself are answered again only when
what they read besides its files (the settings' periods, its photos) changed
(:func:`generator.references.checks_within_key`).

The hazard is a change the signature misses. It errs on the side of re-loading: any
change of inode, size, modification or status-change time of a file, a file added,
removed or renamed in the folder (the folder's own times), a symlink retargeted, or a
new privacy allow-list re-loads. A file rewritten with the same size inside one tick of
the file system's clock (a few milliseconds) keeps its signature; the next save shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .check import CheckResult, load_units, no_collection, read_settings, unit_folders, validated_model
from .checkcache import UnitCache
from .errors import Problem
from .modelmemo import ModelMemo
from .references import Located, Signature, check_unit, checks_within_key, stat_of
from .settings import SiteConfig
from .unitload import LoadedUnit, yaml_names


def folder_signature(folder: Path) -> Signature:
    """What a unit folder's loaded result depends on, from ``stat`` alone.

    The folder (as a link and what it points to; its own times: entries added, removed or
    renamed), and each YAML file in it (``load_unit`` reads those), as a link and as what it points to.
    """
    entries: list[object] = [stat_of(str(folder), follow=False), stat_of(str(folder))]
    try:
        files = yaml_names(folder)
    except OSError:
        return (*entries, None)
    for name in files:
        path = os.path.join(folder, name)
        entries.append((name, stat_of(path, follow=False), stat_of(path)))
    return tuple(entries)


@dataclass
class _Kept:
    signature: Signature
    allowed: frozenset[str]  # the privacy allow-list the texts were checked against
    result: LoadedUnit
    checked: tuple[Signature, list[Problem]] | None = None  # check_unit's answer, and what it read


class CheckSession:
    """Re-checks one project, keeping each loaded unit folder until its files change.

    ``cache`` is the disk cache :func:`generator.check.check` uses (``.cache/check``):
    the first check fills the session from it, and a re-loaded folder is stored there
    too, so the next ``serve`` or ``build`` starts warm.
    """

    def __init__(self, root: Path, cache: Path | None = None):
        self.root = root.resolve()
        self.cache = cache
        self.kept: dict[Path, _Kept] = {}
        self.reloaded: list[Path] = []  # the folders the last check loaded (for tests and timings)
        self.model = ModelMemo()  # the units and figures of folders whose files did not change

    def check(self) -> CheckResult:
        """The project checked as it is now: what :func:`generator.check.check` returns."""
        with no_collection(keep_frozen=bool(self.kept)):
            return self._check()

    def _check(self) -> CheckResult:
        folders, valid, folder_problems = unit_folders(self.root)
        settings = read_settings(self.root, folders)
        allowed = settings.allowed
        signatures = {folder: folder_signature(folder) for folder in valid}
        stale = [f for f in valid if not self._current(f, signatures[f], allowed)]
        unit_cache = UnitCache(self.cache, self.root) if self.cache else None
        for folder, result in zip(stale, load_units(unit_cache, stale, self.root, allowed), strict=True):
            self.kept[folder] = _Kept(signatures[folder], allowed, result)
        if unit_cache and len(stale) == len(valid):  # only a full load knows every entry still in use
            unit_cache.prune()
        self.kept = {folder: self.kept[folder] for folder in valid}  # folders removed or renamed are let go
        self.reloaded = stale
        units = [self.kept[folder].result for folder in valid]
        return validated_model(self.root, settings, valid, settings.problems + folder_problems, units,
                               self._check_within, memo=self.model)

    def _check_within(self, loc: Located, config: SiteConfig | None) -> list[Problem]:
        """:func:`generator.references.check_unit`, asked again only if what it reads changed.

        Profiled at 2,000 units, the checks within units were a third of a re-check.
        """
        kept = self.kept.get(loc.source.folder)
        if kept is None or kept.result[0] is not loc:
            return check_unit(loc, config)
        key = checks_within_key(loc, config)
        if kept.checked is None or kept.checked[0] != key:
            kept.checked = key, check_unit(loc, config)
        return kept.checked[1]

    def _current(self, folder: Path, signature: Signature, allowed: frozenset[str]) -> bool:
        kept = self.kept.get(folder)
        return kept is not None and kept.signature == signature and kept.allowed == allowed
