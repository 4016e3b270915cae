"""Stage 5, site: plan the pages, let MkDocs render them, index them for search, publish.

Publishing is atomic: everything is built in a temporary folder next to the output
and swapped in only when the whole build succeeded, so a failing build leaves the
previous site untouched and no temporary folder behind. Boards already in the old
output are carried over when this run does not rebuild them.
"""

from __future__ import annotations

import calendar
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError
from .history import load_history
from .model import Site
from .web import BoardLinks, no_boards, plan_site


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


def pagefind(folder: Path) -> None:
    """Index the built pages with Pagefind's extended build (segments Chinese words)."""
    try:
        from pagefind_bin_extended import get_executable

        exe = str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise BuildError(f"找不到 Pagefind（pagefind-bin-extended）：{exc}。请运行 make setup") from exc
    done = subprocess.run([exe, "--site", str(folder), "--glob", INDEXED, "--quiet"], capture_output=True, text=True,
                          timeout=1800, check=False)
    if done.returncode != 0:
        raise BuildError(f"Pagefind 建立搜索索引失败：{(done.stderr or done.stdout).strip()[-800:]}")


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out``; swapped in on success, removed on any failure."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield work
        swap(work / "site", out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def swap(new: Path, out: Path) -> None:
    old_boards = out / "boards"
    if old_boards.is_dir() and not (new / "boards").exists():
        shutil.copytree(old_boards, new / "boards")
    trash = out.with_name(f".{out.name}.old")
    shutil.rmtree(trash, ignore_errors=True)
    if out.exists():
        os.replace(out, trash)
    os.replace(new, out)
    shutil.rmtree(trash, ignore_errors=True)


def build_site(site: Site, out: Path, boards: BoardLinks = no_boards) -> int:
    """Build the whole website into ``out``; returns the number of pages."""
    from .mkdocs_site import render  # only this stage needs MkDocs

    plan = plan_site(site, boards, load_history(site.root))
    with staging(out) as work, source_date(site):
        render(site, plan, work / "site", work)
        pagefind(work / "site")
    return len(plan.pages)
