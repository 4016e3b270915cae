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
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}  # details of passes are not needed: a third of the time


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
    """How far the page scrolls sideways, in CSS px, once fonts are in and the page's scripts have run."""
    return int(page.evaluate("""async () => {
      await document.fonts.ready;
      await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
      return document.documentElement.scrollWidth - document.documentElement.clientWidth;
    }"""))


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


# --- hall screens ------------------------------------------------------------------------------

SCREENS = {"1920×1080": {"width": 1920, "height": 1080}, "1366×768": {"width": 1366, "height": 768},
           "1080×1920": {"width": 1080, "height": 1920}}
# Shows one slide, still: the test looks at each slide as the cycle would show it.
ONE_SLIDE = ".screen__slide { animation: none !important; opacity: 0 !important; visibility: hidden !important; }" \
            ".screen__slide[data-test-shown] { opacity: 1 !important; visibility: visible !important; }"
FITS = """slide => {
  const box = slide.getBoundingClientRect();
  const out = [...slide.querySelectorAll('*')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width && (r.bottom > box.bottom + 1 || r.right > box.right + 1 || r.left < box.left - 1);
  }).map(e => e.tagName + ':' + (e.textContent || '').slice(0, 20));
  if (slide.scrollHeight > slide.clientHeight + 1 || slide.scrollWidth > slide.clientWidth + 1) out.push('scroll');
  return out;
}"""


def _decode(png: Path) -> list[str]:
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, timeout=60)
    return found.stdout.split()


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools not installed")
@pytest.mark.parametrize("size", SCREENS)
def test_every_hall_screen_slide_fits_and_keeps_its_qr_readable(demo: tuple[str, Path, Site], browser: Browser,
                                                                tmp_path: Path, size: str) -> None:
    base, _, site = demo
    context = browser.new_context(viewport=SCREENS[size])
    page = context.new_page()
    problems = []
    for unit in site.units.values():
        page.goto(f"{base}units/{unit.id}/screen/")
        page.add_style_tag(content=ONE_SLIDE)
        slides = page.locator(".screen__slide")
        for i in range(slides.count()):
            slides.evaluate_all("(all, i) => all.forEach((s, j) => s.toggleAttribute('data-test-shown', i === j))", i)
            spilled = slides.nth(i).evaluate(FITS)
            if spilled:
                problems.append(f"{unit.id} slide {i + 1}: runs over {spilled[:3]}")
            qr = page.locator(".screen__qr").bounding_box()
            deck = page.locator(".screen__deck").bounding_box()
            assert qr and deck
            if qr["y"] < deck["y"] + deck["height"] or qr["y"] + qr["height"] > SCREENS[size]["height"]:
                problems.append(f"{unit.id} slide {i + 1}: QR code not clear of the slides or off screen")
            shot = tmp_path / f"{unit.id}-{i}.png"
            page.screenshot(path=str(shot), clip={"x": qr["x"] - 20, "y": qr["y"] - 20, "width": qr["width"] + 40,
                                                  "height": qr["height"] + 40})
            if _decode(shot) != [f"{site.config.site.base_url}units/{unit.id}/"]:
                problems.append(f"{unit.id} slide {i + 1}: QR code does not decode to the unit page")
    context.close()
    assert problems == []


def test_hall_screen_shows_only_standing_pledges_of_this_year(demo: tuple[str, Path, Site]) -> None:
    _, out, site = demo
    old = [p for p in site.all_pledges() if p.published and (p.data.status == "已撤回" or p.year < site.year)]
    assert old, "the demo has withdrawn and last year's pledges"
    for p in old:
        screen = (out / "units" / p.unit_id / "screen" / "index.html").read_text(encoding="utf-8")
        assert p.data.text[:20] not in screen, (p.unit_id, p.id, p.data.status, p.year)
    current = [p for p in site.all_pledges() if p.published and p.counted and p.year == site.year]
    shown = [p for p in current if p.data.text[:20] in
             (out / "units" / p.unit_id / "screen" / "index.html").read_text(encoding="utf-8")]
    assert shown == current


def test_hall_screen_reloads_itself_at_the_configured_interval(demo: tuple[str, Path, Site], browser: Browser) -> None:
    """site_config.yml screen.reload_minutes; the page reloads only when it can be fetched."""
    base, _, site = demo
    context = browser.new_context(viewport=SCREENS["1920×1080"])
    page = context.new_page()
    page.clock.install()
    page.goto(base + "units/tax-hall/screen/")
    page.evaluate("window.__before = true")
    page.clock.run_for(site.config.screen.reload_minutes * 60_000 - 1_000)
    assert page.evaluate("window.__before === true")
    with page.expect_navigation():
        page.clock.run_for(2_000)
    assert page.evaluate("window.__before === undefined")
    context.close()


