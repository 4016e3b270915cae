"""The website in a real browser (Debian's chromium via Playwright): layout, scripts, search, a11y."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from generator.boards.plan import page_stamps
from generator.check import check
from generator.sitebuild import build_site

from .test_site import make_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed (.ci/run installs it)"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = make_project(tmp_path_factory.mktemp("browser") / "project")
    result = check(root)
    assert result.site is not None
    build_site(result.site, root / "site")
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    server.shutdown()
    server.server_close()


PAGES = ["", "units/", "units/hall/", "units/hall/members/li-ming/", "ledgers/pledges/"]


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_scroll(page: Page, served: tuple[str, Path], path: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(served[0] + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_no_request_leaves_localhost(page: Page, served: tuple[str, Path]) -> None:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    for path in [*PAGES, "search/?q=发票"]:
        page.goto(served[0] + path)
        page.wait_for_load_state("networkidle")
    assert hosts == {"127.0.0.1"}


def test_search_finds_unit_by_service_term(page: Page, served: tuple[str, Path]) -> None:
    page.goto(served[0] + "search/")
    page.fill(".pagefind-ui__search-input", "发票")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for(timeout=15_000)
    assert "测试县办税服务厅" in page.locator(".pagefind-ui__results").inner_text()


def test_qr_link_tells_whether_board_is_current(page: Page, served: tuple[str, Path]) -> None:
    base, root = served
    site = check(root).site
    assert site is not None
    unit = site.units["hall"]
    [(_, stamp)] = [s for s in page_stamps(site, unit, unit.member("li-ming")) if s[0] == "承诺桌牌"]
    page.goto(f"{base}units/hall/members/li-ming/?v={stamp}")
    assert "是最新的" in page.locator(".g-stamp__result").inner_text()
    page.goto(f"{base}units/hall/members/li-ming/?v=00000000")
    assert "已有更新" in page.locator(".g-stamp__result").inner_text()


def test_unit_filter(page: Page, served: tuple[str, Path]) -> None:
    page.goto(served[0] + "units/")
    page.fill("#unit-filter", "办税")
    visible = page.locator("#unit-tree > li:visible")
    assert visible.count() == 1
    assert "办税服务厅" in visible.first.inner_text()


@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_a_or_aa_violation(page: Page, served: tuple[str, Path], path: str) -> None:
    page.goto(served[0] + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                            "wcag21aa"]}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == []


def test_search_finds_a_member_by_name(page: Page, served: tuple[str, Path]) -> None:
    """Member pages are not indexed on their own: a name leads to the unit page that lists the member."""
    page.goto(served[0] + "search/?q=李明")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    results = page.locator(".pagefind-ui__results").inner_text()
    assert "测试县办税服务厅" in results and "李明" in results
