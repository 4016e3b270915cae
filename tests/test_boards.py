"""Printable boards, read back the way a print shop or a citizen would.

PDFs are checked with poppler (pdfinfo, pdffonts, pdftotext, pdftoppm) and QR
codes with zbarimg; tests that need a missing binary are skipped (CI installs
them, see .ci/system-deps.sh).
"""

from __future__ import annotations

import base64
import dataclasses
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from generator.boards import board_links, build_boards
from generator.boards.contexts import BoardContext
from generator.boards.output import RECORD  # in each unit folder: the boards gongshi wrote there
from generator.boards.plan import board_stamp, entries, select, shard
from generator.boards.run import BoardsResult
from generator.check import check
from generator.model import Site
from generator.outdir import MARKER  # with RECORD, the only dot-files a build leaves: it marks the folder as ours
from generator.urls import member_url, unit_url, with_stamp

from .conftest import MINIMAL, ROOT, run_cli

MM = 72 / 25.4  # PDF points per millimetre
HALL_BOARDS = ["cards", "members", "pledge-li-ming", "pledge-org", "poster", "tent-li-ming", "tent-wang-fang"]


def stamp(site: Site, stem: str, unit: str = "hall") -> str:
    """The current stamp of a board, by its file name without extension."""
    [entry] = [e for e in entries(site, site.units[unit]) if e.stem == stem]
    return board_stamp(site, entry)


def needs(*tools: str) -> pytest.MarkDecorator:
    missing = [t for t in tools if shutil.which(t) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} (poppler-utils, zbar-tools)")


def tool(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True, timeout=120).stdout


def build(root: Path, out: Path | None = None, **options: object) -> tuple[Site, BoardsResult, Path]:
    result = check(root)
    assert result.ok and result.site, [p.format() for p in result.problems]
    out = out or root / "site"
    options.setdefault("cache_dir", root / ".cache" / "boards")
    return result.site, build_boards(result.site, out, **options), out  # type: ignore[arg-type]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def box(pdf: Path, name: str) -> tuple[float, float]:
    """Width and height in mm of the first page's ``name`` box (MediaBox, TrimBox …)."""
    line = next(x for x in tool("pdfinfo", "-box", pdf).splitlines() if x.startswith(f"{name}:"))
    x0, y0, x1, y1 = map(float, line.split()[1:])
    return round((x1 - x0) / MM, 1), round((y1 - y0) / MM, 1)


def pages(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", tool("pdfinfo", pdf))[1])  # type: ignore[index]


def text(pdf: Path, page: int | None = None) -> str:
    span = ["-f", str(page), "-l", str(page)] if page else []
    return tool("pdftotext", *span, pdf, "-")


def raster(pdf: Path, tmp: Path, dpi: int = 150, size: tuple[int, int] | None = None) -> Image.Image:
    """First page as a grey image, at ``dpi`` or scaled to exactly ``size`` pixels."""
    scale = ["-scale-to-x", str(size[0]), "-scale-to-y", str(size[1])] if size else ["-r", str(dpi)]
    tool("pdftoppm", *scale, "-f", "1", "-l", "1", "-png", "-singlefile", pdf, tmp / "page")
    return Image.open(tmp / "page.png").convert("L")


def qr_codes(pdf: Path, tmp: Path) -> list[str]:
    raster(pdf, tmp, dpi=150)
    done = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", tmp / "page.png"],
                          capture_output=True, text=True, timeout=120)
    return done.stdout.split()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, BoardsResult, Path]:
    """The minimal project's boards, built once for the read-only tests."""
    root = tmp_path_factory.mktemp("boards") / "project"
    shutil.copytree(MINIMAL, root)
    return build(root)


# ---------------------------------------------------------------- what is made, where


def test_layout_links_and_no_temp_files(built: tuple[Site, BoardsResult, Path]) -> None:
    site, result, out = built
    assert result.ok, [p.format() for p in result.problems]
    hall = sorted(p.name for p in (out / "boards/hall").iterdir())
    assert hall == sorted([RECORD, *(f"{b}.{ext}" for b in HALL_BOARDS for ext in ("html", "pdf"))])
    assert sorted(p.name for p in (out / "boards/center").iterdir()) == [RECORD, "poster.html", "poster.pdf"]
    assert (out / "boards/center" / RECORD).read_text(encoding="utf-8").splitlines()[1:] == ["poster.html", "poster.pdf"]
    links = board_links(site, site.units["hall"])
    assert ("承诺桌牌：李明（PDF）", "boards/hall/tent-li-ming.pdf") in links
    assert all((out / path).is_file() for _, path in links)
    leftovers = [p for p in out.rglob("*") if (p.name.startswith(".") and p.name not in (MARKER, RECORD))
                 or p.suffix == ".tmp"]
    assert leftovers == []
    assert result.log == {}  # WeasyPrint understood every CSS rule


