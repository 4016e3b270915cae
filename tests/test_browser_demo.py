"""The demo site as citizens and auditors see it: real browsers and the checkers they use (issue #12).

The demo content is built once per session and served on localhost. Debian's chromium
(Playwright) measures layout at 360 px, at 1280 px and at 200 % zoom; axe-core checks WCAG
2.1 A/AA; the W3C Nu checker (npm ``vnu-jar``, run on Debian's Java) validates the HTML;
zbarimg reads the hall screens' QR codes off screenshots; Pagefind answers the searches a
citizen types. No browser or Java is ever downloaded.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from generator.check import check
from generator.model import Site
from generator.sitebuild import build_site

from .conftest import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed (.ci/run installs it)"),
]

# One page of each kind the demo has; a tombstone of each kind; the 404 at a missing address.
PAGE_TYPES = {
    "home": "", "unit index": "units/", "unit": "units/tax-hall/", "member": "units/tax-hall/members/deng-weimin/",
    "pledge ledger": "ledgers/pledges/", "pledge ledger filter": "ledgers/pledges/2/",
    "rectification ledger": "ledgers/rectifications/", "rectification filter": "ledgers/rectifications/2/",
    "evaluations": "ledgers/evaluations/", "rankings": "ledgers/rankings/", "grading": "ledgers/grading/",
    "hall screen": "units/tax-hall/screen/", "about": "about/", "feedback": "feedback/", "guide": "guide/",
    "reference": "guide/reference/", "open data": "data/", "search": "search/", "404": "no/such/page/",
    "member tombstone": "units/tax-hall/members/lin-xiaoyu/", "unit tombstone": "units/zhengwu-tax-window/",
}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


class _Site(http.server.SimpleHTTPRequestHandler):
    """Serves the built site; a missing page gets 404.html, as every static host is set up to."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Site]]:
    """The demo content (content/, site_config.yml) built once, served on 127.0.0.1."""
    result = check(ROOT)
    assert result.site is not None, [p.format() for p in result.problems]
    out = tmp_path_factory.mktemp("demo") / "site"
    build_site(result.site, out)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Site, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", out, result.site
    server.shutdown()
    server.server_close()


def every_page(out: Path) -> list[str]:
    """Every HTML page of the built site, as URL paths (the web editor at /admin/ is not ours)."""
    pages = []
    for path in sorted(out.rglob("index.html")):
        url = path.parent.relative_to(out).as_posix()
        if not url.startswith("admin"):
            pages.append("" if url == "." else url + "/")
    return pages


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    yield context
    context.close()


def overflow(page: Page) -> int:
    """How far the page scrolls sideways, in CSS px."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


# --- pages that stay where printed QR codes lead ---------------------------------------------


def test_removed_member_keeps_a_page_that_leads_on(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    response = page.goto(base + "units/tax-hall/members/lin-xiaoyu/?v=1a2b3c4d")
    assert response is not None and response.status == 200
    assert "林晓雨自 2026-09-30 起已不在青川县税务局办税服务厅服务" in page.inner_text("main")
    page.get_by_role("link", name="现所在单位：青川县政务服务中心").click()
    assert page.url == base + "units/zhengwu-center/"


def test_merged_unit_keeps_a_page_that_leads_to_the_unit_it_joined(demo: tuple[str, Path, Site],
                                                                     phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    page.goto(base + "units/zhengwu-tax-window/")
    assert "并入青川县税务局办税服务厅" in page.locator("h1").inner_text()
    page.get_by_role("link", name="青川县税务局办税服务厅的公示页").click()
    assert page.url == base + "units/tax-hall/"


def test_missing_page_says_so_in_chinese_and_offers_ways_back(demo: tuple[str, Path, Site],
                                                               phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    response = page.goto(base + "units/tax-hall/members/nobody/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "找不到这个页面"
    footer = page.locator("footer.g-footer").inner_text()
    assert "主办：主办" not in footer and "（）" not in footer and "中共青川县委组织部" in footer
    assert page.locator('footer a[href^="tel:"]').inner_text() == "0839-12345678"
    page.get_by_role("link", name="全部窗口单位").click()
    assert page.url == base + "units/"
