"""The pipeline every command runs: load → validate → model → figures → plan → render → publish.

:func:`build` reads like mkdocs' ``mkdocs/commands/build.py``: one call a stage, in order.
``check`` (load, validate, model) gathers every problem and the whole model before any file
is written, and the figures of every unit are computed once, right after the model
(:attr:`generator.model.Site.figures`). The site stage plans every page before it writes
one (:func:`generator.sitebuild.build_site`); the boards stage gathers every board's
context before it writes one (:func:`generator.boards.run.build_boards`).

Every command that reads the content goes through here, so check runs once per command,
and ``site``, ``serve`` and the build without a command link the same boards from their
pages: one build key for the same content (``web/keys.py``), so a preview after ``site``
reuses every page. What is said to the user is the caller's: each stage's result goes to a
:class:`Listener` as soon as the stage is done.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .boards import board_links
from .boards.order import write_orders
from .boards.run import BoardsResult, build_boards, default_jobs
from .check import CheckResult, check
from .figures import FigureTable
from .model import Person, Site, Unit
from .outdir import claim_output

if TYPE_CHECKING:
    from .sitebuild import Report
    from .web import BoardLinks


@dataclass(frozen=True)
class BoardsRequest:
    """Which boards to build: the ``boards`` command's options (the build without a command: all)."""

    unit: str | None = None  # one unit's boards only
    kind: str | None = None  # one kind only (generator.boards.plan.KINDS)
    jobs: int | None = None  # worker processes; None: every core this process may use
    shard: tuple[int, int] = (1, 1)  # build part I of N
    order: bool = False  # also write the print order of each unit (not with kind or shard)


@dataclass(frozen=True)
class Request:
    """What one command asks of the pipeline; with neither ``site`` nor ``boards`` it only checks."""

    root: Path  # the project folder (site_config.yml, content/)
    out: Path | None = None  # the output folder; None: root/site
    site: bool = False  # render and publish the website
    boards: BoardsRequest | None = None  # render and publish these boards
    full: bool = False  # rebuild every page, reuse nothing
    preview: bool = False  # serve: the edited units' own pages first, search after (Listener.unit_pages_live, superseded)

    @property
    def writes(self) -> bool:
        return self.site or self.boards is not None


@dataclass
class Built:
    """What a run did: the check, the figures, and each stage's result (None: not run)."""

    checked: CheckResult
    checked_s: float = 0.0  # seconds from the start to the model
    figures: FigureTable | None = None
    site: Report | None = None
    boards: BoardsResult | None = None
    orders: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.checked.ok and (self.boards is None or self.boards.ok)


class Listener(Protocol):
    """Hears each stage's result as soon as the stage is done (the command line prints it)."""

    def checked(self, result: CheckResult) -> None: ...
    def site_built(self, built: Built, out: Path) -> None: ...
    def boards_built(self, result: BoardsResult, out: Path) -> None: ...
    def orders_written(self, written: list[Path], out: Path) -> None: ...
    def unit_pages_live(self) -> None: ...  # a preview's edited units are live, the rest still rendering
    def superseded(self) -> bool: ...  # a newer save waits: a preview's build may stop once the edited pages are live


class Quiet:
    """A :class:`Listener` that says nothing."""

    def checked(self, result: CheckResult) -> None:
        pass

    def site_built(self, built: Built, out: Path) -> None:
        pass

    def boards_built(self, result: BoardsResult, out: Path) -> None:
        pass

    def orders_written(self, written: list[Path], out: Path) -> None:
        pass

    def unit_pages_live(self) -> None:
        pass

    def superseded(self) -> bool:
        return False


def build(request: Request, listener: Listener | None = None) -> Built:
    """Run the stages ``request`` asks for, in order; nothing is written if check finds an error."""
    listener = listener or Quiet()
    start = time.perf_counter()
    out = output_folder(request) if request.writes else None  # publish's folder, refused before anything is written
    checked = check(request.root, request.root / ".cache" / "check")  # load → validate → model: every problem
    built = Built(checked, time.perf_counter() - start)
    listener.checked(checked)
    if checked.site is None or not checked.ok:
        return built  # content errors: nothing is written
    render(checked.site, request, out, listener, built)
    if checked.site.memo:
        checked.site.memo.save()  # keep: this run's figures for the next one (the check cache)
    return built


def render(site: Site, request: Request, out: Path | None, listener: Listener | None = None,
           built: Built | None = None) -> Built:
    """The stages after check, for a checked ``site`` (``serve`` re-checks, then starts here)."""
    listener = listener or Quiet()
    built = built or Built(CheckResult(site, []))
    built.figures = site.figures  # figures: every unit's own and rolled-up figures, every period, once
    if out is None:
        return built  # check, stats: nothing to write
    from .sitebuild import build_site  # imported when needed: it brings openpyxl, lxml, numpy (~200 modules)

    links = page_board_links(site)  # plan: the boards each page links to, the same for every command
    if request.site:
        live, superseded = (listener.unit_pages_live, listener.superseded) if request.preview else (None, None)
        built.site = build_site(site, out, links, request.root / ".cache", full=request.full,  # site + data
                                unit_pages_live=live, superseded=superseded)
        listener.site_built(built, out)
    if request.boards is not None:
        _boards(site, request.boards, out, listener, built)  # boards, then print orders
    return built


def _boards(site: Site, asked: BoardsRequest, out: Path, listener: Listener, built: Built) -> None:
    built.boards = build_boards(site, out, unit=asked.unit, kind=asked.kind, progress=True,
                                jobs=asked.jobs or default_jobs(), shard=asked.shard)
    listener.boards_built(built.boards, out)
    if asked.order and built.boards.ok:
        built.orders = write_orders(site, out, asked.unit)  # merged from the boards just written
        listener.orders_written(built.orders, out)


def output_folder(request: Request) -> Path:
    """The output folder, once it is known that a build may replace it (else OutputRefused)."""
    return claim_output(request.out or request.root / "site", request.root)


def page_board_links(site: Site) -> BoardLinks:
    """For each unit or member page, the boards it links to (``(label, path)`` pairs)."""

    @lru_cache(maxsize=1)
    def of_unit(unit_id: str) -> list[tuple[str, str, str]]:
        return [(label, path, Path(path).stem.partition("-")[2]) for label, path in board_links(site, site.units[unit_id])]

    def for_page(unit: Unit, person: Person | None) -> tuple[tuple[str, str], ...]:
        items = of_unit(unit.id)  # a unit's pages are planned together: one computation each
        if person:
            return tuple((label, path) for label, path, owner in items if owner == person.id)
        members = {m.id for m in unit.members}
        return tuple((label, path) for label, path, owner in items if owner not in members)

    return for_page
