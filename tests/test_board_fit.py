"""Crowded boards stay legible and lose nothing a reader needs, read back as a print shop would.

Type sizes come from ``pdftotext -bbox``: a run of Chinese characters is one em wide per
character, so its width ÷ its length is the type size in pt. QR codes are decoded with
zbarimg from pdftoppm rasters, photos measured with pdfimages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from generator.boards import build_boards
from generator.boards.fit import SCALES
from generator.boards.plan import board_stamp, entries
from generator.boards.run import BoardsResult
from generator.boards.sheets import floor_step
from generator.boards.sizes import poster_page
from generator.check import check
from generator.model import Site

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("pdfinfo", "pdftotext", "pdftoppm", "pdfimages", "zbarimg")),
    reason="needs poppler-utils and zbar-tools")

PT_PER_MM = 72 / 25.4
HALL = "content/units/hall"
LONG = "认真落实首问负责制和一次性告知制度，做到来有迎声、问有答声、走有送声，" * 3


def tool(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True, timeout=120).stdout


def build(root: Path, kind: str) -> tuple[Site, BoardsResult, Path]:
    site = check(root).site
    assert site is not None
    result = build_boards(site, root / "site", unit="hall", kind=kind, cache_dir=root / ".cache/boards")
    assert result.ok, [p.format() for p in result.problems]
    return site, result, root / "site/boards/hall"


def stamp(site: Site, stem: str) -> str:
    [entry] = [e for e in entries(site, site.units["hall"]) if e.stem == stem]
    return board_stamp(site, entry)


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """``(word, xMin, yMin, xMax, yMax)`` in pt of one page."""
    html = tool("pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-")
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def trim(pdf: Path, page: int) -> tuple[float, float, float, float]:
    info = tool("pdfinfo", "-box", "-f", str(page), "-l", str(page), pdf)
    line = next(x for x in info.splitlines() if re.match(rf"Page\s+{page} TrimBox:|TrimBox:", x))
    x0, y0, x1, y1 = map(float, line.split()[-4:])
    media = next(x for x in info.splitlines() if "MediaBox:" in x)
    height = float(media.split()[-1])
    return x0, height - y1, x1, height - y0  # as pdftotext measures: from the top


def qr_codes(pdf: Path, page: int, tmp: Path) -> list[str]:
    tool("pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-png", "-singlefile", pdf, tmp / "page")
    done = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", tmp / "page.png"],
                          capture_output=True, text=True, timeout=120)
    return done.stdout.split()


def inside(box: tuple[str, float, float, float, float], area: tuple[float, float, float, float]) -> bool:
    _, x0, y0, x1, y1 = box
    return area[0] <= x0 and x1 <= area[2] and area[1] <= y0 and y1 <= area[3]


def add_services(root: Path, count: int) -> None:
    unit = root / HALL / "unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "".join(
        f"  - id: s{i:03d}\n    name: 第{i}项服务事项\n    promised_limit: {i % 9 + 1}\n" for i in range(count)),
        encoding="utf-8")


def add_pledges(root: Path, count: int) -> None:
    pledges = root / HALL / "pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8") + "".join(
        f"  - id: extra-{i}\n    member: li-ming\n    kind: 年度承诺\n    form: 个人承诺\n    topic: 带头服务群众\n"
        f"    text: 第{i + 1}条：{LONG}\n    made: 2026-01-10\n    due: 2026-12-31\n    status: 履行中\n"
        for i in range(count)), encoding="utf-8")


def body_sizes(pdf: Path, page: int) -> list[float]:
    """Type size of each service name in the poster's table (body text)."""
    return [(x1 - x0) / len(w) for w, x0, _, x1, _ in words(pdf, page) if re.fullmatch(r"[项服务事]{4}", w)]


def test_crowded_poster_keeps_its_floor_and_every_sheet_has_qr_stamp_and_phone(project: Path, tmp_path: Path) -> None:
    add_services(project, 40)
    site, result, out = build(project, "poster")
    pdf = out / "poster.pdf"
    sheets = int(re.search(r"Pages:\s+(\d+)", tool("pdfinfo", pdf))[1])  # type: ignore[index]
    assert sheets == 2
    [paginated] = [p for p in result.problems if p.code == "G602"]
    assert "boards/hall/poster.pdf" in paginated.message and "2 张" in paginated.message
    live = f"https://example.org/units/hall/?v={stamp(site, 'poster')}"
    lowest = []
    for page in (1, 2):
        printed = words(pdf, page)
        area = trim(pdf, page)
        for needle in (stamp(site, "poster"), "0839-1234567", "监督电话"):
            found = [w for w in printed if w[0] == needle]
            assert found and all(inside(w, area) for w in found), (page, needle)
        assert qr_codes(pdf, page, tmp_path) == [live], page
        sizes = body_sizes(pdf, page)
        assert sizes and min(sizes) >= 9.95, (page, min(sizes))  # A3 floor: 10 pt body text
        foot = min(w[2] for w in printed if w[0] == "监督电话")
        lowest.append(max(w[4] for w in printed if w[4] < foot - 20))
    top = 12 * PT_PER_MM
    assert (lowest[1] - top) > 0.5 * (lowest[0] - top)  # balanced: the last sheet is not left nearly empty


