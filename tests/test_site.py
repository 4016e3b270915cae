"""The website, built for real with MkDocs + Material + Pagefind from a small project."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator.check import check
from generator.errors import BuildError
from generator.outdir import write_marker
from generator.sitebuild import build_site

from .conftest import MINIMAL, run_cli

HOSTILE_DESCRIPTION = (
    "办税厅 <script>alert('x')</script> **欢迎**\n\n"
    "[恶意链接](javascript:alert(1)) [官网](https://example.org/) <img src=x onerror=alert(1)>"
)


def _gps_photo(path: Path) -> None:
    """A portrait whose EXIF carries a GPS position (must never be published)."""
    img = Image.new("RGB", (600, 800), (180, 160, 140))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 40.0, 0.0), "E", (104.0, 4.0, 0.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", exif=exif)


def make_project(root: Path) -> Path:
    shutil.copytree(MINIMAL, root)
    hall = root / "content/units/hall"
    unit = hall / "unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "description: |\n" + "".join(
        f"  {line}\n" for line in HOSTILE_DESCRIPTION.splitlines()), encoding="utf-8")
    members = hall / "members.yml"
    text = members.read_text(encoding="utf-8").replace(
        "    post: 综合服务窗口\n", "    post: 综合服务窗口\n    photo: photos/li-ming.jpg\n")
    text += ("  - id: zhao-hidden\n    name: 赵不公开\n    post: 后台\n    political_status: 中共党员\n"
             "    consent: false\n")
    members.write_text(text, encoding="utf-8")
    _gps_photo(hall / "photos/li-ming.jpg")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("site") / "project")
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems]
    build_site(result.site, root / "site")
    return root / "site"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_kind_of_page_is_built(built: Path) -> None:
    for page in ["index.html", "units/index.html", "units/hall/index.html", "units/hall/members/li-ming/index.html",
                 "units/hall/screen/index.html", "ledgers/pledges/index.html", "ledgers/rectifications/index.html",
                 "ledgers/evaluations/index.html", "ledgers/rankings/index.html", "ledgers/grading/index.html",
                 "about/index.html", "feedback/index.html", "guide/index.html", "guide/reference/index.html",
                 "data/index.html", "search/index.html", "feed.xml", "data/pledges.csv", "data/members.json",
                 "data/schema/pledges.schema.json", "pagefind/pagefind.js",
                 # the office's desk (issue #16)
                 "ledgers/reminders/index.html", "ledgers/pledges/units/index.html",
                 "ledgers/evaluations/reviews/index.html", "ledgers/evaluations/comments/index.html",
                 "ledgers/rankings/fulfilment/index.html", "ledgers/pledges/pledges.xlsx",
                 "ledgers/pledges/pledges.csv", "ledgers/gongshi-ledgers.xlsx", "units/hall/ledgers.xlsx",
                 "data/reviews.json", "data/red_flags.csv", "data/schema/stars.schema.json"]:
        assert (built / page).is_file(), page


def test_unit_page_shows_its_boards_content(built: Path) -> None:
    html = read(built, "units/hall/index.html")
    assert "测试县办税服务厅" in html
    assert "发票领用" in html and "即办" in html and "法定 5 个工作日" in html
    assert "全年办件零差错。" in html and "已兑现" in html and "尚未评定" in html
    assert "98.0%" in html  # (90 + 8) / 100
    assert 'class="qr"' in html  # the unit's QR code, inline SVG
    assert '"@type":"GovernmentService"' in html


def test_content_is_escaped_and_sanitised(built: Path) -> None:
    html = read(built, "units/hall/index.html")
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
    assert "<strong>欢迎</strong>" in html  # Markdown still renders
    assert 'href="https://example.org/"' in html


def test_unconsented_member_is_not_published(built: Path) -> None:
    assert not (built / "units/hall/members/zhao-hidden").exists()
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml"}:
            assert "赵不公开" not in path.read_text(encoding="utf-8", errors="ignore"), path


def test_photo_is_reencoded_without_metadata(built: Path) -> None:
    photo = built / "assets/photos/hall/li-ming.jpg"
    with Image.open(photo) as img:
        assert not img.getexif()
        assert max(img.size) <= 480
    assert b"TestCamera" not in photo.read_bytes()


def test_no_request_to_another_host(built: Path) -> None:
    """Pages may link out, but never load a script, style, font or image from elsewhere."""
    pattern = re.compile(r'(?:src|href)="(https?:)?//[^"]+"[^>]*')
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            assert not pattern.search(tag) or 'rel="canonical"' in tag or "alternate" in tag, (page, tag)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_page_size_stays_small(built: Path) -> None:
    """Navigation holds only the top pages, so a member page does not carry the unit tree."""
    size = (built / "units/hall/members/li-ming/index.html").stat().st_size
    assert size < 60_000


def test_build_is_deterministic(built: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "again")
    result = check(root)
    assert result.site is not None
    build_site(result.site, root / "site")
    compared = filecmp.dircmp(built, root / "site")
    differences: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        differences.extend(prefix + name for name in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(compared, "")
    assert differences == []
    assert _all_equal(built, root / "site")


def _all_equal(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_failed_build_keeps_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "p")
    out = root / "site"
    out.mkdir()
    (out / "index.html").write_text("上一次的网站", encoding="utf-8")
    result = check(root)
    assert result.site is not None

    def fail(*args: object, **kwargs: object) -> None:
        raise BuildError("模拟失败")

    monkeypatch.setattr("generator.sitebuild.search.pagefind", fail)
    with pytest.raises(BuildError):
        build_site(result.site, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "上一次的网站"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == []


def test_cli_refuses_bad_content_and_keeps_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    out = root / "site"
    out.mkdir()
    (out / "index.html").write_text("旧", encoding="utf-8")
    write_marker(out)  # made by an earlier build
    (root / "content/units/hall/pledges.yml").write_text("pledges:\n  - id: P 1\n", encoding="utf-8")
    done = run_cli("--root", str(root), "site")
    assert done.returncode == 1
    assert "content/units/hall/pledges.yml:2:5: [error] “承诺编号”（id）" in done.stdout
    assert (out / "index.html").read_text(encoding="utf-8") == "旧"
    assert "Traceback" not in done.stderr


def test_open_data_and_feed(built: Path) -> None:
    csv = (built / "data/pledges.csv").read_bytes()
    assert csv.startswith("\ufeff".encode())
    assert "全年办件零差错。" in csv.decode("utf-8-sig")
    feed = read(built, "feed.xml")
    assert "<feed" in feed and "兑现承诺" in feed


def test_hall_screen_is_standalone(built: Path) -> None:
    html = read(built, "units/hall/screen/index.html")
    # one inline script: the reload (a meta refresh fails WCAG 2.2.1); nothing is loaded
    assert html.count("<script") == 1 and "<script src" not in html and "location.reload()" in html
    assert "screen__slide" in html and "发票领用" in html
    assert "2026 年践诺率" in html and "2026年下半年群众满意率" in html  # each figure names its period


def test_names_from_content_are_escaped_everywhere(tmp_path: Path) -> None:
    """MkDocs' own Jinja environment does not escape; no content may pass through it raw."""
    root = make_project(tmp_path / "p")
    center = root / "content/units/center/unit.yml"
    center.write_text("name: 中心<script>alert(1)</script>&amp;\nkind: 行政服务中心\n", encoding="utf-8")
    members = root / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("name: 李明", "name: 李<b>明</b>"),
                       encoding="utf-8")
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems]
    build_site(result.site, root / "site")
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html and "<b>明</b>" not in html, page
    unit = read(root / "site", "units/center/index.html")
    assert "中心&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;" in unit
    assert "<title>中心&lt;script&gt;" in unit
    member = read(root / "site", "units/hall/members/li-ming/index.html")
    assert "李&lt;b&gt;明&lt;/b&gt;" in member