@needs("pdfinfo")
@pytest.mark.parametrize(("board", "size"), [
    ("poster", (297, 420)), ("members", (297, 420)), ("tent-li-ming", (210, 297)),
    ("cards", (210, 297)), ("pledge-org", (210, 297)),
])
def test_exact_trim_size(built: tuple[Site, BoardsResult, Path], board: str, size: tuple[int, int]) -> None:
    pdf = built[2] / f"boards/hall/{board}.pdf"
    assert box(pdf, "TrimBox") == size
    assert box(pdf, "MediaBox") == size  # no bleed in the minimal project's settings


@needs("pdffonts")
def test_fonts_embedded_and_chinese(built: tuple[Site, BoardsResult, Path]) -> None:
    for pdf in sorted((built[2] / "boards").rglob("*.pdf")):
        rows = tool("pdffonts", pdf).splitlines()[2:]
        assert rows, pdf
        assert all(row.split()[-5] == "yes" for row in rows), (pdf, rows)  # the "emb" column
        assert any("CJK" in row.split()[0] for row in rows), (pdf, rows)


@needs("pdftotext")
def test_boards_show_content_date_and_stamp(built: tuple[Site, BoardsResult, Path]) -> None:
    site, _, out = built
    hall = site.units["hall"]
    li = hall.member("li-ming")
    assert li
    poster = text(out / "boards/hall/poster.pdf")
    for expected in ("三亮三比三评公示栏", "测试县办税服务厅", "发票领用", "即办", "5 个工作日", "李明",
                     "党员先锋岗", "即办件当场办结", "全年办件零差错", "0839-1234567", "2026年11月20日",
                     stamp(site, "poster")):
        assert expected in poster, expected
    tent = text(out / "boards/hall/tent-li-ming.pdf")
    for expected in ("李明", "综合服务窗口", "党员先锋岗", "全年办件零差错", stamp(site, "tent-li-ming")):
        assert expected in tent, expected
    sheet = "".join(text(out / "boards/hall/pledge-org.pdf").split())  # the title is letter-spaced
    assert "党组织承诺书" in sheet and "即办件当场办结" in sheet and stamp(site, "pledge-org") in sheet
    assert "王芳" not in text(out / "boards/hall/pledge-li-ming.pdf")


@needs("pdftoppm", "zbarimg")
def test_qr_codes_point_to_live_pages_with_stamp(built: tuple[Site, BoardsResult, Path], tmp_path: Path) -> None:
    site, _, out = built
    hall = site.units["hall"]
    li = hall.member("li-ming")
    assert li
    assert qr_codes(out / "boards/hall/poster.pdf", tmp_path) == [
        with_stamp(unit_url(site, hall), stamp(site, "poster"))]
    live = with_stamp(member_url(site, li), stamp(site, "tent-li-ming"))
    assert live == "https://example.org/units/hall/members/li-ming/?v=" + stamp(site, "tent-li-ming")
    assert qr_codes(out / "boards/hall/tent-li-ming.pdf", tmp_path) == [live, live]  # one per face


@needs("pdftoppm")
def test_tent_top_face_is_bottom_face_turned_over(built: tuple[Site, BoardsResult, Path], tmp_path: Path) -> None:
    sheet = raster(built[2] / "boards/hall/tent-li-ming.pdf", tmp_path, size=(420, 594))  # 2 px per mm
    half = sheet.height // 2  # the fold, 148.5 mm
    top = sheet.crop((0, 0, sheet.width, half))
    bottom = sheet.crop((0, sheet.height - half, sheet.width, sheet.height))

    def differ(a: Image.Image, b: Image.Image) -> float:
        """Mean grey-level difference, blurred so anti-aliasing of turned glyphs does not count."""
        a, b = (x.filter(ImageFilter.GaussianBlur(2)) for x in (a, b))
        return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])

    turned = differ(top.rotate(180), bottom)
    assert turned < 4  # the top face is the bottom face turned 180°: both read upright once folded
    assert differ(top, bottom) > 8 * turned  # and not merely the same face twice


