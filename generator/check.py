"""Load, validate and model the whole content tree: what ``build.py check`` runs.

:func:`check` reads ``site_config.yml`` (:mod:`generator.checkconfig`) and every unit
folder under ``content/units/`` (:mod:`generator.unitload`), collects every problem,
and returns the model only when there is no error. A broken file (syntax, schema)
suppresses only the checks that need it: every unit's cross-file and conditional checks
run over the files that loaded, whatever is wrong elsewhere, so one run lists every
problem. Warnings (overdue pledges, low satisfaction …, :mod:`generator.checkwarnings`)
come from the model and never stop a build. ``serve`` re-checks through
:class:`generator.checksession.CheckSession`, which keeps the loaded folders in memory
and ends in the same :func:`validated_model`.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .checkcache import UnitCache, code_digest
from .checkconfig import allowed_numbers, as_of_date, load_config
from .checkwarnings import model_warnings
from .errors import Problem, error, has_errors, relpath
from .layout import stray_files
from .load import Loaded
from .model import Site, build
from .modelmemo import KeptFigures, KeptInMemory, ModelMemo
from .overridecheck import override_problems
from .references import Located, UnitCheck, check_tree, check_unit
from .retired import check_retired
from .settings import SiteConfig
from .unitload import UNIT_ID, LoadedUnit, load_all, load_unit
from .warncache import KeptWarnings

__all__ = ["UNIT_ID", "CheckResult", "check"]


@dataclass
class CheckResult:
    """What a check found: the model (None while any error stands) and every problem, in order."""

    site: Site | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


@dataclass
class Settings:
    """``site_config.yml`` as check read it: the settings (None if unusable), the file, its problems."""

    config: SiteConfig | None
    file: Loaded | None
    problems: list[Problem]

    @property
    def allowed(self) -> frozenset[str]:
        return allowed_numbers(self.config)


def unit_folders(root: Path) -> tuple[list[Path], list[Path], list[Problem]]:
    """Every folder under content/units/, those whose name is a valid unit id, and what is wrong."""
    units_dir = root / "content" / "units"
    folders = [units_dir / name for name in _folder_names(units_dir)] if units_dir.is_dir() else []
    problems = [] if folders else [error("content/units", 1, 1, "G201", "content/units/ 下没有任何单位目录")]
    if units_dir.is_dir():
        problems += stray_files(units_dir)
    valid = []
    for folder in folders:
        if UNIT_ID.match(folder.name):
            valid.append(folder)
        else:
            problems.append(error(relpath(folder, root), 1, 1, "G306",
                                  f"单位目录名“{folder.name}”不合规：只能用小写英文字母、数字和连字符，如 tax-hall"))
    return folders, valid, problems


def _folder_names(units_dir: Path) -> list[str]:
    """The folders' names, sorted (as Paths with one parent sort): scandir spares a stat per folder."""
    with os.scandir(units_dir) as entries:
        return sorted(e.name for e in entries if _is_dir(e))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a symlink, as Path.is_dir does
    except OSError:
        return False


def read_settings(root: Path, folders: list[Path]) -> Settings:
    return Settings(*load_config(root, {f.name for f in folders if UNIT_ID.match(f.name)}))


def validated_model(root: Path, settings: Settings, valid: list[Path], problems: list[Problem],
                    units: list[LoadedUnit], check_one: UnitCheck = check_unit,
                    unit_cache: UnitCache | None = None, memo: ModelMemo | None = None) -> CheckResult:
    """Check across units and files, then build the model unless there is an error.

    ``problems`` are those found so far (settings, folders); ``units`` is each valid
    folder's loaded result, in order; ``check_one`` checks within one unit (serve's
    session passes one that remembers its answers, see :mod:`generator.checksession`);
    ``unit_cache`` (``check``'s) also keeps each unit's warnings by its key (:mod:`generator.warncache`);
    ``memo`` keeps the units, figures and warnings of unchanged folders (serve's session's, in
    memory) or the figures of unchanged subtrees between runs (``check``'s, beside ``unit_cache``,
    which then keeps the warnings): :mod:`generator.modelmemo`.
    """
    problems = [*problems, *override_problems(root), *_too_many_units(settings, valid)]  # overrides/: no link out
    located: dict[str, Located] = {}
    for folder, (found, unit_problems) in zip(valid, units, strict=True):
        problems += unit_problems
        if found:
            located[folder.name] = found
    problems += check_tree(located, {f.name for f in valid})
    config = settings.config
    as_of = as_of_date(config.as_of) if config else None  # once: what is kept is keyed by the date it was computed for
    kept_checks = _kept_checks(unit_cache, config, as_of)
    for loc in located.values():
        problems += kept_checks.within(loc, config, check_one) if kept_checks and config else check_one(loc, config)
    if config and settings.file:  # members and units that left keep a page: the record must match the content
        members = {unit_id: {m.id for m in loc.source.members.members} for unit_id, loc in located.items()}
        problems += check_retired(config, settings.file, {f.name: members.get(f.name, set()) for f in valid})
    if config is None or as_of is None or has_errors(problems):
        return CheckResult(None, problems)  # what was kept this run is not saved: a later run computes it again
    site = build(config, root, [loc.source for loc in located.values()], as_of, memo)
    warned: KeptWarnings | KeptInMemory | None = kept_checks or (memo.warnings(site, located) if memo else None)
    problems += model_warnings(site, located, warned)
    if warned is not None:
        warned.save()
    return CheckResult(site, problems)