def test_no_marker_or_shell_is_left(built: Path) -> None:
    assert not (built / "_gshell").exists()
    for page in built.rglob("*.html"):
        assert "@@GONGSHI" not in page.read_text(encoding="utf-8"), page
    sitemap = read(built, "sitemap.xml")
    assert "https://example.org/units/hall/" in sitemap and "_gshell" not in sitemap


def test_unreadable_photo_names_its_file_and_keeps_the_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "content/units/hall/photos/li-ming.jpg").write_bytes(b"not a picture")
    out = root / "site"
    out.mkdir()
    (out / "index.html").write_text("旧", encoding="utf-8")
    write_marker(out)  # made by an earlier build
    done = run_cli("--root", str(root), "site")
    assert done.returncode == 1
    assert "content/units/hall/members.yml:" in done.stdout and "(G308)" in done.stdout  # check finds it first, at its line
    assert "Traceback" not in done.stdout + done.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "旧"


def test_a_long_pager_names_the_ends_and_the_neighbours() -> None:
    from generator.web.overview import pager

    paths = [f"p{n}/" for n in range(1, 1126)]  # the pledge ledger of 2,000 units: 1,125 pages
    links = pager(paths, 500)
    assert [n for n, _, _ in links] == [1, None, 498, 499, 500, 501, 502, None, 1125]
    assert [n for n, _, current in links if current] == [500]
    assert links[-1][1] == "p1125/"
    assert [n for n, _, _ in pager(paths[:10], 5)] == [1, 2, 3, 4, 5, 6, 7, None, 10]  # no "…" for one page
    assert pager(paths[:1], 1) == ()


