"""Stage: render boards. Plan → contexts → cache → workers → write.

:func:`build_boards` makes every board's context (stamps, QR codes, HTML; photos are
cleaned here) while the worker processes render the boards already made, so the workers
do not wait for the parent. Nothing is written until every context is made, so a bad photo
still stops the run before anything is written; boards rendered until then are held. Then
unchanged boards are served from the cache, and the rest written atomically as they arrive.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..errors import BuildError, Problem, error, warning
from ..model import Site
from ..outdir import claim_output, ensure_output
from ..stamps import printed_text
from . import fonts as board_fonts
from . import plan as planning
from . import press
from .cache import BoardCache, Entry, key
from .contexts import PhotoCache
from .output import note_boards, remove_stale, remove_temp_leftovers, write_atomic
from .plan import KINDS, BoardSpec
from .render import render_html
from .worker import Outcome, render_all


@dataclass
class BoardsResult:
    """What a run did: files written, boards served from cache, problems, seconds per board."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    boards: list[str] = field(default_factory=list)  # ids of the boards of this run
    cached: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    unrecorded: list[Path] = field(default_factory=list)  # stale-looking files gongshi did not record: kept (G616)
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds of boards not cached
    log: dict[str, list[str]] = field(default_factory=dict)  # WeasyPrint's warnings, per board

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _validate(site: Site, unit: str | None, kind: str | None, shard: tuple[int, int]) -> None:
    if unit is not None and unit not in site.units:
        raise BuildError(f"没有编号为“{unit}”的单位。可用的单位：{'、'.join(site.units)}")
    if kind is not None and kind not in KINDS:
        raise BuildError(f"展板种类应为 {'、'.join(KINDS)} 之一，实际为“{kind}”")
    index, count = shard
    if not 1 <= index <= count:
        raise BuildError(f"--shard 应为 I/N 且 1 ≤ I ≤ N，实际为 {index}/{count}")


def build_boards(site: Site, out_dir: Path, *, unit: str | None = None, kind: str | None = None,
                 jobs: int = 2, shard: tuple[int, int] = (1, 1), progress: bool = False,
                 cache_dir: Path | None = None, use_cache: bool = True) -> BoardsResult:
    """Render the boards of ``site`` into ``out_dir/boards/``; see docs/boards.md."""
    _validate(site, unit, kind, shard)
    out_dir = claim_output(out_dir, site.root)  # a folder of ours, empty or missing: see generator/outdir.py
    fonts = board_fonts.require()  # G610: no Chinese fonts, no boards
    result = BoardsResult()
    if (no_profile := _profile_problem(site)) is not None:  # G613: PDF/X without its output profile
        result.problems.append(no_profile)
        return result
    scope = planning.select(site, unit, kind)
    result.problems += planning.collisions(site, scope)
    if result.problems:
        return result
    mine = planning.shard(scope, *shard)
    result.boards = [e.id for e in mine]
    board_cache = BoardCache((cache_dir or site.root / ".cache" / "boards") if use_cache else None)
    # Progress on stderr; disable=None lets tqdm hide it when stderr is not a terminal.
    bar = tqdm(total=len(mine), desc="展板 boards", unit="张", file=sys.stderr,
               disable=None if progress else True, leave=False)
    boards = _Boards(site, mine, fonts, result, board_cache)
    held: list[Outcome] = []  # rendered while boards were still being made: nothing is written before
    with bar:
        for outcome in render_all(boards.specs(out_dir, bar), jobs, site.config.print.timeout_s):
            held.append(outcome)
            if boards.done:
                _finish_all(result, out_dir, boards, held, bar)
        _finish_all(result, out_dir, boards, held, bar)  # render_all ends after the last board is made
    expected = {out_dir / e.path(ext) for e in scope for ext in ("pdf", "html")}
    units = None if unit is None else [unit]
    result.removed, result.unrecorded = remove_stale(out_dir / "boards", expected, units, {kind} if kind else None)
    result.problems += _unrecorded_warnings(out_dir, result.unrecorded)
    return result


def _unrecorded_warnings(out_dir: Path, files: list[Path]) -> list[Problem]:
    """G616 per unit folder: files no board of this run makes, kept since gongshi has no record of writing them."""
    by_folder: dict[Path, list[str]] = {}
    for path in files:
        by_folder.setdefault(path.parent, []).append(path.name)
    problems = []
    for folder, names in by_folder.items():
        shown = "、".join(names[:10]) + (f"等 {len(names)} 个" if len(names) > 10 else "")
        problems.append(warning(
            str(folder), 1, 1, "G616",
            f"这个目录里有 {len(names)} 个 .pdf/.html 文件不是这次生成的展板，gongshi 也没有写出它们的记录，"
            f"所以没有删除：{shown}。它们仍在输出目录里，网站生成到这里时会随之发布。如果是旧版 gongshi 生成的过期展板"
            "（例如已撤回同意或已离开的成员的），请确认后自己删除；如果是你自己放的文件，请移到输出目录以外"))
    return problems