@needs("pdfinfo", "pdftotext")
def test_card_sheets_count_and_duplex_backs(project: Path) -> None:
    members = project / "content/units/hall/members.yml"
    extra = "".join(f"  - id: m{i:02d}\n    name: 成员{i:02d}\n    post: 窗口{i}\n    political_status: 群众\n"
                    f"    card_no: 'C-{i:02d}'\n    consent: true\n" for i in range(10))
    members.write_text(members.read_text(encoding="utf-8") + extra, encoding="utf-8")
    _, result, out = build(project, kind="cards")
    assert result.ok
    pdf = out / "boards/hall/cards.pdf"
    assert pages(pdf) == 4  # 12 cards: two sheets of fronts, each followed by its backs
    fronts = text(pdf, 1) + text(pdf, 3)
    assert all(fronts.count(f"成员{i:02d}") == 1 for i in range(10))
    assert text(pdf, 1).count("服务卡号") == 8 and text(pdf, 3).count("服务卡号") == 2
    assert text(pdf, 2).count("的服务承诺") == 10 and text(pdf, 4).count("的服务承诺") == 2

    def x_of(page: int, word: str) -> float:
        html = tool("pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-")
        return float(re.search(rf'xMin="([\d.]+)"[^>]*>{word}', html)[1]) / MM  # type: ignore[index]

    # 李明 is the first card: left column on the front, right column on the back (long-edge flip).
    assert x_of(1, "李明") < 105 < x_of(2, "李明的服务承诺")


# ---------------------------------------------------------------- long content


def g602(result: BoardsResult) -> set[str]:
    """The board files named by G602 warnings."""
    return {m[1] for p in result.problems if p.code == "G602" for m in [re.search(r"boards/([\w/.-]+)", p.message)] if m}


@needs("pdfinfo", "pdftotext")
def test_forty_members_shrink_and_none_is_lost(project: Path) -> None:
    members = project / "content/units/hall/members.yml"
    extra = "".join(f"  - id: m{i:02d}\n    name: 成员{i:02d}\n    post: 第{i}号综合受理窗口\n"
                    f"    political_status: 中共党员\n    badge: 党员服务岗\n    consent: true\n" for i in range(38))
    members.write_text(members.read_text(encoding="utf-8") + extra, encoding="utf-8")
    for kind in ("members", "poster"):
        _, result, out = build(project, unit="hall", kind=kind)
        pdf = out / f"boards/hall/{kind}.pdf"
        printed = text(pdf)
        assert all(f"成员{i:02d}" in printed for i in range(38)), kind  # 40 members, none dropped
        assert pages(pdf) == 1 or f"hall/{kind}.pdf" in g602(result), kind


@needs("pdfinfo", "pdftotext")
def test_long_pledge_shrinks_or_is_abridged_with_a_warning(project: Path) -> None:
    long_pledge = "全年办件零差错，" + "群众满意是我们的目标，" * 45  # about 500 characters
    edit(project / "content/units/hall/pledges.yml", "text: 全年办件零差错。", f"text: {long_pledge}")
    _, result, out = build(project, unit="hall", kind="tent")
    tent = text(out / "boards/hall/tent-li-ming.pdf").replace("\n", "")
    assert pages(out / "boards/hall/tent-li-ming.pdf") == 1
    assert long_pledge[:60] in tent
    assert long_pledge.rstrip("，")[-20:] in tent or (
        "hall/tent-li-ming.pdf" in g602(result) and "详见二维码" in tent)
    _, result, out = build(project, unit="hall", kind="cards")
    cards = text(out / "boards/hall/cards.pdf").replace("\n", "")
    assert "hall/cards.pdf" in g602(result) and "详见二维码" in cards  # 500 characters never fit on a card
    [warning] = [p for p in result.problems if p.code == "G602"]
    assert warning.level == "warning" and "服务卡" in warning.message


@needs("pdfinfo", "pdftotext")
def test_board_that_cannot_fit_warns_and_paginates(project: Path) -> None:
    services = "".join(f"  - id: s{i:03d}\n    name: 第{i}项服务事项\n    promised_limit: {i % 9 + 1}\n"
                       for i in range(150))
    unit = project / "content/units/hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + services, encoding="utf-8")
    site, result, out = build(project, unit="hall", kind="poster")
    [warning] = [p for p in result.problems if p.code == "G602"]
    assert warning.level == "warning"
    assert "公示栏" in warning.message and "boards/hall/poster.pdf" in warning.message
    pdf = out / "boards/hall/poster.pdf"
    assert pages(pdf) > 1 and box(pdf, "TrimBox") == (297, 420)
    printed = text(pdf)
    assert "第149项服务事项" in printed and "全年办件零差错" in printed  # paginated, not clipped
    version = stamp(site, "poster")
    assert all(version in text(pdf, n) for n in range(1, pages(pdf) + 1))  # every sheet says which version