HOSTILE = "<script>alert(1)</script>&\"'"


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def test_settings_are_escaped_everywhere(tmp_path: Path) -> None:
    """Site name, owner, description, licence number and period names print as text, once escaped."""
    root = make_project(tmp_path / "p")
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    for key, value in (("name", "测试县公示平台"), ("owner", "测试县委组织部"), ("name", "2026年下半年")):
        text = text.replace(f"{key}: {value}", f"{key}: {_single_quoted(value + HOSTILE)}")
    text = text.replace("  base_url:", f"  description: {_single_quoted('简介' + HOSTILE)}\n"
                                       f"  icp: {_single_quoted('蜀ICP备' + HOSTILE)}\n  base_url:")
    config.write_text(text, encoding="utf-8")
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems]
    build_site(result.site, root / "site")
    pages = sorted((root / "site").rglob("*.html"))
    assert (root / "site/404.html") in pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "&amp;lt;" not in html and "&amp;amp;" not in html, page
    home = read(root / "site", "index.html")
    shown = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;"
    assert f"<title>测试县公示平台{shown}" in home                      # MkDocs' title
    assert f"主办：测试县委组织部{shown}" in home                           # footer
    assert f"2026年下半年{shown}" in home and f"蜀ICP备{shown}" in home
    assert f'content="简介{shown}' in read(root / "site", "404.html")     # 404 page: site description


def test_guide_shows_the_real_editor(built: Path) -> None:
    """Issue #14: the guide's screenshots are of the real editor, and are published with it."""
    guide = read(built, "guide/index.html")
    images = re.findall(r'<img alt="[^"]+" src="(images/editor-[a-z]+\.png)"', guide)
    assert len(images) == 4
    for src in images:
        assert (built / "guide" / src).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "“草稿”“审查中”“就绪”" in guide and "待审核" not in guide


def test_a_parent_units_figures_say_whose_they_are(built: Path) -> None:
    """The unit page's headline counts the unit alone, the unit list its whole subtree: each says so."""
    parent, child = read(built, "units/center/index.html"), read(built, "units/hall/index.html")
    assert "以上是本单位自身的数字，不含下级单位" in parent and "不含下级单位" not in child
    assert "数字含下级单位" in read(built, "units/index.html")
