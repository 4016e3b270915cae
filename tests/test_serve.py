"""``build.py serve`` as a clerk meets it: a busy port, and content errors shown in the browser."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT


def test_busy_port_is_named_with_the_option_to_use(project: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve",
                               "--port", str(port)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1
    assert f"端口 {port} 已被占用" in done.stderr and f"--port {port + 1}" in done.stderr
    assert "G741" in done.stderr
    assert "内部错误" not in done.stderr + done.stdout and "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serving(project: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               # a shell's background job ignores SIGINT, and so would serve: as a terminal's Ctrl-C
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        url = f"http://127.0.0.1:{port}/"
        _page(url, until=lambda text: "</html>" in text, process=process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        log.close()


def _page(url: str, until: object, process: subprocess.Popen[bytes] | None = None) -> str:
    """The page once ``until(text)`` holds (the server rebuilds in the background); bounded."""
    text = ""
    for _ in range(600):
        if process is not None and process.poll() is not None:
            pytest.fail("serve stopped")
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:  # loopback only
                text = answer.read().decode("utf-8")
        except OSError:
            text = ""
        if until(text):  # type: ignore[operator]
            return text
        time.sleep(0.2)
    pytest.fail(f"the page never showed what was expected; last: {text[:300]}")


def test_content_errors_are_listed_in_the_browser_until_fixed(serving: str, project: Path) -> None:
    page = _page(serving, until=lambda text: "</html>" in text)
    assert 'id="gongshi-problems"' not in page
    members = project / "content/units/hall/members.yml"
    good = members.read_text(encoding="utf-8")
    members.write_text(good.replace("    name: 李明", "    name：李明"), encoding="utf-8")
    page = _page(serving, until=lambda text: 'id="gongshi-problems"' in text)
    assert "content/units/hall/members.yml:3:9" in page and "全角冒号" in page and "(G120)" in page
    assert "下面仍是上一次成功生成的网站" in page
    members.write_text(good, encoding="utf-8")
    _page(serving, until=lambda text: "</html>" in text and 'id="gongshi-problems"' not in text)


def _rebuilds(log: Path, count: int) -> str:
    """serve's output once it has said "已更新" ``count`` times (bounded)."""
    for _ in range(600):
        text = log.read_text(encoding="utf-8")
        if text.count("已更新") >= count:
            return text
        time.sleep(0.2)
    pytest.fail(f"serve did not rebuild {count} times; it said: {text[-600:]}")


def test_each_save_is_seen_by_its_file_event_and_rebuilds_once(serving: str, project: Path, tmp_path: Path) -> None:
    """The second edit keeps the file's size and modification time, all that polling compares
    (watchdog's snapshots, MkDocs' watcher): it shows because the system reported the write, not
    because a walk or a timer came round. Each save rebuilds once: the build's own reads and writes
    (content, settings, templates, .cache/, the output in the project folder) ask for no rebuild;
    serve once rebuilt for ever on its own reads, and a save waited 20 s for it (c423019)."""
    unit, page, log = project / "content/units/hall/unit.yml", f"{serving}units/hall/", tmp_path / "serve.log"
    original = unit.read_text(encoding="utf-8")
    _page(page, until=lambda text: "发票领用" in text)
    unit.write_text(original.replace("发票领用", "发票代开"), encoding="utf-8")
    _page(page, until=lambda text: "发票代开" in text)
    _rebuilds(log, 2)
    before = unit.stat()
    unit.write_text(original.replace("发票领用", "发票申领"), encoding="utf-8")
    os.utime(unit, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (unit.stat().st_size, unit.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _page(page, until=lambda text: "发票申领" in text)
    _rebuilds(log, 3)
    time.sleep(2)  # a rebuild the last one asked for by its own reads or writes starts 0.1 s after it
    said = log.read_text(encoding="utf-8")
    assert said.count("已更新") == 3, said
    assert said.count("检测到修改：") == said.count("检测到修改：content/units/hall/unit.yml\n") == 2, said


def test_pages_are_served_once_the_build_says_so_before_it_ends(tmp_path: Path) -> None:
    """serve reloads browsers as soon as the edited unit's pages are in place: the preview server
    then hands out pages although the rebuild (the pages that summarise every unit) goes on.
    This relies on two private attributes of MkDocs' LiveReloadServer; it fails if they change."""
    import threading

    from generator.mkdocs_site import live_preview

    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<html><body>新</body></html>", encoding="utf-8")
    (tmp_path / "content").mkdir()
    reload_now: list[object] = []
    midway, finish = threading.Event(), threading.Event()

    def rebuild(changed: list[str]) -> None:  # the build after an edit says "live" halfway, then takes long
        reload_now[0]()  # type: ignore[operator]
        midway.set()
        finish.wait(60)

    port = _free_port()
    server = threading.Thread(target=live_preview, args=(tmp_path, out, port, rebuild, None, reload_now.append),
                              daemon=True)
    server.start()
    try:
        _page(f"http://127.0.0.1:{port}/", until=lambda text: "新" in text)
        (tmp_path / "content" / "edit.yml").write_text("a: 1\n", encoding="utf-8")
        assert midway.wait(60), "the edit did not start a rebuild"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:  # before the build ends
            assert "新" in answer.read().decode("utf-8")
        assert not finish.is_set()
    finally:
        finish.set()


def test_render_workers_leave_ctrl_c_to_the_build() -> None:
    """Ctrl-C (SIGINT to the process group) during a rebuild killed a render worker mid-task;
    the pool then waited for its answer for ever and serve never exited (CI: 60 s time-out)."""
    import signal

    from generator.sitebuild import render

    before = signal.getsignal(signal.SIGINT)
    try:
        render._adopt(None)  # type: ignore[arg-type]  # what each forked worker runs first
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
        render._ADOPTED.clear()


def test_serve_compiles_the_templates_before_the_first_save(project: Path) -> None:
    """A first build that reused every page compiled no template; the first save must not wait for them."""
    from generator import themes
    from generator.serve import _compile_templates
    from generator.web import render
    from generator.web.render import BodyRenderer

    render._compiled.cache_clear()  # as in a new serve process
    _compile_templates(project)
    env = BodyRenderer({}, themes.search_path("site", project.resolve())).env
    assert env.cache is not None
    pages = {name for name in env.list_templates(extensions=["html"]) if not name.startswith(themes.BASE_PREFIX)}
    assert pages and pages <= {t.name for t in env.cache.values()}


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "8000a"])
def test_a_port_outside_0_to_65535_is_wrong_usage(project: Path, port: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve", "--port", port],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert "参数 --port：端口应是 0 到 65535 之间的整数" in done.stderr and port in done.stderr, done.stderr
    assert "内部错误" not in done.stderr + done.stdout and "Error" not in done.stderr
