"""Rendering page groups into the staging folder: on both cores when there are many.

Workers are forked after the model is built, so they share it without copying or pickling
it; each writes its groups' files itself and hands back only their names.
"""

from __future__ import annotations

import calendar
import multiprocessing
import os
import signal
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Site
from ..web.nav import in_sitemap
from ..web.plan import SitePlan
from .manifest import GroupEntry
from .publish import Tree

if TYPE_CHECKING:
    from ..mkdocs_site import PageWriter  # MkDocs is imported only when a site is built

PARALLEL_FROM = 16  # groups to render; below this, forking a second process costs more than it saves
LARGE_SITE = 500  # units; from here a group that summarises every unit takes a second or more (open data: 2 s at 2,000)


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


@dataclass(frozen=True)
class Job:
    """What groups are rendered from: the plan, the page writer, and the folder they go to."""

    plan: SitePlan
    writer: PageWriter
    root: Path
    published: Path | None = None  # in an incremental build: files already there with the same bytes stay


Rendered = tuple[int, GroupEntry, list[str]]  # group number, its manifest entry, the files written


def render_group(job: Job, number: int) -> Rendered:
    """Render group ``number`` of the plan into ``job.root``."""
    group = job.plan.groups[number]
    tree = Tree(job.root, job.published)
    pages, files = group.contents()
    for page in pages:
        tree.write(f"{page.url}index.html", job.writer.html(page).encode("utf-8"))
    for path, content in files.items():
        tree.keep_or_write(path, content)
    entry = GroupEntry(group.key, len(pages), any(p.search for p in pages),
                       [f"{p.url}index.html" for p in pages] + list(files),
                       [p.url for p in pages if in_sitemap(group.kind, p)])
    return number, entry, tree.written


def in_order(plan: SitePlan, todo: list[int], indexed_first: bool) -> list[list[int]]:
    """The groups ``todo`` in batches: with ``indexed_first``, those search reads come first, so
    indexing can start while the rest render."""
    if not indexed_first:
        return [todo]
    first = [n for n in todo if plan.groups[n].indexed]
    return [first, [n for n in todo if not plan.groups[n].indexed]]


def render_groups(job: Job, todo: list[int], stop: Callable[[], bool] | None = None) -> Generator[Rendered, None, None]:
    """Render the groups numbered ``todo``, in any order; on both cores when there are many.

    With ``stop``, the workers are asked every 0.1 s as well as after each group, and the
    rendering ends (unfinished) as soon as it is true: a group that summarises every unit takes
    seconds, and ``serve``'s newer save should not wait for it."""
    workers = min(os.cpu_count() or 1, 2)
    if not _worth_forking(job.plan, todo) or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for number in todo:
            yield render_group(job, number)
            if stop and stop():
                return
        return
    # Groups that summarise every unit (no ":" in the name: home, units, data, the tables) cost
    # a second or more each; they go first, one at a time, so no worker is left with one at the end.
    todo = sorted(todo, key=lambda n: ":" in job.plan.groups[n].name)
    if len(todo) >= PARALLEL_FROM:  # once here, not once a worker; for an edit's few groups (0.3 s at
        job.writer.compile_templates()  # 2,000 units) each worker compiles the few templates it uses
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_adopt, initargs=(job,)) as pool:
        results = pool.imap_unordered(_render_adopted, todo, chunksize=1 if len(todo) < 1000 else 8)
        if stop is None:
            yield from results
            return
        for _ in todo:
            while True:
                try:
                    yield results.next(timeout=0.1)
                    break
                except multiprocessing.TimeoutError:
                    if stop():
                        return  # leaving the block ends the workers
            if stop():
                return


def _worth_forking(plan: SitePlan, todo: list[int]) -> bool:
    """Many groups, or, in a large site, one that summarises every unit beside others (an edit of a
    unit's hours renders the open data, the unit's pages and search: the data on one core, the rest on the other)."""
    if len(todo) >= PARALLEL_FROM:
        return True
    if len(todo) < 2 or all(":" in plan.groups[n].name for n in todo):
        return False
    return sum(group.kind == "unit" for group in plan.groups) >= LARGE_SITE


# The job of a forked worker. A pool pickles each task's function and arguments, and the plan
# (made of closures over the model) cannot be pickled, nor should 100 MB of model be; what the
# pool's initializer receives is not pickled under "fork" but inherited. So the job is handed to
# each worker once, by _adopt, and kept here for _render_adopted; it is only ever set in a worker.
_ADOPTED: list[Job] = []


def _adopt(job: Job) -> None:
    # Ctrl-C reaches the whole process group: a worker that died of it would leave its task
    # unanswered and the pool waiting for ever (serve's rebuild thread hung, so serve never
    # exited). The parent stops the pool; the workers let it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ADOPTED.append(job)


def _render_adopted(number: int) -> Rendered:
    return render_group(_ADOPTED[0], number)