def _too_many_units(settings: Settings, valid: list[Path]) -> list[Problem]:
    """More unit folders than ``max_units`` allows (G117): a guard against an import gone wrong."""
    config, file = settings.config, settings.file
    if config is None or file is None or len(valid) <= config.max_units:
        return []
    line, col = file.pos(("max_units",))
    return [error(file.shown, line, col, "G117",
                  f"单位数超过上限：max_units 是 {config.max_units}，content/units/ 下实际有 {len(valid)} 个单位目录。"
                  "请删除多余的单位目录，或把 max_units 改大")]


def _kept_checks(unit_cache: UnitCache | None, config: SiteConfig | None, as_of: dt.date | None
                 ) -> KeptWarnings | None:
    """What ``check``'s cache keeps of each unit's checks within itself and warnings (:mod:`generator.warncache`)."""
    if unit_cache is None or config is None or as_of is None:
        return None
    keys = {folder.name: key for folder, key in unit_cache.keys.items()}
    return KeptWarnings(unit_cache.store.folder, keys, f"{config.model_dump_json()}\0{as_of.isoformat()}")


def load_units(unit_cache: UnitCache | None, folders: list[Path], root: Path, allowed: frozenset[str]
               ) -> list[LoadedUnit]:
    """Every folder's (located, problems), in order: cached results read here, the rest loaded.

    Cache hits are read in this process: through a worker each would be unpickled twice more.
    """
    if unit_cache is None:
        return list(load_all(load_unit, folders, root, allowed))
    results = [unit_cache.lookup(f, allowed) for f in folders]
    missing = [i for i, r in enumerate(results) if r is None]
    for i, result in zip(missing, load_all(unit_cache.load, [folders[i] for i in missing], root, allowed),
                         strict=True):
        results[i] = pickle.loads(result)
    return results  # type: ignore[return-value]


@contextmanager
def no_collection(keep_frozen: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the model is built.

    Loading creates hundreds of thousands of objects that all live on, and every few
    hundred allocations the collector would walk them again: with it paused, reading
    2,000 cached unit folders takes a quarter of the time. Afterwards the survivors are
    frozen (``gc.freeze``), so later collections during rendering skip the model. The
    previous freeze is undone and collected first, so a long-running ``serve`` does not
    keep every earlier build's leftovers (measured: flat over repeated rebuilds).

    ``keep_frozen`` is for the in-memory re-check, whose kept units are most of what was
    frozen: walking them again cost 6.9 of its 22 s (profiled, 2,000 units). Only what is
    not frozen is collected (the last site build's leftovers); what was frozen and has
    died since is freed by reference counting unless it is part of a cycle (measured:
    11 such objects per re-check of the minimal project, 225 with a site build).
    """
    enabled = gc.isenabled()
    if not keep_frozen:
        gc.unfreeze()  # in a long-running `serve`: what the last build froze and left behind
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def check(root: Path, cache: Path | None = None) -> CheckResult:
    """Check the content under ``root``; the model is returned only if there is no error.

    With ``cache`` (the CLI passes ``.cache/check``), each unit folder's loaded and validated
    files are kept by the hash of their bytes, so an edit to one unit re-reads one unit, and
    the figures of unchanged subtrees are read back (:class:`generator.modelmemo.KeptFigures`,
    kept when the pipeline calls ``site.memo.save()``).
    """
    with no_collection():
        return _check(root.resolve(), cache)


def _check(root: Path, cache: Path | None) -> CheckResult:
    folders, valid, folder_problems = unit_folders(root)
    settings = read_settings(root, folders)
    unit_cache = UnitCache(cache, root) if cache else None
    units = load_units(unit_cache, valid, root, settings.allowed)
    if unit_cache:
        unit_cache.prune()
    figures = KeptFigures(cache, code_digest()) if cache else None  # saved by the pipeline once the table is made
    return validated_model(root, settings, valid, settings.problems + folder_problems, units, unit_cache=unit_cache,
                           memo=figures)
