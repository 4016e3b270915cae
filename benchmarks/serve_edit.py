#!/usr/bin/env python3
"""How soon a saved edit is live in ``serve``'s preview (issue #15: ≤ 2 s at 2,000 units).

``python benchmarks/serve_edit.py --project benchmarks/.work/p2000-s1 [--edits 5]``

Starts ``build.py serve`` on the project (its first build is not timed), then, one at a time,
edits the last unit's opening hours in its unit.yml and asks the preview server for that unit's page
every 20 ms until the page shows the new hours: the time from the file being written to the
server handing out the new page is what a reader's browser waits for (the live-reload script
reloads the page the moment the build ends, so this is that moment plus one request). Each edit
is undone by the next, so the content ends as it began; the next edit waits until the server
has finished the whole rebuild (the pages that summarise every unit and search come after), or
with ``--pause S`` comes S seconds after the page showed the edit before (a clerk saving again
while the rebuild goes on). With ``--browser`` the page is held open in a real browser (Debian's
Chromium through Playwright, as the tests use it) and the time is until that page, reloaded by
MkDocs' live-reload script, shows the new hours: what the clerk sees. The server's own CPU seconds over the
edits are read from /proc, and before the first edit over ``--idle`` seconds in which nothing changes (what watching the
content costs by itself). Prints one JSON object; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OLD, NEW = "周一至周五", "周一至周六"


def _cpu_seconds(pid: int) -> float:
    """User + system seconds of ``pid`` and its children that have ended (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _page(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


class _Browser:
    """The unit page open in Chromium; :meth:`wait_for` times how soon it shows a text."""

    def __init__(self, url: str):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=shutil.which("chromium"))
        self.page = self._browser.new_page()
        self.page.goto(url)

    def _shows(self, text: str) -> bool:
        from playwright.sync_api import Error

        try:  # while the live-reload script reloads the page, there is no document to ask
            return bool(self.page.evaluate("t => document.body !== null && document.body.innerText.includes(t)", text))
        except Error:
            return False

    def wait_for(self, text: str, timeout: float) -> float | None:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self._shows(text):
                return time.perf_counter() - start
            time.sleep(0.02)
        return None

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


def _wait_for_rebuilds(log: Path, count: int, timeout: float = 900) -> None:
    """Until the server has said "已更新" ``count`` times (its first build and one per edit)."""
    start = time.perf_counter()
    while log.read_text(encoding="utf-8").count("已更新") < count and time.perf_counter() - start < timeout:
        time.sleep(0.1)


def measure(project: Path, checkout: Path, edits: int, port: int, idle: float = 10,
            pause: float | None = None, browser: bool = False) -> dict[str, object]:
    # the last unit, as run.py's one-unit edit: a leaf, whose hours show on its own pages only
    unit = next(p for p in sorted((project / "content" / "units").iterdir(), reverse=True)
                if OLD in (p / "unit.yml").read_text("utf-8"))
    path = unit / "unit.yml"
    original = path.read_text(encoding="utf-8")
    out = HERE / ".work" / f"out-serve-{project.name}"
    log = HERE / ".work" / "logs" / f"serve-edit-{project.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen([sys.executable, str(checkout / "build.py"), "--root", str(project), "--out", str(out),
                               "serve", "--port", str(port)], stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/units/{unit.name}/"
    try:
        started = time.perf_counter()
        if _wait_for(url, OLD, timeout=3600) is None:
            raise SystemExit("the preview never served the unit page")
        first_build = time.perf_counter() - started
        seen = _Browser(url) if browser else None
        wait_for = seen.wait_for if seen else (lambda text, timeout: _wait_for(url, text, timeout))
        time.sleep(2)  # the watcher settles after the first build
        cpu_idle = _cpu_seconds(server.pid)
        time.sleep(idle)
        cpu_before = _cpu_seconds(server.pid)
        cpu_idle = cpu_before - cpu_idle
        live = []
        for number in range(edits):
            shown = NEW if number % 2 == 0 else OLD
            path.write_text(original.replace(OLD, shown, 1) if shown == NEW else original, encoding="utf-8")
            seconds = wait_for(shown, 300)
            live.append(round(seconds, 2) if seconds is not None else None)
            if pause is None:
                _wait_for_rebuilds(log, number + 2)  # the rest of the rebuild (summaries, search) ends first
            time.sleep(1 if pause is None else pause)
        _wait_for_rebuilds(log, edits + 1)
        cpu = _cpu_seconds(server.pid) - cpu_before
        if seen:
            seen.close()
    finally:
        path.write_text(original, encoding="utf-8")
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    measured = [s for s in live if s is not None]
    return {"units": len(list((project / "content" / "units").iterdir())), "unit": unit.name,
            "first_build_s": round(first_build, 1), "live_s": live,
            "median_live_s": round(statistics.median(measured), 2) if measured else None,
            "pause_s": pause, "seen_by": "chromium" if browser else "http", "server_cpu_s_for_edits": round(cpu, 1), "server_cpu_s_idle": round(cpu_idle, 2),
            "idle_s": idle,
            "load": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True, help="a project made by make_content.py")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the gongshi checkout to run (default: this one)")
    parser.add_argument("--edits", type=int, default=5, help="edits to time (default 5)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--idle", type=float, default=10, help="seconds without edits whose CPU is measured (default 10)")
    parser.add_argument("--pause", type=float, help="seconds from an edit being live to the next edit "
                        "(default: the next edit waits until the whole rebuild has ended)")
    parser.add_argument("--browser", action="store_true",
                        help="time until the page open in Chromium shows the edit (default: until the server serves it)")
    args = parser.parse_args()
    print(json.dumps(measure(args.project.resolve(), args.checkout.resolve(), args.edits, args.port, args.idle,
                             args.pause, args.browser),
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
