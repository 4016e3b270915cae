#!/usr/bin/env python3
"""Wall time and memory of each stage of one gongshi site build, without a profiler's overhead.

``python benchmarks/stages.py --root DIR [--out OUT]``

Runs what ``build.py site`` runs, stage by stage, through gongshi's own functions
(nothing in generator/ is changed: a few names are wrapped with timers), and prints
for each stage its seconds, the resident memory after it and the peak so far; then, for the
render, the CPU seconds (and the kernel's share of them) of each kind of page group, and the
seconds spent on board stamps.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SPENT: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(label: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - start
            CALLS[label] += 1

    return wrapper


def wrap(module: Any, name: str, label: str) -> None:
    if hasattr(module, name):
        setattr(module, name, timed(label, getattr(module, name)))


def memory() -> tuple[float, float]:
    """Resident and peak resident memory of this process, MB."""
    status = Path("/proc/self/status").read_text()
    values = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
    return int(values.get("VmRSS", 0)) / 1024, int(values.get("VmHWM", 0)) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--gongshi", type=Path, default=ROOT, help="the gongshi checkout to import (default: this tree)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.gongshi.resolve()))

    from generator import check as check_mod
    from generator import cli, mkdocs_site
    from generator.boards import plan as board_plan
    from generator.sitebuild import render, search
    from generator.web import units as web_units

    for name, label in [("load_file", "  load (YAML)"), ("validate", "  validate (pydantic)"),
                        ("_privacy", "  privacy scan"), ("check_unit", "  cross-file checks"),
                        ("check_tree", "  tree check"), ("build", "  model"), ("_warnings", "  warnings")]:
        wrap(check_mod, name, label)
    wrap(web_units, "qr_svg", "  QR codes")
    wrap(web_units, "unit_context", "  unit contexts (incl. QR)")
    wrap(web_units, "member_context", "  member contexts (incl. QR)")
    if hasattr(board_plan, "UnitStamps"):  # a pinned checkout may be older
        wrap(board_plan.UnitStamps, "board", "  board stamps (render and digest)")
    web_init = sys.modules["generator.web"]
    wrap(web_init, "data_files", "  data exports")
    wrap(web_init, "atom_feed", "  feed")

    rows: list[tuple[str, float, float, float]] = []

    def stage(label: str, start: float) -> None:
        rss, peak = memory()
        rows.append((label, time.perf_counter() - start, rss, peak))
        print(f"{label:32} {rows[-1][1]:8.1f} s   RSS {rss:7.0f} MB   peak {peak:7.0f} MB", flush=True)

    total = time.perf_counter()
    start = time.perf_counter()
    result = check_mod.check(args.root)
    stage("check", start)
    if result.site is None:
        print("check failed", file=sys.stderr)
        return 1
    site = result.site
    del result
    start = time.perf_counter()
    links = cli.board_links(site)
    links = timed("  board links", links)
    plan = web_init.plan_site(site, links)
    stage(f"plan ({len(plan.groups)} groups, {len(plan.files)} files)", start)
    work = Path(tempfile.mkdtemp(prefix="gongshi-stages-"))
    out = args.out or work / "out"
    try:
        with render.source_date(site):
            start = time.perf_counter()
            shells = mkdocs_site.render_shells(site, work / "site", work)
            stage("MkDocs (shells and theme files)", start)
            start = time.perf_counter()
            job, pages = render.Job(plan, mkdocs_site.PageWriter(site, shells), work / "site"), 0
            kinds: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])  # groups, pages, CPU s, system s
            for number, group in enumerate(plan.groups):  # in one process, so the timers see everything
                cpu, system = time.process_time(), os.times().system
                _, entry, _ = render.render_group(job, number)
                pages += entry.pages
                kind = kinds[group.kind]
                kind[0] += 1
                kind[1] += entry.pages
                kind[2] += time.process_time() - cpu
                kind[3] += os.times().system - system
            stage(f"render ({pages} pages, one process)", start)
            del plan
            start = time.perf_counter()
            search.pagefind(work / "site")
            stage("Pagefind", start)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{'  (Pagefind peak RSS)':32} {'':8}     {children:7.0f} MB")
        start = time.perf_counter()
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(work / "site"), out)
        stage("publish (move)", start)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'total':32} {time.perf_counter() - total:8.1f} s")
    print("\nthe render by kind of page group (CPU seconds, of them the kernel's):")
    for name, (groups, count, cpu, system) in sorted(kinds.items(), key=lambda kv: -kv[1][2]):
        each = f"{1000 * cpu / groups:7.2f} ms a group" if groups else ""
        print(f"  {name:30} {cpu:8.1f} s ({system:5.1f})   {int(groups):>6} groups {int(count):>7} pages {each}")
    print("\ninside the stages (wall seconds, calls):")
    for label in sorted(SPENT, key=lambda k: -SPENT[k]):
        print(f"{label:32} {SPENT[label]:8.1f} s   {CALLS[label]:>7} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