# ---------------------------------------------------------------- safety


def test_fetcher_refuses_files_and_network(tmp_path: Path) -> None:
    from generator.boards.pdf import RefusedURL, RestrictedFetcher  # imports WeasyPrint

    allowed = tmp_path / "photos"
    allowed.mkdir()
    (allowed / "a.jpg").write_bytes(b"jpeg")
    fetcher = RestrictedFetcher([allowed])
    for url in ("file:///etc/passwd", "http://example.org/x.png", "https://example.org/x.css",
                f"file://{allowed}/../../../etc/passwd", "ftp://example.org/x"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch(f"file://{allowed}/a.jpg").read() == b"jpeg"
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"


@needs("pdftotext")
def test_markup_in_content_is_text_not_fetched(project: Path) -> None:
    attack = '<img src="file:///etc/passwd"><img src="http://example.org/t.png"><script>x()</script>'
    edit(project / "content/units/hall/pledges.yml", "text: 全年办件零差错。", f"text: '{attack}'")
    _, result, out = build(project, unit="hall", kind="tent")
    assert result.ok and not [p for p in result.problems if "已拒绝" in p.message]
    html = (out / "boards/hall/tent-li-ming.html").read_text(encoding="utf-8")
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html and "<script>" not in html
    assert "root:x:0:0" not in text(out / "boards/hall/tent-li-ming.pdf")
    assert 'src="file:///etc/passwd' in text(out / "boards/hall/tent-li-ming.pdf").replace("\n", "")


def test_photos_lose_gps_and_unconsented_members_are_not_printed(project: Path) -> None:
    photo = project / "content/units/hall/photos/li-ming.jpg"
    photo.parent.mkdir(exist_ok=True)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (32.0, 35.0, 7.2)}  # GPS latitude
    Image.new("RGB", (300, 400), (180, 40, 40)).save(photo, exif=exif)
    edit(project / "content/units/hall/members.yml", "name: 李明\n", "name: 李明\n    photo: photos/li-ming.jpg\n")
    build(project, unit="hall")
    edit(project / "content/units/hall/members.yml", "咨询台\n    political_status: 群众\n    consent: true",
         "咨询台\n    political_status: 群众\n    consent: false")
    _, result, out = build(project, unit="hall")
    html = (out / "boards/hall/tent-li-ming.html").read_text(encoding="utf-8")
    jpeg = base64.b64decode(re.search(r'src="data:image/jpeg;base64,([^"]+)"', html)[1])  # type: ignore[index]
    assert b"Exif" not in jpeg and not Image.open(io.BytesIO(jpeg)).getexif()
    assert not (out / "boards/hall/tent-wang-fang.pdf").exists()  # withdrawn consent: old tent removed
    assert out / "boards/hall/tent-wang-fang.html" in result.removed
    assert all("王芳" not in p.read_text(encoding="utf-8") for p in (out / "boards/hall").glob("*.html"))


# ---------------------------------------------------------------- builds


@needs("pdfinfo")
def test_two_builds_are_byte_identical(built: tuple[Site, BoardsResult, Path], tmp_path: Path) -> None:
    root = tmp_path / "again"
    shutil.copytree(MINIMAL, root)
    _, _, out = build(root, use_cache=False)
    first = {p.relative_to(built[2]): p.read_bytes() for p in (built[2] / "boards").rglob("*.*")}
    second = {p.relative_to(out): p.read_bytes() for p in (out / "boards").rglob("*.*")}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    info = tool("pdfinfo", out / "boards/hall/poster.pdf")
    assert re.search(r"CreationDate:\s+Fri Nov 20 00:00:00 2026", info)