def test_a_poster_that_shrinks_at_all_says_so(project: Path) -> None:
    add_services(project, 22)
    _, result, out = build(project, "poster")
    [shrunk] = [p for p in result.problems if p.code == "G612"]
    reached = float(re.search(r"缩小到 ([\d.]+) pt", shrunk.message)[1])  # type: ignore[index]
    assert "boards/hall/poster.pdf" in shrunk.message and 10 <= reached < 11
    assert abs(min(body_sizes(out / "poster.pdf", 1)) - reached) < 0.15


def test_tent_with_eight_long_pledges_keeps_name_qr_stamp_and_phone(project: Path, tmp_path: Path) -> None:
    add_pledges(project, 8)
    site, result, out = build(project, "tent")
    pdf = out / "tent-li-ming.pdf"
    printed = words(pdf, 1)
    [name_bottom, name_top] = sorted((x1 - x0) / 2 for w, x0, _, x1, _ in printed if w == "李明")
    assert min(name_bottom, name_top) >= 59.5  # the name stays 60 pt on both faces
    area = trim(pdf, 1)
    for needle in (stamp(site, "tent-li-ming"), "0839-1234567", "监督电话"):
        found = [w for w in printed if w[0] == needle]
        assert len(found) == 2 and all(inside(w, area) for w in found), needle
    live = f"https://example.org/units/hall/members/li-ming/?v={stamp(site, 'tent-li-ming')}"
    assert qr_codes(pdf, 1, tmp_path) == [live, live]
    assert "详见二维码" in tool("pdftotext", pdf, "-")
    cut = [p for p in result.problems if p.code == "G602" and "tent-li-ming" in p.message]
    assert cut and "李明" in cut[0].message and "详见二维码" in cut[0].message


def test_card_with_eight_long_pledges_keeps_qr_stamp_and_phone(project: Path, tmp_path: Path) -> None:
    add_pledges(project, 8)
    _, result, out = build(project, "cards")
    pdf = out / "cards.pdf"
    backs = words(pdf, 2)
    area = trim(pdf, 2)
    phones = [w for w in backs if w[0] == "0839-1234567"]
    assert len(phones) == 2 and all(inside(w, area) for w in phones)
    codes = qr_codes(pdf, 2, tmp_path)
    assert sorted(c.split("?")[0] for c in codes) == [
        "https://example.org/units/hall/members/li-ming/", "https://example.org/units/hall/members/wang-fang/"]
    stamps = {c.split("?v=")[1] for c in codes}
    assert all(any(w[0] == s and inside(w, area) for w in backs) for s in stamps)  # each card's own stamp
    cut = [p for p in result.problems if p.code == "G602"]
    assert cut and "李明" in cut[0].message and "详见二维码" in tool("pdftotext", pdf, "-")


def test_tent_photo_keeps_its_shape_and_frame(project: Path, tmp_path: Path) -> None:
    photo = project / HALL / "photos/li-ming.jpg"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (300, 400), (30, 160, 60)).save(photo, "JPEG")  # a green no board uses
    members = project / HALL / "members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace(
        "post: 综合服务窗口\n", "post: 综合服务窗口（不动产登记、税费缴纳、发票领用一窗受理）\n"
        "    photo: photos/li-ming.jpg\n    title: 综合服务组组长\n    card_no: QC-SW-0102\n"), encoding="utf-8")
    _, _, out = build(project, "tent")
    pdf = out / "tent-li-ming.pdf"
    listing = tool("pdfimages", "-list", pdf).splitlines()[2:]
    assert listing
    for row in listing:
        x_ppi, y_ppi = (int(v) for v in row.split()[12:14])
        assert abs(x_ppi - y_ppi) <= 1, row  # drawn at its own aspect ratio
    tool("pdftoppm", "-r", "100", "-png", "-singlefile", pdf, tmp_path / "tent")
    sheet = Image.open(tmp_path / "tent.png").convert("RGB")
    r, g, _ = sheet.split()
    green = ImageChops.multiply(g.point(lambda v: 255 if v > 120 else 0), r.point(lambda v: 255 if v < 80 else 0))
    left, top, right, bottom = green.crop((0, sheet.height // 2, sheet.width, sheet.height)).getbbox()  # type: ignore[misc]
    assert abs((bottom - top) / (right - left) - 4 / 3) < 0.03  # the bottom face's photo is 3:4
    below = sheet.crop((left, sheet.height // 2 + bottom + 1, right, sheet.height // 2 + bottom + 40))
    frame = [v for v in below.getcolors(10_000) or [] if all(abs(a - c) < 8 for a, c in zip(
        v[1], (0xE8, 0xE2, 0xD8), strict=True))]
    assert sum(n for n, _ in frame) < 0.05 * below.width * below.height  # no band of the frame shows below it


@pytest.mark.parametrize(("size", "floor"), [("A3", 10.0), ("A2", 14.14), ("A1", 20.0), ("600x900mm", 20.2)])
def test_type_floor_scales_with_the_paper(size: str, floor: float) -> None:
    page = poster_page(size)
    assert page.min_type_pt == floor
    assert page.type_pt * SCALES[floor_step(page)] >= floor - 1e-6 > page.type_pt * SCALES[floor_step(page) + 1]
