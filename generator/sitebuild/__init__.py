"""Stage 5, site: plan the pages, render what changed, publish, index them for search.

A build renders the page groups whose inputs changed (:mod:`generator.web.keys`) into a
staging folder beside the output; only when all of it succeeded are those files moved into
the published site and pages that are gone deleted, so a failing build leaves the previous
site untouched and no temporary folder behind. Without a previous build it can trust (the
:mod:`~generator.sitebuild.manifest`), every group counts as changed: the whole site is built
in the staging folder and swapped in; boards already in the old output are carried over.

The parts: :mod:`.manifest` (what the published site was built from), :mod:`.render` (the
render pool), :mod:`.publish` (staging, swap, moving files in, the build lock) and
:mod:`.search` (Pagefind). What search indexes is declared in :mod:`generator.web.indexed`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..history import load_history
from ..model import Site
from ..outdir import MARKER, MARKER_TEXT, claim_output, remove_leftovers
from ..web import BoardLinks, no_boards, plan_site
from ..web.plan import UNIT_GROUPS, SitePlan
from . import search
from .manifest import GroupEntry, Manifest, manifest_path, read_manifest, stamp, write_manifest
from .publish import Removals, Tree, apply, one_at_a_time, present, staging
from .render import Job, in_order, render_groups, source_date

if TYPE_CHECKING:
    from ..mkdocs_site import Shells  # MkDocs is imported only when a site is built

__all__ = ["Report", "build_site"]


@dataclass
class Report:
    """What a site build did, for the command line and the benchmark."""

    pages: int
    rendered: int  # pages rendered in this build
    reused: int  # pages taken over unchanged from the previous build
    search: str  # "built", "unchanged", "later" (published with the old index, then re-indexed), "behind"
    # (re-indexing given up for a newer save) or "superseded" (only the edited units' pages published)
    publish_s: float = 0.0  # from the start of the build until the new pages were live
    search_s: float = 0.0  # indexing after publishing; in a full build, the wait for it after the last page


def build_site(site: Site, out: Path, boards: BoardLinks = no_boards, cache: Path | None = None,
               full: bool = False, unit_pages_live: Callable[[], None] | None = None,
               superseded: Callable[[], bool] | None = None) -> Report:
    """Build the website into ``out``, reusing unchanged pages of the previous build.

    With ``cache`` (the CLI passes ``.cache``) the build remembers what each group of pages
    was made from, and the next one renders only the groups whose inputs changed. Without a
    usable manifest (first build, ``full``, or a site changed by something else) the whole
    site is built beside the old one and swapped in. When the pages search covers changed, an
    incremental build publishes first and re-indexes right after, so an edit is live before it
    is searchable.

    With ``unit_pages_live`` (``serve`` passes it), an incremental build renders the pages of the
    units an edit touched first, moves them in, and calls it before the rest render: the pages
    that summarise every unit (home, ledgers, open data) take seconds at a province's size, and
    the clerk who saved the file is looking at the unit's own page. If the rest then fails, those
    pages are new and the others old until the next build, which renders them again.

    With ``superseded`` (``serve`` passes it: true once a newer save waits), the build stops once
    the edited units' pages are live and it turns true, so that save does not wait for the pages
    that summarise every unit (2-4 s at 2,000 units) or for search (Pagefind, 12-20 s): the rest is
    left as it was (search state "superseded"), or, if only re-indexing was left, the index in
    place stays (search state "behind"). Either way the manifest says so, and the next build, the
    one for that save, renders and re-indexes what is still behind.

    ``out`` must be a folder a build may replace (:func:`generator.outdir.claim_output`); the
    staging folders of earlier builds killed part-way are removed first, and builds into the
    same folder take turns.
    """
    out = claim_output(out, site.root)
    with one_at_a_time(cache, out) as lock:
        remove_leftovers(out)
        return _build(site, out.resolve(), boards, cache, full, lock, unit_pages_live, superseded)


@dataclass
class _Made:
    """The new site in the staging folder: its manifest, its files, and the indexing under way."""

    manifest: Manifest
    tree: Tree
    rendered: int = 0
    reused: int = 0
    indexing: search.Indexing | None = None


def _build(site: Site, out: Path, boards: BoardLinks, cache: Path | None, full: bool, lock: tuple[int, ...],
           unit_pages_live: Callable[[], None] | None = None, superseded: Callable[[], bool] | None = None) -> Report:
    """One flow for both modes. A full build (no ``previous`` manifest) differs in four places:
    the staging folder is swapped in whole, the groups search reads render first, Pagefind
    indexes them in the staging folder while the rest render, and publishing waits for it
    instead of moving the changed files in and re-indexing afterwards if needed."""
    start = time.perf_counter()
    plan = plan_site(site, boards, load_history(site.root, site.as_of), cache / "site" if cache else None)
    path = manifest_path(cache, out) if cache else None
    previous = read_manifest(path, out) if path and not full else None  # None: build the whole site
    removals = Removals()
    try:
        try:
            with staging(out, removals, swap_in=previous is None) as work, source_date(site):
                made = _Made(Manifest(plan.build_key, {}, []), Tree(work / "site"))
                try:
                    _make(site, plan, previous, out, made, work, lock, unit_pages_live, superseded)
                    state, search_s = _publish(made, previous, out)
                except BaseException:
                    if made.indexing:
                        made.indexing.stop()
                    raise
        except _Superseded as stopped:
            assert previous is not None  # only an incremental build publishes early
            behind = _behind(previous, stopped.early)
            if path:
                write_manifest(path, behind)
            early = sum(entry.pages for entry in stopped.early.values())
            return Report(sum(entry.pages for entry in behind.groups.values()), early, 0, "superseded",
                          stopped.live_at - start)
        publish_s = time.perf_counter() - start
        made.manifest.stamp = stamp(out)
        if state == "later":
            search_s = _index_after_publishing(made.manifest, path, out, lock, superseded)
            state = "later" if made.manifest.search_key else "behind"
        elif path:
            made.manifest.search_key = made.manifest.indexed_key()
            write_manifest(path, made.manifest)
    finally:
        removals.wait()
    return Report(made.rendered + made.reused, made.rendered, made.reused, state, publish_s, search_s)


def _make(site: Site, plan: SitePlan, previous: Manifest | None, out: Path, made: _Made, work: Path,
          lock: tuple[int, ...], unit_pages_live: Callable[[], None] | None = None,
          superseded: Callable[[], bool] | None = None) -> None:
    """Render into ``made.tree`` every group ``previous`` does not hold unchanged, and the files of every build.

    A full build (no ``previous``) renders the groups search reads first and starts indexing them
    in the staging folder while the rest render. Once the edited units' pages are live, a true
    ``superseded()`` stops the rest (:class:`_Superseded`).
    """
    from ..mkdocs_site import PageWriter, sitemap_files

    manifest, tree = made.manifest, made.tree
    shells = _shells(site, plan, previous, out, tree, work)
    manifest.shells, manifest.theme_files = shells.html, shells.theme_files
    reused = _unchanged(plan, previous, out)
    todo = [number for number, group in enumerate(plan.groups) if group.name not in reused]
    job = Job(plan, PageWriter(site, shells), tree.root, out if previous is not None else None)
    rendered: dict[str, GroupEntry] = {}
    if previous is not None and unit_pages_live is not None:
        todo = _units_first(job, todo, rendered, previous, out, unit_pages_live)
    early, live_at = dict(rendered), time.perf_counter()  # the groups now live, if any
    stop = superseded if early and previous is not None and previous.build_key == plan.build_key else None
    if stop and stop():
        raise _Superseded(early, live_at)
    gone = _Gone(plan, reused, out)  # files deleted by hand: asked while the changed groups render
    batches = in_order(plan, todo, indexed_first=previous is None)
    while batches:
        batch = batches.pop(0)
        done = 0
        with closing(render_groups(job, batch, stop)) as groups:  # stopped early: the pool's workers end at once
            for number, entry, written in groups:
                rendered[plan.groups[number].name] = entry
                tree.written += written
                done += 1
        if done < len(batch):  # stopped for a newer save
            raise _Superseded(early, live_at)
        if previous is None and made.indexing is None:
            made.indexing = search.pagefind(tree.root, background=True, inherit=lock)
        if not batches and (again := gone.result()):
            batches.append(again)  # the groups of files deleted by hand, last
    manifest.groups = {g.name: reused.get(g.name) or rendered[g.name] for g in plan.groups}
    made.reused = sum(entry.pages for entry in reused.values())
    made.rendered = sum(entry.pages for entry in rendered.values())
    others = {**plan.files, **sitemap_files(site, manifest.sitemap()),
              MARKER: MARKER_TEXT.encode()}  # what lets the next build replace this folder
    for name, content in others.items():
        tree.write(name, content)
    manifest.others = list(others)


class _Superseded(Exception):  # not an error: a newer save waits
    """A preview build stopped for a newer save, once the edited units' pages (``early``) were live."""

    def __init__(self, early: dict[str, GroupEntry], live_at: float):
        super().__init__()
        self.early, self.live_at = early, live_at  # live_at: the perf_counter() instant the early pages went live