class _Boards:
    """Every board's spec, made one at a time as the workers ask for them (:func:`render_all`).

    Boards the cache has are not rendered; they are written, after the output folder is made,
    once every board is made (every photo cleaned: nothing can stop the run any more), and
    ``done`` is set; a cache entry gone by then is rendered after all."""

    def __init__(self, site: Site, mine: list[planning.Entry], fonts: board_fonts.BoardFonts,
                 result: BoardsResult, board_cache: BoardCache):
        self.site, self.mine, self.fonts, self.result, self.cache = site, mine, fonts, result, board_cache
        self.keys: dict[str, str] = {}  # cache key of each board, by id
        self.done = False

    def made(self) -> Iterator[tuple[BoardSpec, bool]]:
        """Each board's spec, and whether the cache has it."""
        board_spec = planning.BoardSpecs(self.site, PhotoCache())  # boards come unit by unit
        for entry in self.mine:
            spec, page = _drawable(self.site, board_spec(entry), self.fonts, self.result)
            self.keys[entry.id] = key(entry.id, f"{spec.page.variant}\n{page}")
            yield spec, self.cache.has(self.keys[entry.id])

    def specs(self, out_dir: Path, bar: tqdm) -> Iterator[BoardSpec]:
        """The specs to render; the cached boards written at the end (see the class doc)."""
        hits = []
        for spec, cached in self.made():
            if cached:
                hits.append(spec)
            else:
                yield spec
        ensure_output(out_dir)
        remove_temp_leftovers(out_dir / "boards")
        note_boards(out_dir / "boards", [out_dir / e.path(ext) for e in self.mine for ext in ("pdf", "html")])
        self.done = True
        for spec in hits:
            hit = self.cache.get(self.keys[spec.entry.id])
            if hit is None:
                yield spec
                continue
            _emit(self.result, out_dir, spec, hit)
            self.result.cached.append(spec.entry.id)
            bar.update()


def _finish_all(result: BoardsResult, out_dir: Path, boards: _Boards, held: list[Outcome], bar: tqdm) -> None:
    for outcome in held:
        _finish(result, out_dir, boards.cache, boards.keys[outcome.spec.entry.id], outcome)
        bar.update()
    held.clear()


def _profile_problem(site: Site) -> Problem | None:
    variant = site.config.print.pdf_variant
    if not variant:
        return None
    try:
        press.cmyk_profile()
    except press.NoProfile as missing:
        lines = (site.root / "site_config.yml").read_text(encoding="utf-8").splitlines()
        line = next((n for n, text in enumerate(lines, 1) if "pdf_variant" in text), 1)
        return error("site_config.yml", line, 1, "G613",
                     f"print.pdf_variant 为 {variant}，需要 CMYK 输出色彩配置文件 {missing}，实际没有找到，"
                     "不生成任何展板。请安装 Debian 软件包 libgs-common（sudo apt-get install libgs-common），"
                     "或删掉 pdf_variant 改回 RGB（数码快印）")
    return None


def _drawable(site: Site, spec: BoardSpec, fonts: board_fonts.BoardFonts,
              result: BoardsResult) -> tuple[BoardSpec, str]:
    """The board and its HTML, with the characters its fonts lack replaced and reported (G611)."""
    html = render_html(spec)
    lacking = fonts.missing(html)
    if not lacking:
        return spec, html
    board = f"“{spec.entry.label}”（{spec.entry.path('pdf')}）"
    result.problems.append(board_fonts.glyph_warning(site.root, spec.entry.unit_id, board,
                                                     printed_text(html), lacking))
    spec = dataclasses.replace(spec, missing=tuple(lacking))
    return spec, render_html(spec)


def _finish(result: BoardsResult, out_dir: Path, board_cache: BoardCache, digest: str,
            outcome: Outcome) -> None:
    spec, rendered = outcome.spec, outcome.result
    result.seconds[spec.entry.id] = outcome.seconds
    if rendered is None:
        result.problems.append(error(
            _where(spec), 1, 1, "G601",
            f"展板“{spec.entry.label}”（{spec.entry.path('pdf')}）生成失败：{outcome.error}。"
            "原有文件保持不变"))
        return
    if rendered.log:
        result.log[spec.entry.id] = rendered.log
    for url in rendered.refused:
        result.problems.append(warning(_where(spec), 1, 1, "G601",
                                       f"展板“{spec.entry.label}”引用了外部资源 {url}，已拒绝"))
    entry = Entry(rendered.pdf, rendered.html, rendered.pages, rendered.warnings)
    board_cache.put(digest, entry)
    _emit(result, out_dir, spec, entry)


def _emit(result: BoardsResult, out_dir: Path, spec: BoardSpec, entry: Entry) -> None:
    for code, message in entry.warnings:
        result.problems.append(warning(_where(spec), 1, 1, code, message))
    for ext, data in (("pdf", entry.pdf), ("html", entry.html.encode("utf-8"))):
        path = out_dir / spec.entry.path(ext)
        write_atomic(path, data)
        result.written.append(path)


def _where(spec: BoardSpec) -> str:
    """The file a board's problem points at: the unit's members or unit file."""
    name = "members.yml" if spec.entry.member_id else "unit.yml"
    return f"content/units/{spec.entry.unit_id}/{name}"