def _streams(pdf: bytes, fonts: bool = True) -> list[bytes]:
    """Every stream of a PDF, decompressed (the object and xref streams aside: they hold lengths);
    without the embedded font files unless ``fonts``."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    font_file = {"/OpenType", "/CIDFontType0C"}
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = IndirectObject(number, 0, reader).get_object()
        is_font = isinstance(obj, StreamObject) and (obj.get("/Subtype") in font_file or "/Length1" in obj)
        if isinstance(obj, StreamObject) and obj.get("/Type") not in {"/ObjStm", "/XRef"} and (fonts or not is_font):
            found.append(obj.get_data())
    return found


def _same_pixels(a: bytes, b: bytes, tmp: Path) -> bool:
    """Every page of both PDFs rasterised alike (pdftoppm, 100 dpi)."""
    pages = []
    for name, pdf in (("a", a), ("b", b)):
        (tmp / f"{name}.pdf").write_bytes(pdf)
        tool("pdftoppm", "-r", "100", "-png", tmp / f"{name}.pdf", tmp / name)
        pages.append(sorted(tmp.glob(f"{name}-*.png")))
    same = len(pages[0]) == len(pages[1]) and all(
        ImageChops.difference(Image.open(x).convert("RGB"), Image.open(y).convert("RGB")).getbbox() is None
        for x, y in zip(*pages, strict=True))
    for png in tmp.glob("*.png"):
        png.unlink()
    return same


@needs("pdftoppm", "pdffonts")
def test_tuned_weasyprint_gives_the_same_pages(built: tuple[Site, BoardsResult, Path],
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Workers share fonts, parse the theme once and subset fonts in one pass, CJK fonts
    renumbered and embedded as bare CFF (generator/boards/engine.py, subset.py): everything but
    the font files is what stock WeasyPrint writes, at its zlib level the same bytes once
    decompressed, and every page renders to the same pixels, from a tenth of the bytes."""
    from generator.boards import engine, subset
    from generator.boards.contexts import PhotoCache
    from generator.boards.pdf import render_board
    from generator.boards.plan import spec

    if not engine.install():
        pytest.skip("this WeasyPrint or HarfBuzz is rendered stock (engine.supported)")
    site, _, out = built
    monkeypatch.setattr(subset, "PREPROCESS_AFTER", 1)  # also subset from preprocessed faces
    photos = PhotoCache()
    specs = [spec(site, e, photos) for e in select(site, "hall", None)]
    tuned = {s.entry.id: render_board(s).pdf for s in specs}
    with monkeypatch.context() as m:
        m.setattr(engine, "COMPRESS_LEVEL", 9)
        tuned_9 = {s.entry.id: render_board(s).pdf for s in specs}
    with engine.stock():
        plain = {s.entry.id: render_board(s).pdf for s in specs}
    on_disk = {s.entry.id: (out / s.entry.path("pdf")).read_bytes() for s in specs}
    assert [b for b in tuned if tuned[b] != on_disk[b]] == []
    assert [b for b in tuned if _streams(tuned_9[b], fonts=False) != _streams(plain[b], fonts=False)] == []
    assert [b for b in tuned if not _same_pixels(tuned[b], plain[b], tmp_path)] == []
    (tmp_path / "tent.pdf").write_bytes(tuned["hall/tent-li-ming"])
    assert "CID Type 0C " in tool("pdffonts", tmp_path / "tent.pdf")  # the bare CFF, not OpenType
    assert sum(map(len, tuned.values())) < 0.3 * sum(map(len, plain.values()))


def test_cache_renders_only_what_changed(project: Path) -> None:
    _, first, _ = build(project, unit="hall")
    assert first.cached == [] and len(first.seconds) == len(HALL_BOARDS)
    _, again, _ = build(project, unit="hall")
    assert sorted(again.cached) == sorted(f"hall/{b}" for b in HALL_BOARDS) and again.seconds == {}
    edit(project / "content/units/hall/members.yml", "post: 综合服务窗口", "post: 综合服务窗口（2号）")
    _, changed, _ = build(project, unit="hall")
    assert "hall/tent-wang-fang" in changed.cached and "hall/tent-li-ming" in changed.seconds


def test_shards_split_the_boards_between_machines(built: tuple[Site, BoardsResult, Path], tmp_path: Path) -> None:
    site, everything, _ = built
    parts = [[e.id for e in shard(select(site, None, None), i, 3)] for i in (1, 2, 3)]
    assert sorted(b for part in parts for b in part) == sorted(everything.boards)
    assert all(abs(len(a) - len(b)) <= 1 for a in parts for b in parts)
    assert parts == [[e.id for e in shard(select(site, None, None), i, 3)] for i in (1, 2, 3)]
    result = build_boards(site, tmp_path / "out", shard=(2, 3), cache_dir=tmp_path / "cache")
    assert sorted(result.boards) == sorted(parts[1])
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in result.written) == sorted(
        f"boards/{b}.{ext}" for b in parts[1] for ext in ("pdf", "html"))