def _behind(previous: Manifest, early: dict[str, GroupEntry]) -> Manifest:
    """The manifest of a site whose edited units' pages went live and the rest stayed as it was.

    Each early group is listed with its files (the ones it no longer makes are already gone, see
    :func:`_units_first`) under no key, so the next build renders it again; every other group is the
    previous build's, and search is behind. The sitemap was not written, so the site's stamp holds.
    """
    groups = dict(previous.groups)
    for name, entry in early.items():
        groups[name] = replace(entry, key="")
    return replace(previous, groups=groups, search_key="")


EARLY_GROUPS = 24  # a unit's pages and its ancestors'; more means a settings edit, where going first gains nothing


def _units_first(job: Job, todo: list[int], rendered: dict[str, GroupEntry], previous: Manifest, out: Path,
                 live: Callable[[], None]) -> list[int]:
    """Render and publish the changed units' own pages (``unit:`` and ``members:`` groups), call
    ``live``, and return the groups still to render.

    The pages those groups no longer make go at once (a member who withdrew consent, or was
    removed), not when the rest is published: a rebuild stopped for a newer save may be the last
    one before ``serve`` is left."""
    early = [n for n in todo if job.plan.groups[n].name.startswith(UNIT_GROUPS)]
    if not early or len(early) > EARLY_GROUPS:
        return todo
    written: list[str] = []
    for number, entry, files in render_groups(job, early):
        rendered[job.plan.groups[number].name] = entry
        written += files
    names = {job.plan.groups[n].name for n in early}
    made = {f for name in names for f in rendered[name].files}  # ``written`` leaves out files kept as they were
    elsewhere = {f for name, group in previous.groups.items() if name not in names for f in group.files}
    old = {f for name in names if name in previous.groups for f in previous.groups[name].files}
    apply(job.root, out, written, old - made - elsewhere)
    live()
    published = set(early)
    return [n for n in todo if n not in published]


