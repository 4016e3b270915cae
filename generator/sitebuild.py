"""Stage 5, site: plan the pages, render what changed, publish, index them for search.

A build renders the page groups whose inputs changed (:mod:`generator.web.keys`) into a
staging folder beside the output; only when all of it succeeded are those files moved into
the published site and pages that are gone deleted, so a failing build leaves the previous
site untouched and no temporary folder behind. Without a previous build it can trust
(:class:`Manifest`), the whole site is built in the staging folder and swapped in; boards
already in the old output are carried over.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import BuildError
from .history import load_history
from .model import Site
from .outdir import MARKER, MARKER_TEXT, claim_output, remove_leftovers, scratch
from .web import BoardLinks, no_boards, plan_site
from .web.keys import digest
from .web.plan import SitePlan

if TYPE_CHECKING:
    from .mkdocs_site import Shells  # MkDocs is imported only when a site is built


@contextmanager
def source_date(site: Site) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH to the as-of date so sitemap dates and gzip headers reproduce."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(site.as_of.timetuple()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


# Pages Pagefind reads: member pages, hall screens, boards and /admin/ are left out, so it does
# not parse tens of thousands of pages that carry no data-pagefind-body.
# Ledgers repeat what unit pages say (each pledge stands on several filter pages), so they are
# left out too: at 1,000 units indexing them took 38 s.
INDEXED = "{index.html,units/index.html,units/page/*/index.html,units/*/index.html,about/**/*.html,feedback/**/*.html,guide/**/*.html,data/**/*.html}"


class Indexing:
    """A running Pagefind: :meth:`wait` for it (raises BuildError if it failed) or :meth:`stop` it."""

    def __init__(self, process: subprocess.Popen[str]):
        self.process = process

    def wait(self) -> None:
        try:
            stdout, stderr = self.process.communicate(timeout=1800)
        except subprocess.TimeoutExpired:
            self.stop()
            raise BuildError("Pagefind 建立搜索索引超时（30 分钟）") from None
        if self.process.returncode != 0:
            raise BuildError(f"Pagefind 建立搜索索引失败：{(stderr or stdout).strip()[-800:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def pagefind(folder: Path, output: Path | None = None, background: bool = False) -> Indexing:
    """Index the built pages with Pagefind's extended build (segments Chinese words).

    The index goes to ``folder/pagefind``, or to ``output`` when given. Unless
    ``background``, returns when Pagefind is done (raising BuildError if it failed).
    """
    try:
        from pagefind_bin_extended import get_executable

        exe = str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise BuildError(f"找不到 Pagefind（pagefind-bin-extended）：{exc}。请运行 make setup") from exc
    where = ["--output-path", str(output)] if output else []
    indexing = Indexing(subprocess.Popen([exe, "--site", str(folder), "--glob", INDEXED, "--quiet", *where],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                         pass_fds=tuple(_HELD)))  # see _HELD
    if not background:
        indexing.wait()
    return indexing


@contextmanager
def staging(out: Path, swap_in: bool = True) -> Iterator[Path]:
    """A fresh folder beside ``out``, removed in the end; with ``swap_in``, ``work/site``
    replaces ``out`` when the block succeeded."""
    work = scratch(out.resolve(), "building")
    try:
        yield work
        if swap_in:
            swap(work / "site", out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_REMOVALS: list[threading.Thread] = []


def swap(new: Path, out: Path) -> None:
    """Put ``new`` in place of ``out``; the replaced site is deleted in the background.

    Boards already published are carried over as hard links. Deleting 36,000 pages takes
    seconds, and the new site is live the moment it is renamed into place, so the deletion
    runs beside whatever comes next (Pagefind); :func:`finish_removals` waits for it.
    """
    old_boards = out / "boards"
    if old_boards.is_dir() and not (new / "boards").exists():
        shutil.copytree(old_boards, new / "boards", copy_function=_link_or_copy)
    if not out.exists():
        os.replace(new, out)
        return
    trash = scratch(out, "old")
    os.replace(out, trash / "site")
    os.replace(new, out)
    removal = threading.Thread(target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True})
    removal.start()
    _REMOVALS.append(removal)


def finish_removals() -> None:
    while _REMOVALS:
        _REMOVALS.pop().join()


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


MANIFEST_VERSION = 1


@dataclass
class Manifest:
    """What the published site was built from: read by the next build to reuse what is unchanged.

    Kept in the project's cache (``.cache/site/``), never in the published folder. ``stamp``
    is the inode, time and size of the published sitemap.xml (written afresh by every build),
    so a site changed by anything else is not trusted and is rebuilt whole.
    """

    stamp: list[int]
    build_key: str
    shells: dict[str, str]
    theme_files: list[str]
    groups: dict[str, dict[str, Any]]  # name -> key, files, sitemap URLs, searchable
    others: list[str]  # files written on every build (admin/, sitemap)
    search_key: str  # what the published search index was made from ("" if it is behind)

    def files(self) -> set[str]:
        """Every file this build put in the site, except the search index and boards."""
        return {*self.theme_files, *self.others, *(f for g in self.groups.values() for f in g["files"])}


def _stamp(out: Path) -> list[int]:
    stat = (out / "sitemap.xml").stat()
    return [stat.st_ino, stat.st_mtime_ns, stat.st_size]


def _manifest_path(cache: Path, out: Path) -> Path:
    return cache / "site" / f"{hashlib.sha256(str(out).encode()).hexdigest()[:16]}.json"


def _read_manifest(path: Path, out: Path) -> Manifest | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("version", None) != MANIFEST_VERSION:
            return None
        manifest = Manifest(**data)
        return manifest if manifest.stamp == _stamp(out) else None
    except (OSError, ValueError, TypeError):
        return None  # no previous build, or one we cannot vouch for: build everything


def _write_manifest(path: Path, manifest: Manifest) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": MANIFEST_VERSION, **asdict(manifest)}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # without it the next build is a full one


class Tree:
    """New files under ``root`` (a staging folder). A path is never written twice."""

    def __init__(self, root: Path):
        self.root = root
        self.folders: set[Path] = set()
        self.written: list[str] = []

    def write(self, rel: str, content: bytes) -> None:
        target = self.root / rel
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        try:
            with target.open("xb") as handle:
                handle.write(content)
        except FileExistsError:
            raise BuildError(f"内部错误：两个页面或文件使用同一路径 {rel}") from None
        self.written.append(rel)


def _present(out: Path, files: list[str]) -> bool:
    return all(os.path.isfile(os.path.join(out, rel)) for rel in files)


def _apply(staged: Path, out: Path, written: list[str], stale: set[str]) -> None:
    """Move the staged files into the published site, then delete the files no longer built.

    Each file is replaced atomically (a reader gets the old page or the new one, never
    half of one); the whole move takes milliseconds for an edit.
    """
    folders: set[Path] = set()
    for rel in written:
        target = out / rel
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        os.replace(staged / rel, target)
    for rel in sorted(stale, reverse=True):
        target = out / rel
        target.unlink(missing_ok=True)
        for folder in target.parents:  # remove folders left empty, up to the site root
            if folder == out:
                break
            try:
                folder.rmdir()
            except OSError:
                break


@dataclass
class Report:
    """What a site build did, for the command line and the benchmark."""

    pages: int
    rendered: int  # pages rendered in this build
    reused: int  # pages taken over unchanged from the previous build
    search: str  # "built", "unchanged" or "later" (published with the old index, then re-indexed)
    publish_s: float = 0.0  # from the start of the build until the new pages were live
    search_s: float = 0.0  # indexing after publishing; in a full build, the wait for it after the last page


# The lock of the build under way. Pagefind inherits it: killed mid-build, the build leaves an
# orphaned Pagefind writing into the staging folder, and the next build must wait for it to end
# before it removes that folder (else Pagefind recreates part of it, without the marker).
_HELD: list[int] = []


@contextmanager
def _one_at_a_time(cache: Path | None, out: Path) -> Iterator[None]:
    """Builds into the same folder take turns (``serve`` rebuilding while someone runs ``site``).

    Two at once would each move their pages in and write the manifest of their own build.
    The lock is a file in the cache, held with ``flock`` (released if the process dies);
    without a cache (or on a system without ``fcntl``) builds are not serialised.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    if cache is None:
        yield
        return
    lock = _manifest_path(cache, out).with_suffix(".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个生成过程正在写入 {out}，等它完成后再继续……", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD.append(handle.fileno())
        try:
            yield
        finally:
            _HELD.pop()
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_site(site: Site, out: Path, boards: BoardLinks = no_boards, cache: Path | None = None,
               full: bool = False) -> Report:
    """Build the website into ``out``; builds into the same folder take turns (see _build_site).

    ``out`` must be a folder a build may replace (:func:`generator.outdir.claim_output`);
    the staging folders of earlier builds killed part-way are removed first.
    """
    out = claim_output(out, site.root)
    with _one_at_a_time(cache, out):
        remove_leftovers(out)
        return _build_site(site, out, boards, cache, full)


def _build_site(site: Site, out: Path, boards: BoardLinks, cache: Path | None, full: bool) -> Report:
    """Build the website into ``out``, reusing unchanged pages of the previous build.

    With ``cache`` (the CLI passes ``.cache``) the build remembers what each group of pages
    was made from (:class:`Manifest`). The next build renders only the groups whose inputs
    changed, into a staging folder, and when all of it succeeded moves those files into the
    published site and deletes pages that are gone. Without a usable manifest (first build,
    ``full``, or a site changed by something else) the whole site is built beside the old
    one and swapped in. When the pages that search covers changed, an incremental build
    publishes first and re-indexes right after, so an edit is live before it is searchable.
    """
    from .mkdocs_site import Shells, render_shells, sitemap_files

    start = time.perf_counter()
    out = out.resolve()
    plan = plan_site(site, boards, load_history(site.root, site.as_of), cache / "site" if cache else None)
    manifest_path = _manifest_path(cache, out) if cache else None
    previous = _read_manifest(manifest_path, out) if manifest_path and not full else None
    rendered = reused = 0
    search_s = 0.0
    groups: dict[str, dict[str, Any]] = {}
    with staging(out, swap_in=previous is None) as work, source_date(site):
        tree = Tree(work / "site")
        if previous and previous.build_key == plan.build_key and _present(out, previous.theme_files):
            shells = Shells(previous.shells, previous.theme_files)
        else:
            shells = render_shells(site, tree.root, work)
            tree.written += shells.theme_files
        todo = []
        for number, group in enumerate(plan.groups):
            before = previous.groups.get(group.name) if previous else None
            if before and before["key"] == group.key and _present(out, before["files"]):
                groups[group.name] = before
                reused += before["pages"]
            else:
                groups[group.name] = {}  # keeps the plan's order; filled in below
                todo.append(number)
        # A full build renders the pages search reads first, and indexes them while the rest render.
        first = [n for n in todo if plan.groups[n].indexed] if previous is None else todo
        indexing: Indexing | None = None
        try:
            for batch in (first, [n for n in todo if n not in set(first)]):
                for number, entry, written in _render_groups(site, plan, batch, shells, tree.root):
                    groups[plan.groups[number].name] = entry
                    tree.written += written
                    rendered += entry["pages"]
                if previous is None and indexing is None:
                    indexing = pagefind(tree.root, background=True)
        except BaseException:
            if indexing:
                indexing.stop()
            raise
        others = {**plan.files, **sitemap_files(site, [url for g in groups.values() for url in g["sitemap"]]),
                  MARKER: MARKER_TEXT.encode()}  # what lets the next build replace this folder
        for path, content in others.items():
            tree.write(path, content)
        manifest = Manifest([], plan.build_key, shells.html, shells.theme_files, groups, list(others), "")
        search_key = digest(*(f"{name}={g['key']}" for name, g in groups.items() if g["search"]))
        if previous:
            _apply(tree.root, out, tree.written, previous.files() - manifest.files())
            search = "unchanged" if previous.search_key == search_key else "later"
        else:
            assert indexing is not None
            waited = time.perf_counter()
            indexing.wait()
            search, search_s = "built", time.perf_counter() - waited  # the wait after the last page
    publish_s = time.perf_counter() - start
    manifest.stamp = _stamp(out)
    manifest.search_key = search_key if search != "later" else ""
    if manifest_path:
        _write_manifest(manifest_path, manifest)
    try:
        if search == "later":
            started = time.perf_counter()
            _reindex(out)
            search_s = time.perf_counter() - started
            manifest.search_key = search_key
            if manifest_path:
                _write_manifest(manifest_path, manifest)
    finally:
        finish_removals()
    return Report(rendered + reused, rendered, reused, search, publish_s, search_s)


PARALLEL_FROM = 16  # groups to render; below this, forking a second process costs more than it saves

_JOB: tuple[Any, ...] = ()  # what forked workers render from (set before the fork, inherited)


def _render_group(number: int) -> tuple[int, dict[str, Any], list[str]]:
    """Render one group into the staging folder; its manifest entry and the files written."""
    from .mkdocs_site import in_sitemap

    plan, writer, root = _JOB
    group = plan.groups[number]
    tree = Tree(root)
    pages, files = group.make()
    for page in pages:
        tree.write(f"{page.url}index.html", writer.html(page).encode("utf-8"))
    for path, content in files.items():
        tree.write(path, content)
    entry = {"key": group.key, "pages": len(pages), "search": any(p.search for p in pages),
             "files": [f"{p.url}index.html" for p in pages] + list(files),
             "sitemap": [p.url for p in pages if in_sitemap(p)]}
    return number, entry, tree.written


def _render_groups(site: Site, plan: SitePlan, todo: list[int], shells: Shells, root: Path
                   ) -> Iterator[tuple[int, dict[str, Any], list[str]]]:
    """Render the groups numbered ``todo``; on both cores when there are many.

    Workers are forked after the model is built, so they share it without copying or
    pickling it; each writes its groups' files itself and hands back only their names.
    """
    from .mkdocs_site import PageWriter

    global _JOB
    _JOB = (plan, PageWriter(site, shells), root)
    try:
        workers = min(os.cpu_count() or 1, 2)
        if len(todo) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(_render_group, todo)
            return
        # Groups that summarise every unit (no ":" in the name: home, units, data, the tables) cost
        # a second or more each; they go first, one at a time, so no worker is left with one at the end.
        todo = sorted(todo, key=lambda n: ":" in plan.groups[n].name)
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap_unordered(_render_group, todo, chunksize=1 if len(todo) < 1000 else 8)
    finally:
        _JOB = ()


def _reindex(out: Path) -> None:
    """Index the published site into a folder beside it, then swap the index in."""
    fresh = scratch(out, "pagefind")
    try:
        pagefind(out, fresh / "pagefind")
        if (out / "pagefind").exists():
            os.replace(out / "pagefind", fresh / "old")
        os.replace(fresh / "pagefind", out / "pagefind")
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