def test_board_that_cannot_be_made_stops_the_run_before_anything_is_written(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Boards are made while the workers render the first ones (the parent no longer makes
    them all first), yet a board that cannot be made (a bad photo) still leaves every file
    as it was: what the workers rendered meanwhile is not written."""
    from generator.boards import plan
    from generator.errors import BuildError

    _, _, out = build(project, unit="hall")
    before = {p: p.read_bytes() for p in (out / "boards").rglob("*") if p.is_file()}
    edit(project / "content/units/hall/unit.yml", "short_name: 办税厅", "short_name: 办税服务厅")
    make = plan.BoardSpecs.__call__

    def last_fails(self: plan.BoardSpecs, entry: plan.Entry) -> plan.BoardSpec:
        if entry.stem == "pledge-li-ming":  # the last of the unit's boards, made once the
            time.sleep(3)  # workers have started and rendered the first ones
            raise BuildError("content/units/hall/photos/li-ming.jpg：照片无法读取（G601）")
        return make(self, entry)

    monkeypatch.setattr(plan.BoardSpecs, "__call__", last_fails)
    with pytest.raises(BuildError):
        build(project, unit="hall")
    assert {p: p.read_bytes() for p in (out / "boards").rglob("*") if p.is_file()} == before


def test_timeout_keeps_previous_boards(project: Path) -> None:
    _, _, out = build(project, unit="hall", kind="tent")
    before = {p: p.read_bytes() for p in (out / "boards").rglob("*.*")}
    edit(project / "content/units/hall/unit.yml", "short_name: 办税厅", "short_name: 办税服务厅")
    edit(project / "site_config.yml", "satisfaction:", "print:\n  timeout_s: 0.01\nsatisfaction:")
    _, result, _ = build(project, unit="hall", kind="tent")
    assert not result.ok
    assert {p.code for p in result.problems} == {"G601"} and "超过时限" in result.problems[0].message
    assert {p: p.read_bytes() for p in (out / "boards").rglob("*")  if p.is_file()} == before


@needs("pdfinfo")
def test_poster_size_bleed_and_crop_marks(project: Path) -> None:
    edit(project / "site_config.yml", "satisfaction:",
         "print:\n  poster_size: A2\n  bleed_mm: 3\n  crop_marks: true\nsatisfaction:")
    _, result, out = build(project, unit="hall", kind="poster")
    assert result.ok
    pdf = out / "boards/hall/poster.pdf"
    assert box(pdf, "TrimBox") == (420, 594)
    width, height = box(pdf, "MediaBox")
    assert width >= 426 and height >= 600  # bleed (and room for the marks) around the trim


def test_cli_checks_first_then_builds(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = run_cli("--root", str(project), "--out", str(out), "boards", "--unit", "hall", "--kind", "poster",
                   "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert "展板：1 张" in done.stdout and (out / "boards/hall/poster.pdf").is_file()
    (project / "content/units/hall/unit.yml").write_text("name: [unclosed\n", encoding="utf-8")
    done = run_cli("--root", str(project), "--out", str(tmp_path / "other"), "boards")
    assert done.returncode == 1 and "YAML 语法错误" in done.stdout and "Traceback" not in done.stderr
    assert not (tmp_path / "other").exists()


def test_template_context_is_documented() -> None:
    """Every field of the boards' template context is explained in docs/boards.md."""
    docs = (ROOT / "docs/boards.md").read_text(encoding="utf-8")
    assert [f.name for f in dataclasses.fields(BoardContext) if f"| `{f.name}` |" not in docs] == []


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / "content/units").is_dir(), reason="no demo content")
def test_demo_boards_build_and_fit(tmp_path: Path) -> None:
    """Every demo board builds, fits its sheet without warnings, and carries its QR and stamp."""
    site = check(ROOT).site
    assert site
    result = build_boards(site, tmp_path / "site", cache_dir=tmp_path / "cache")
    assert [p.format() for p in result.problems] == []
    assert sorted(result.boards) == sorted(e.id for e in select(site, None, None))
    assert result.log == {}
    for unit in site.units.values():
        version = stamp(site, "poster", unit.id)
        assert version in (tmp_path / f"site/boards/{unit.id}/poster.html").read_text(encoding="utf-8")


def test_no_command_builds_site_and_boards(project: Path) -> None:
    """``python build.py`` with no command (what ``make demo`` runs): check, site, then every board."""
    done = run_cli("--root", str(project))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "G601" not in done.stdout + done.stderr
    assert (project / "site/index.html").is_file()
    assert sorted(p.name for p in (project / "site/boards/hall").glob("*.pdf"))
