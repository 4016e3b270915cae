"""Load, validate and model the whole content tree: what ``build.py check`` runs.

:func:`check` reads ``site_config.yml`` and every unit folder under
``content/units/``, collects every problem, and returns the model only when
there is no error. A broken file (syntax, schema) suppresses only the checks
that need it: every unit's cross-file and conditional checks run over the files
that loaded, whatever is wrong elsewhere, so one run lists every problem.
Warnings (overdue pledges, low satisfaction …) come from the model and never
stop a build.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import multiprocessing
import os
import pickle
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from . import privacy
from .channels import overlaps
from .checkcache import UnitCache
from .errors import Problem, error, has_errors, relpath, warning
from .figures import grade_shares, percent_of, unit_figures
from .layout import no_unit_file, stray_files
from .load import Loaded, load_file
from .model import Site, Unit, UnitSource, build
from .references import Located, check_config, check_tree, check_unit
from .retired import check_retired
from .schema import UNIT_FILES, Strict
from .settings import SiteConfig
from .textcheck import text_problems
from .validate import validate

# What a unit folder may be called (G306), and every id a staff command accepts (G710).
# \Z, not $: "$" also matches before a final newline, which let "hall\n" through.
UNIT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")


@dataclass
class Result:
    site: Site | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def as_of_date(configured: dt.date | None) -> dt.date:
    """The as-of date: the setting, else SOURCE_DATE_EPOCH, else today (UTC+8)."""
    if configured:
        return configured
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return china_today()


def china_today() -> dt.date:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


def _as_of_problems(config: SiteConfig, loaded: Loaded) -> list[Problem]:
    """The as-of date must lie in ``as_of_range`` (G115): a typo such as 2206 or 1026 passed
    check and then crashed the site build (gzip and sitemap dates cannot hold such years)."""
    bounds = config.as_of_range
    today = china_today()
    try:
        latest = today.replace(year=today.year + bounds.years_ahead)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + bounds.years_ahead, day=28)
    try:
        as_of = as_of_date(config.as_of)
    except (ValueError, OverflowError, OSError):
        as_of = dt.date.min
    if bounds.earliest <= as_of <= latest:
        return []
    line, col = loaded.pos(("as_of",) if config.as_of else ("as_of_range",) if "as_of_range" in loaded.data else ())
    source = "as_of" if config.as_of else f"环境变量 SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')!r}"
    return [error(loaded.shown, line, col, "G115",
                  f"统计截止日期 {as_of}（来自 {source}）超出合理范围：期望在 {bounds.earliest} 到 {latest} 之间"
                  f"（as_of_range：最早 earliest，最多比今天晚 years_ahead={bounds.years_ahead} 年）。"
                  "多半是年份打错了，请改正；确需更大范围时在 site_config.yml 里设置 as_of_range")]


def _load_config(root: Path, unit_ids: set[str]) -> tuple[SiteConfig | None, Loaded | None, list[Problem]]:
    """The settings, or None; personal data in them is checked once the allow-list is known."""
    path = root / "site_config.yml"
    shown = "site_config.yml"  # not relpath: that follows a symlink to where it points
    if not path.exists() and not path.is_symlink():
        return None, None, [error(shown, 1, 1, "G110", "找不到 site_config.yml。请在项目根目录创建它（可参照示例）")]
    loaded = load_file(path, shown, root)
    if isinstance(loaded, Problem):
        return None, None, [loaded]
    config, problems = validate(loaded, SiteConfig)
    if config:
        problems += check_config(config, loaded, unit_ids)
        problems += _as_of_problems(config, loaded)
    allowed = privacy.allowed_numbers(config.privacy.public_numbers) if config else frozenset()
    problems += text_problems(loaded, SiteConfig, allowed)
    return config, loaded, problems


def _load_one(path: Path, shown: str, model: type[Strict], allowed: frozenset[str], office: str,
              root: Path, inside: bool) -> tuple[Loaded, Strict | None, list[Problem]]:
    """One unit file: loaded (empty if absent or unreadable), validated, its texts checked.

    ``office`` is the unit's own address, which may stand in any of its texts; ``inside`` says
    the unit folder lies in the project, so only a symlinked file needs resolving.
    """
    if not path.exists() and not path.is_symlink():  # a broken link is read, and reported
        if path.name == "unit.yml":
            return Loaded(path, shown, {}), None, [no_unit_file(path.parent, shown.rpartition("/")[0])]
        return Loaded(path, shown, {}), model(), []  # optional files may be left out
    loaded = load_file(path, shown, root, inside)
    if isinstance(loaded, Problem):
        return Loaded(path, shown, {}), None, [loaded]
    obj, problems = validate(loaded, model)
    problems += text_problems(loaded, model, allowed, office or unit_address(loaded))
    return loaded, obj, problems


def unit_address(loaded: Loaded) -> str:
    """The office address written in a unit.yml (as written, valid or not), else ""."""
    address = loaded.data.get("address") if loaded.path.name == "unit.yml" and loaded.data else None
    return address if isinstance(address, str) else ""


def _load_unit(folder: Path, root: Path, allowed: frozenset[str]) -> tuple[Located | None, list[Problem]]:
    """A unit folder's files; a file that failed is replaced by an empty stand-in and listed as broken.

    The stand-in only keeps the types whole: :func:`references.check_unit` skips every check
    that needs a broken file, and no model is built while any error stands.
    """
    problems: list[Problem] = []
    objects: dict[str, Strict] = {}
    loaded_files: dict[str, Loaded] = {}
    broken: set[str] = set()
    for extra in sorted(folder.glob("*.y*ml")):
        if extra.name not in UNIT_FILES:
            problems.append(warning(relpath(extra, root), 1, 1, "G202",
                                    f"不认识的文件名 {extra.name}，它不会被读取。可用的文件名：{'、'.join(UNIT_FILES)}"))
    office = ""  # the unit's own address
    shown_folder = relpath(folder, root)  # resolved once: per file it cost 1.6 s at 2,000 units
    inside = folder.resolve().is_relative_to(root)  # so each file is resolved only if it is a symlink
    for name, model in UNIT_FILES.items():
        loaded_files[name], obj, found = _load_one(folder / name, f"{shown_folder}/{name}", model, allowed, office,
                                                   root, inside)
        problems += found
        if obj is None:
            broken.add(name)
        objects[name] = obj if obj is not None else model.model_construct()
        office = office or unit_address(loaded_files[name])  # unit.yml is read first
        loaded_files[name].pack()  # validated: only the positions are needed from here on
    digest = hashlib.sha256()  # of the files' digests, taken as they were read
    for name, loaded in loaded_files.items():
        digest.update(f"{name}\0{loaded.sha256}\0".encode())
    source = UnitSource(
        id=folder.name, folder=folder, digest=digest.hexdigest(),
        files=[folder / n for n in UNIT_FILES if (folder / n).exists()],
        unit=objects["unit.yml"], members=objects["members.yml"], pledges=objects["pledges.yml"],  # type: ignore[arg-type]
        compare=objects["compare.yml"], evaluations=objects["evaluations.yml"],  # type: ignore[arg-type]
        rectifications=objects["rectifications.yml"], grading=objects["grading.yml"],  # type: ignore[arg-type]
    )
    return Located(source, loaded_files, frozenset(broken)), problems


def _unit_warnings(site: Site, unit: Unit, loc: Located) -> Iterator[Problem]:
    for i, p in enumerate(unit.pledges):
        if p.overdue:
            yield loc.warn("pledges.yml", ("pledges", i, "due"), "G501",
                           f"承诺“{p.id}”已逾期：期限 {p.data.due}，截至 {site.as_of} 仍为“{p.data.status}”。请跟进并更新状态")
    for i, r in enumerate(unit.rectifications):
        if r.overdue:
            yield loc.warn("rectifications.yml", ("rectifications", i, "deadline"), "G502",
                           f"整改“{r.data.id}”已超过时限 {r.data.deadline}，状态仍为“{r.data.status}”")
    for i, m in enumerate(unit.members):
        if not m.published:
            yield loc.warn("members.yml", ("members", i, "consent"), "G404",
                           f"成员“{m.data.name}”未同意公开（consent 不是 true），不会出现在网站和展板上")
    for i, s in enumerate(unit.data.services):
        if s.promised_limit is None and s.legal_limit is None:
            yield loc.warn("unit.yml", ("services", i), "G505",
                           f"服务事项“{s.name}”没有办结时限。请填写 promised_limit（工作日数或“即办”）")
    for o in overlaps(unit.evaluations.surveys, site.config.surveys.channels_included):
        yield loc.warn("evaluations.yml", ("surveys", o.index, "channel"), "G716", o.message())
    own = unit_figures(site, unit.id)
    if own.satisfaction.meets is False:
        yield loc.warn("evaluations.yml", ("surveys",), "G503",
                       f"{site.period.name}群众满意率 {own.satisfaction.short()}，"
                       f"低于目标 {own.satisfaction.target_percent()}。"
                       "请分析意见并在整改台账中登记措施")


def _warnings(site: Site, located: dict[str, Located]) -> list[Problem]:
    out: list[Problem] = []
    for unit in site.units.values():
        out += _unit_warnings(site, unit, located[unit.id])
    cap = site.config.targets.advanced_cap
    for year, (advanced, graded) in grade_shares(site).items():
        if graded and advanced / graded > cap + 1e-9:
            out.append(warning("site_config.yml", 1, 1, "G504",
                               f"{year} 年定级为“先进”的单位有 {advanced}/{graded} 个，"
                               f"超过上限 {percent_of(site.config, cap)}"))
    return out


PARALLEL_FROM = 64  # unit folders; below this, starting worker processes costs more than it saves


def _load_all(load_unit: Any, folders: list[Path], root: Path, allowed: frozenset[str]) -> Iterator[Any]:
    """Each folder's (located, problems), in order; on both cores for a large tree."""
    workers = min(os.cpu_count() or 1, 4)
    if len(folders) < PARALLEL_FROM or workers < 2:
        return (load_unit(f, root, allowed) for f in folders)
    if "fork" not in multiprocessing.get_all_start_methods():  # Windows: one process
        return (load_unit(f, root, allowed) for f in folders)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        chunk = max(len(folders) // (workers * 8), 1)
        return iter(list(pool.map(load_unit, folders, repeat(root), repeat(allowed), chunksize=chunk)))


def _load_units(unit_cache: UnitCache | None, folders: list[Path], root: Path, allowed: frozenset[str]
                ) -> list[tuple[Located | None, list[Problem]]]:
    """Every folder's (located, problems), in order: cached results read here, the rest loaded.

    Cache hits are read in this process: through a worker each would be unpickled twice more.
    """
    if unit_cache is None:
        return list(_load_all(_load_unit, folders, root, allowed))
    results = [unit_cache.lookup(f, allowed) for f in folders]
    missing = [i for i, r in enumerate(results) if r is None]
    for i, result in zip(missing, _load_all(unit_cache.load, [folders[i] for i in missing], root, allowed),
                         strict=True):
        results[i] = pickle.loads(result)
    unit_cache.prune()
    return results  # type: ignore[return-value]


@contextmanager
def _no_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the model is built.

    Loading creates hundreds of thousands of objects that all live on, and every few
    hundred allocations the collector would walk them again: with it paused, reading
    2,000 cached unit folders takes a quarter of the time. Afterwards the survivors are
    frozen (``gc.freeze``), so later collections during rendering skip the model. The
    previous freeze is undone and collected first, so a long-running ``serve`` does not
    keep every earlier build's leftovers (measured: flat over repeated rebuilds).
    """
    enabled = gc.isenabled()
    gc.unfreeze()  # in a long-running `serve`: what the last build froze and left behind
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def check(root: Path, cache: Path | None = None) -> Result:
    """Check the content under ``root``; the model is returned only if there is no error.

    With ``cache`` (the CLI passes ``.cache/check``), each unit folder's loaded and validated
    files are kept by the hash of their bytes, so an edit to one unit re-reads one unit.
    """
    with _no_collection():
        return _check(root, cache)


def _check(root: Path, cache: Path | None) -> Result:
    root = root.resolve()
    unit_cache = UnitCache(cache, root) if cache else None
    units_dir = root / "content" / "units"
    folders = sorted(p for p in units_dir.iterdir() if p.is_dir()) if units_dir.is_dir() else []
    config, config_file, problems = _load_config(root, {f.name for f in folders if UNIT_ID.match(f.name)})
    allowed = privacy.allowed_numbers(config.privacy.public_numbers) if config else frozenset()
    located: dict[str, Located] = {}
    if not folders:
        problems.append(error("content/units", 1, 1, "G201", "content/units/ 下没有任何单位目录"))
    if units_dir.is_dir():
        problems += stray_files(units_dir)
    valid = []
    for folder in folders:
        if UNIT_ID.match(folder.name):
            valid.append(folder)
        else:
            problems.append(error(relpath(folder, root), 1, 1, "G306",
                                  f"单位目录名“{folder.name}”不合规：只能用小写英文字母、数字和连字符，如 tax-hall"))
    for folder, (found, unit_problems) in zip(valid, _load_units(unit_cache, valid, root, allowed), strict=True):
        problems += unit_problems
        if found:
            located[folder.name] = found
    problems += check_tree(located, {f.name for f in valid})
    for loc in located.values():
        problems += check_unit(loc, config)
    if config and config_file:  # members and units that left keep a page: the record must match the content
        members = {unit_id: {m.id for m in loc.source.members.members} for unit_id, loc in located.items()}
        problems += check_retired(config, config_file, {f.name: members.get(f.name, set()) for f in valid})
    if config is None or has_errors(problems):
        return Result(None, problems)
    site = build(config, root, [loc.source for loc in located.values()], as_of_date(config.as_of))
    problems += _warnings(site, located)
    return Result(site, problems)