def _shells(site: Site, plan: SitePlan, previous: Manifest | None, out: Path, tree: Tree, work: Path) -> Shells:
    """Material's shells and theme files: those of the previous build if its settings were the same."""
    from ..mkdocs_site import Shells, render_shells

    if previous and previous.build_key == plan.build_key and present(out, previous.theme_files):
        return Shells(previous.shells, previous.theme_files)
    shells = render_shells(site, tree.root, work)
    tree.written += shells.theme_files
    return shells


def _unchanged(plan: SitePlan, previous: Manifest | None, out: Path) -> dict[str, GroupEntry]:
    """The groups the published site holds under the same key (whether their files are all still
    there is asked later, by :class:`_Gone`)."""
    if previous is None:
        return {}
    return {group.name: before for group in plan.groups
            if (before := previous.groups.get(group.name)) and before.key == group.key}


class _Gone(threading.Thread):
    """Takes out of ``reused`` the groups of which a file is no longer in the published site
    (deleted by hand); :meth:`result` gives their numbers, once: they are rendered again.

    Asking costs a ``stat`` of every published file, 0.3 s at 2,000 units and 1.2 s the first
    time after ``serve`` starts (the folders not yet in the system's cache), so it runs on a
    thread while the changed groups render in the pool's processes (the CLI's edit went live
    0.3 s sooner); in a preview the edited units' pages are live before it starts
    (:func:`_units_first`). A stopped build does not wait for it: it only reads the disk.
    """

    def __init__(self, plan: SitePlan, reused: dict[str, GroupEntry], out: Path):
        super().__init__(name="gone", daemon=True)
        self.plan, self.reused, self.out = plan, reused, out
        self.numbers: list[int] = []
        self.failed: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.numbers = [number for number, group in enumerate(self.plan.groups)
                            if group.name in self.reused and not present(self.out, self.reused[group.name].files)]
        except BaseException as exc:  # raised again by result(), in the build's thread
            self.failed = exc

    def result(self) -> list[int]:
        """The groups to render again (once; then none). The thread holds no lock a forked
        render worker could inherit held: it only calls ``stat``."""
        self.join()
        if self.failed is not None:
            raise self.failed
        numbers, self.numbers = self.numbers, []
        for number in numbers:
            del self.reused[self.plan.groups[number].name]
        return numbers


def _publish(made: _Made, previous: Manifest | None, out: Path) -> tuple[str, float]:
    """Make the new site live (a full build is swapped in when the staging block ends); the
    search state and the seconds spent waiting for Pagefind after the last page."""
    if previous is not None:
        apply(made.tree.root, out, made.tree.written, previous.files() - made.manifest.files())
        return ("unchanged" if previous.search_key == made.manifest.indexed_key() else "later"), 0.0
    assert made.indexing is not None  # started after the first batch
    waited = time.perf_counter()
    made.indexing.wait()
    return "built", time.perf_counter() - waited


def _index_after_publishing(manifest: Manifest, path: Path | None, out: Path, lock: tuple[int, ...],
                            superseded: Callable[[], bool] | None = None) -> float:
    """Re-index the published site; until it is done the manifest says the index is behind."""
    if path:
        write_manifest(path, manifest)  # search_key "": if this build is killed or superseded, the next re-indexes
    started = time.perf_counter()
    if search.reindex(out, inherit=lock, give_up=superseded):
        manifest.search_key = manifest.indexed_key()
        if path:
            write_manifest(path, manifest)
    return time.perf_counter() - started