# --- layout at phone width and at 200 % zoom -----------------------------------------------------

# 200 % zoom halves the CSS viewport: a 360 px phone becomes 180 px, a 1280 px screen 640 px.
ZOOMED = {"phone at 200 %": {"width": 180, "height": 370}, "desktop at 200 %": {"width": 640, "height": 400}}


def test_no_page_of_the_demo_scrolls_sideways_at_360_px(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, out, _ = demo
    page = phone.new_page()
    wide = {}
    for path in every_page(out):
        page.goto(base + path, wait_until="load")
        if overflow(page) > 0:
            wide[path] = overflow(page)
    assert wide == {}


@pytest.mark.parametrize("zoom", ZOOMED)
def test_page_types_survive_200_percent_zoom(demo: tuple[str, Path, Site], browser: Browser, zoom: str) -> None:
    base, _, _ = demo
    context = browser.new_context(viewport=ZOOMED[zoom], device_scale_factor=2)
    page = context.new_page()
    wide = {}
    for kind, path in PAGE_TYPES.items():
        if kind == "hall screen":
            continue  # a fixed full-screen display, checked at its own sizes above
        page.goto(base + path, wait_until="load")
        if overflow(page) > 0:
            wide[kind] = overflow(page)
    context.close()
    assert wide == {}


def test_member_page_at_200_percent_keeps_name_and_phone_on_screen(demo: tuple[str, Path, Site],
                                                                    browser: Browser) -> None:
    """Where desk tents and service cards lead: every member, photo not filling the screen."""
    base, _, site = demo
    context = browser.new_context(viewport=ZOOMED["phone at 200 %"], device_scale_factor=2)
    page = context.new_page()
    problems = []
    for person in site.all_members():
        if not person.published:
            continue
        page.goto(f"{base}units/{person.unit_id}/members/{person.id}/")
        for part in ("h1", ".g-facts a[href^='tel:']"):
            box = page.locator(part).bounding_box()
            if box and (box["x"] < 0 or box["x"] + box["width"] > 180):
                problems.append(f"{person.id}: {part} off screen")
        photo = page.locator(".g-person__photo").bounding_box()
        if photo and photo["height"] > 370 * 0.5:
            problems.append(f"{person.id}: photo {photo['height']:.0f} px high")
    context.close()
    assert problems == []


def test_work_phone_stays_on_one_line_at_360_px(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, _, site = demo
    page = phone.new_page()
    lines = {}
    for person in site.all_members():
        if person.published and person.data.work_phone:
            page.goto(f"{base}units/{person.unit_id}/members/{person.id}/")
            phone_link = page.locator(".g-facts a[href^='tel:']")
            count = phone_link.evaluate("a => a.getClientRects().length")
            if count != 1:
                lines[person.id] = count
    assert lines == {}


def test_keyboard_user_skips_the_menu_at_phone_width(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    page.goto(base + "units/tax-hall/members/deng-weimin/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    assert page.locator(".g-skip").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#g-main') !== null")
    assert focused, "the second Tab lands in the content, not in the hidden menu"


def test_pages_name_periods_instead_of_showing_their_ids(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, out, site = demo
    ids = [p.id for p in site.config.periods]
    page = phone.new_page()
    raw = {}
    for path in every_page(out):
        if path.endswith("screen/") or path.startswith("guide/"):
            continue  # the editing guide explains the ids staff write
        page.goto(base + path, wait_until="domcontentloaded")
        text = page.inner_text("body")
        found = [i for i in ids if i in text]
        if found:
            raw[path] = found
    assert raw == {}


@pytest.mark.parametrize("path", ["ledgers/rankings/", "ledgers/evaluations/", "ledgers/rectifications/"])
def test_wide_table_says_it_scrolls_and_takes_keyboard_focus(demo: tuple[str, Path, Site], phone: BrowserContext,
                                                             path: str) -> None:
    base, _, _ = demo
    page = phone.new_page()
    page.goto(base + path)
    box = page.locator(".g-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "at 360 px the table is wider than the screen"
    hint = box.evaluate("b => getComputedStyle(b, '::before').content")
    assert "左右滑动" in hint
    box.focus()
    assert box.evaluate("b => document.activeElement === b && b.tabIndex === 0")
    page.keyboard.press("ArrowRight")
    box.element_handle().wait_for_element_state("stable")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())  # scrolling may be smooth


def test_stale_board_notice_stands_out(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    page.goto(base + "units/tax-hall/members/deng-weimin/?v=00000000")
    result = page.locator(".g-stamp__result")
    assert "已有更新" in result.inner_text()
    body = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('#g-main p')).fontSize)"))
    size = float(result.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    weight = int(result.evaluate("e => getComputedStyle(e).fontWeight"))
    assert size >= body * 1.1 and weight >= 700


# --- search -----------------------------------------------------------------------------------------


def _first_hit(page: Page, query: str) -> str:
    """Types ``query`` into the search page and returns where its first result leads."""
    box = page.locator(".pagefind-ui__search-input")
    box.fill("")
    box.fill(query)
    page.wait_for_function("q => document.querySelector('.g-direct').getAttribute('data-looked-up') === q", arg=query)
    first = page.locator(".g-direct__link, .pagefind-ui__result-link").first
    first.wait_for(timeout=10_000)
    return str(first.evaluate("a => a.href"))


def test_every_member_and_service_name_finds_its_page_first(demo: tuple[str, Path, Site], browser: Browser) -> None:
    base, _, site = demo
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(base + "search/")
    expected = {}
    for unit in site.units.values():
        for person in unit.public_members:
            expected[person.data.name] = f"{base}units/{unit.id}/members/{person.id}/"
        for service in unit.data.services:
            expected[service.name] = f"{base}units/{unit.id}/#service-{service.id}"
    wrong = {}
    for name, url in expected.items():
        got = _first_hit(page, name)
        if got != url:
            wrong[name] = got.removeprefix(base)
    context.close()
    assert "邓卫民" in expected and wrong == {}


def test_a_member_hit_opens_the_member(demo: tuple[str, Path, Site], phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    page.goto(base + "search/?q=邓卫民")
    page.locator(".g-direct__link").first.click()
    assert page.url == base + "units/tax-hall/members/deng-weimin/"
    assert page.locator("h1").inner_text() == "邓卫民"


# --- the checkers auditors run ---------------------------------------------------------------------

VNU_VERSION = "26.9.27"  # npm vnu-jar; runs on Debian's default-jre-headless


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The W3C Nu checker from npm, installed once into .cache/tools (or $VNU_JAR)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    if not shutil.which("java") or not shutil.which("npm"):
        pytest.skip("java (default-jre-headless) or npm missing: .ci/system-deps.sh installs them")
    tools = ROOT / ".cache" / "tools"
    jar = tools / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        tools.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(tools), "--no-audit", "--no-fund", "--ignore-scripts",
                        f"vnu-jar@{VNU_VERSION}"], check=True, capture_output=True, timeout=600)
    return jar


def test_nu_html_checker_finds_no_error_on_any_page(demo: tuple[str, Path, Site], vnu_jar: Path) -> None:
    _, out, _ = demo
    files = [str(out / path / "index.html") for path in every_page(out)] + [str(out / "404.html")]
    run = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = sorted({f"{m['url'].split('/site/')[-1]}: {m['message']}" for m in messages})
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_axe_finds_no_wcag_21_a_or_aa_violation_on_any_page_type(demo: tuple[str, Path, Site], browser: Browser,
                                                                  viewport: dict[str, int]) -> None:
    base, _, _ = demo
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    axe = Axe()
    found = {}
    for kind, path in PAGE_TYPES.items():
        page.goto(base + path, wait_until="load")
        violations = axe.run(page, options=WCAG).response["violations"]
        if violations:
            found[kind] = [(v["id"], [n["target"] for n in v["nodes"]][:2]) for v in violations]
    context.close()
    assert found == {}


# --- large-type mode (适老化) ---------------------------------------------------------------------------


def _root_px(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_large_type_switch_stays_on_while_browsing_and_layout_holds(demo: tuple[str, Path, Site],
                                                                   phone: BrowserContext) -> None:
    base, _, _ = demo
    page = phone.new_page()
    page.goto(base)
    normal = _root_px(page)
    switch = page.get_by_role("button", name="大字模式")
    assert switch.is_visible()
    switch.click()
    assert _root_px(page) >= normal * 1.2
    wide = {}
    for kind, path in PAGE_TYPES.items():
        if kind == "hall screen":
            continue
        page.goto(base + path, wait_until="load")
        assert _root_px(page) >= normal * 1.2, f"large type is still on at {kind}"
        assert page.locator(".g-large-switch").get_attribute("aria-pressed") == "true"
        if overflow(page) > 0:
            wide[kind] = overflow(page)
    assert wide == {}
    page.locator(".g-large-switch").click()
    page.goto(base + "units/")
    assert _root_px(page) == normal


def test_large_type_switch_without_javascript_explains_browser_zoom(demo: tuple[str, Path, Site],
                                                                      browser: Browser) -> None:
    base, _, _ = demo
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "units/tax-hall/")
    page.locator(".g-large-switch").click()
    assert page.url == base + "about/#large-type"
    assert "Ctrl" in page.locator("#large-type + p").inner_text()
    context.close()
