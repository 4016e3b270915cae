"""Boards sent to a print shop, read back the way its prepress check would (issue #13).

pdfinfo for the PDF/X variant and the boxes, pypdf for the output intent and the colours
text is drawn in, pdffonts for the subset names, pdftoppm for where the crop marks are.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from .test_boards import MM, build, edit, needs, tool

CONTENT_COLOURS = re.compile(rb"(?m)^([0-9.]+) ([0-9.]+) ([0-9.]+) (rg|RG)$")


def settings(project: Path, lines: str) -> None:
    edit(project / "site_config.yml", "satisfaction:", f"print:\n{lines}satisfaction:")


def page_streams(pdf: Path) -> list[bytes]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    return [page.get_contents().get_data() for page in reader.pages]  # type: ignore[union-attr]


def output_intents(pdf: Path) -> list[object]:
    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(pdf.read_bytes())).trailer["/Root"]
    return list(catalog.get("/OutputIntents", []))


def grey_rgb(stream: bytes) -> list[bytes]:
    """Colours set in RGB whose three parts are (nearly) equal, white aside: four-colour greys."""
    found = []
    for r, g, b, op in CONTENT_COLOURS.findall(stream):
        parts = [float(r), float(g), float(b)]
        if max(parts) - min(parts) <= 24 / 255 and min(parts) < 0.98:
            found.append(b" ".join((r, g, b, op)))
    return found


@needs("pdfinfo")
def test_rgb_is_the_default_with_no_output_intent(project: Path) -> None:
    _, result, out = build(project, unit="hall", kind="poster")
    assert result.ok
    pdf = out / "boards/hall/poster.pdf"
    assert "PDF subtype" not in tool("pdfinfo", pdf)
    assert output_intents(pdf) == []


@needs("pdfinfo")
def test_pdf_x4_has_output_intent_and_black_on_the_k_plate(project: Path) -> None:
    settings(project, "  pdf_variant: pdf/x-4\n")
    _, result, out = build(project, unit="hall")
    assert result.ok, [p.format() for p in result.problems]
    for name in ("poster", "members", "tent-li-ming", "cards", "pledge-org"):
        pdf = out / f"boards/hall/{name}.pdf"
        assert re.search(r"PDF subtype:\s+PDF/X-4", tool("pdfinfo", pdf)), name
        [intent] = output_intents(pdf)
        profile = intent.get_object()["/DestOutputProfile"].get_object()  # type: ignore[attr-defined]
        assert intent.get_object()["/S"] == "/GTS_PDFX" and profile["/N"] == 4  # type: ignore[attr-defined]
        streams = page_streams(pdf)
        assert all(grey_rgb(s) == [] for s in streams), (name, [grey_rgb(s)[:3] for s in streams])
        assert any(b"0 0 0 1 scn" in s for s in streams), name  # body text: solid K


@needs("pdfinfo")
def test_pdf_x4_is_byte_identical_twice(project: Path, tmp_path: Path) -> None:
    settings(project, "  pdf_variant: pdf/x-4\n")
    _, _, first = build(project, unit="hall", kind="poster", use_cache=False)
    once = (first / "boards/hall/poster.pdf").read_bytes()
    _, _, again = build(project, tmp_path / "again", unit="hall", kind="poster", use_cache=False)
    assert (again / "boards/hall/poster.pdf").read_bytes() == once


def boxes(pdf: Path) -> dict[str, tuple[float, float, float, float]]:
    """Every box of the first page, in mm, relative to the TrimBox's lower left corner."""
    found = {}
    for line in tool("pdfinfo", "-box", pdf).splitlines():
        if m := re.match(r"(MediaBox|BleedBox|TrimBox):\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", line):
            found[m[1]] = tuple(float(v) / MM for v in m.groups()[1:])
    x0, y0 = found["TrimBox"][:2]
    return {k: tuple(round(v - (x0 if i % 2 == 0 else y0), 1) for i, v in enumerate(b))  # type: ignore[misc]
            for k, b in found.items()}


@needs("pdfinfo")
@pytest.mark.parametrize(("bleed", "slug"), [(3, 12), (0, 12), (5, 16)])
def test_crop_marks_sit_in_a_slug_outside_the_bleed(project: Path, bleed: int, slug: int) -> None:
    settings(project, f"  bleed_mm: {bleed}\n  crop_marks: true\n")
    _, result, out = build(project, unit="hall")
    assert result.ok
    for name, (w, h) in {"poster": (297, 420), "tent-li-ming": (210, 297), "cards": (210, 297),
                         "pledge-org": (210, 297)}.items():
        found = boxes(out / f"boards/hall/{name}.pdf")
        assert found["TrimBox"] == (0, 0, w, h), name
        assert found["BleedBox"] == (-bleed, -bleed, w + bleed, h + bleed), name
        assert found["MediaBox"] == (-slug, -slug, w + slug, h + slug), name


@needs("pdftoppm")
def test_crop_marks_are_drawn_in_the_slug_not_in_the_bleed(project: Path, tmp_path: Path) -> None:
    settings(project, "  bleed_mm: 3\n  crop_marks: true\n")
    _, _, out = build(project, unit="hall", kind="tent")
    tool("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", out / "boards/hall/tent-li-ming.pdf",
         tmp_path / "page")
    page = Image.open(tmp_path / "page.png").convert("L")
    px = 150 / 25.4  # pixels per mm at 150 dpi

    def dark(x0: float, y0: float, x1: float, y1: float) -> bool:
        """Any dark pixel in the rectangle (mm from the media box's top left)."""
        crop = page.crop((round(x0 * px), round(y0 * px), round(x1 * px), round(y1 * px)))
        return crop.getextrema()[0] < 128  # type: ignore[index,operator]

    assert dark(0, 11.5, 6, 12.5)  # the mark on the trim line, out in the slug (media edge to 6 mm)
    assert not dark(8, 8, 12, 12)  # nothing inside the bleed at the corner


@needs("pdffonts")
def test_font_subset_names_differ_between_files(project: Path) -> None:
    _, _, out = build(project, unit="hall")
    names = {p.stem: re.findall(r"^([A-Z]{6})\+(\S+)", tool("pdffonts", p), re.M)
             for p in (out / "boards/hall").glob("*.pdf")}
    tags = [tag for found in names.values() for tag, _ in found]
    assert len(tags) > len(names) and len(tags) == len(set(tags)), names


def test_pdf_x_without_a_cmyk_profile_stops_with_g613(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.boards import press

    monkeypatch.setattr(press, "CMYK_PROFILES", (project / "no-such.icc",))
    settings(project, "  pdf_variant: pdf/x-4\n")
    _, result, out = build(project, unit="hall")
    assert [(p.code, p.path, p.line) for p in result.problems] == [("G613", "site_config.yml", 18)]
    assert "libgs-common" in result.problems[0].message and not (out / "boards").exists()


def give_photo(project: Path, size: tuple[int, int]) -> None:
    photo = project / "content/units/hall/photos/li-ming.jpg"
    photo.parent.mkdir(exist_ok=True)
    Image.linear_gradient("L").resize(size).convert("RGB").save(photo, quality=90)
    edit(project / "content/units/hall/members.yml", "name: 李明\n", "name: 李明\n    photo: photos/li-ming.jpg\n")


def image_list(pdf: Path) -> list[tuple[int, int, int, int]]:
    """``pdfimages -list``: (width px, height px, x-ppi, y-ppi) of every image."""
    rows = tool("pdfimages", "-list", pdf).splitlines()[2:]
    return [(int(r.split()[3]), int(r.split()[4]), int(r.split()[12]), int(r.split()[13])) for r in rows]


@needs("pdfimages")
def test_photos_embed_at_300_ppi_of_their_printed_size_on_a_big_poster(project: Path) -> None:
    """An A1 members poster prints the photo about 85 mm tall: 1000 px, not the old 480."""
    give_photo(project, (1800, 2400))
    settings(project, "  poster_size: A1\n")
    _, result, out = build(project, unit="hall")
    assert "G614" not in {p.code for p in result.problems}
    for name in ("members", "poster", "tent-li-ming", "cards"):
        [(width, height, x_ppi, y_ppi)] = set(image_list(out / f"boards/hall/{name}.pdf"))  # a tent: 2 faces
        assert 295 <= min(x_ppi, y_ppi) <= 330, (name, width, height, x_ppi, y_ppi)  # 300 ppi, not more
    [(width, height, _, _)] = image_list(out / "boards/hall/members.pdf")
    assert height > 900  # A1: about twice the A3 pixels


@needs("pdfimages")
def test_small_photo_is_never_enlarged_and_warns_naming_the_member(project: Path) -> None:
    give_photo(project, (150, 200))
    settings(project, "  poster_size: A1\n")
    _, result, out = build(project, unit="hall", kind="members")
    assert result.ok
    [(width, height, x_ppi, _)] = image_list(out / "boards/hall/members.pdf")
    assert (width, height) == (150, 200) and x_ppi < 100
    [warning] = [p for p in result.problems if p.code == "G614"]
    assert "李明" in warning.message and "photos/li-ming.jpg" in warning.message
    assert re.search(r"只有 [0-9.]+ ppi，期望至少 200 ppi（最好 300 ppi）", warning.message)


def test_time_limit_is_cpu_time_so_a_busy_machine_does_not_fail_boards(project: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker held off the CPU for 3 s (as on a loaded machine) still finishes a board
    whose limit is 2 s: the limit counts CPU time, not waiting."""
    import os
    import signal
    import threading

    from generator.boards import worker

    give = worker._Worker.give

    def held(self: worker._Worker, *args: object) -> None:
        give(self, *args)  # type: ignore[arg-type]
        os.kill(self.process.pid, signal.SIGSTOP)
        threading.Timer(3, os.kill, (self.process.pid, signal.SIGCONT)).start()

    monkeypatch.setattr(worker._Worker, "give", held)
    settings(project, "  timeout_s: 2\n")
    _, result, out = build(project, unit="hall", kind="tent", jobs=1, use_cache=False)
    assert result.ok, [p.format() for p in result.problems]
    assert (out / "boards/hall/tent-li-ming.pdf").exists()


def test_each_persons_cards_only_when_asked(project: Path) -> None:
    _, result, out = build(project, unit="hall", kind="cards")
    assert result.ok and sorted(p.name for p in (out / "boards/hall").glob("*.pdf")) == ["cards.pdf"]


@needs("pdfinfo", "pdftotext", "zbarimg")
def test_one_persons_card_sheet_and_single_card_with_bleed(project: Path, tmp_path: Path) -> None:
    from generator.boards.plan import board_stamp, card
    from generator.urls import member_url, with_stamp

    from .test_boards import pages, qr_codes, text

    settings(project, "  cards_per_person: true\n  crop_marks: true\n")
    site, result, out = build(project, unit="hall")
    assert result.ok, [p.format() for p in result.problems]
    li = site.units["hall"].member("li-ming")
    assert li
    live = with_stamp(member_url(site, li), board_stamp(site, card(site.units["hall"], li)))  # as on cards.pdf
    # The sheet: ten of 李明's card, backs after fronts, nobody else's.
    sheet = out / "boards/hall/cards-li-ming.pdf"
    assert pages(sheet) == 2 and text(sheet, 1).count("李明") == 10 and "王芳" not in text(sheet)
    assert text(sheet, 2).count("李明的服务承诺") == 10
    # The single card: 90 × 54 mm with 3 mm bleed, marks in a slug, front then back with the QR code.
    card = out / "boards/hall/namecard-li-ming.pdf"
    found = boxes(card)
    assert found["TrimBox"] == (0, 0, 90, 54) and found["BleedBox"] == (-3, -3, 93, 57)
    assert found["MediaBox"] == (-12, -12, 102, 66)
    assert pages(card) == 2 and "李明" in text(card, 1) and "李明的服务承诺" in text(card, 2)
    tool("pdftoppm", "-r", "300", "-f", "2", "-l", "2", "-png", "-singlefile", card, tmp_path / "back")
    done = tool("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", tmp_path / "back.png")
    assert done.split() == [live]
    assert qr_codes(sheet, tmp_path) == []  # page 1 holds the fronts: no QR code there
    # Turned off again: one kind's run removes that kind's files of each person.
    edit(project / "site_config.yml", "  cards_per_person: true\n", "")
    _, result, _ = build(project, unit="hall", kind="card")
    assert card in result.removed and not card.exists()


@needs("pdfinfo", "pdffonts")
def test_print_order_merges_each_kind_and_lists_copies_and_finishing(project: Path) -> None:
    import csv

    from .conftest import run_cli

    settings(project, "  cards_per_person: true\n  tent_copies: 2\n  cards_each: 50\n  pdf_variant: pdf/x-4\n")
    out = project / "site"
    done = run_cli("--root", str(project), "--out", str(out), "boards", "--unit", "hall", "--order")
    assert done.returncode == 0, done.stdout + done.stderr
    folder = out / "order/hall"
    with (folder / "order.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["文件"]: r for r in csv.DictReader(handle)}
    assert sorted(rows) == ["card.pdf", "cards-person.pdf", "cards.pdf", "members.pdf", "pledge.pdf",
                            "poster.pdf", "tent.pdf"]
    assert (rows["tent.pdf"]["页数"], rows["tent.pdf"]["份数"]) == ("2", "2")  # 2 members, 2 copies each
    assert "对折" in rows["tent.pdf"]["后期加工"] and rows["tent.pdf"]["纸张"] == "A4"
    assert (rows["cards-person.pdf"]["页数"], rows["cards-person.pdf"]["份数"]) == ("4", "5")  # 50 cards: 5 sheets
    assert rows["card.pdf"]["份数"] == "50" and rows["card.pdf"]["成品尺寸（毫米）"].startswith("90 × 54")
    for name, row in rows.items():
        pdf = folder / name
        info = tool("pdfinfo", pdf)
        assert f"Pages:           {row['页数']}" in info and re.search(r"PDF subtype:\s+PDF/X-4", info), name
    fonts = re.findall(r"^([A-Z]{6}\+\S+)", tool("pdffonts", folder / "tent.pdf"), re.M)
    assert len(fonts) == len(set(fonts))  # two tents merged: no subset name twice
    html = (folder / "order.html").read_text(encoding="utf-8")
    assert "印刷订单：" in html and '<a href="tent.pdf">' in html


def test_print_order_refuses_a_single_kind(project: Path) -> None:
    from .conftest import run_cli

    done = run_cli("--root", str(project), "--out", str(project / "site"), "boards", "--kind", "tent", "--order")
    assert done.returncode == 2 and "G615" in done.stderr and not (project / "site").exists()  # usage: nothing built


def add_service(project: Path) -> None:
    edit(project / "content/units/hall/unit.yml", "services:\n", """services:
  - id: tax-register
    name: 税务登记
    code: '11510000MB1234567X'
    applicants: 个体工商户和企业
    conditions: [已领取营业执照, 有固定经营场所]
    materials:
      - {name: 营业执照, form: 原件和复印件, copies: 1}
      - {name: 法定代表人身份证, form: 复印件, copies: 2, note: 正反面印在同一页}
    steps: [窗口受理, 审核, 发放登记证]
    promised_limit: 2
    legal_limit: 20
    fee: 不收费
    basis: [《税收征收管理法》第十五条]
    window: 3号窗口
    consult_phone: 0839-1234500
""")


@needs("pdfinfo", "pdftotext", "zbarimg")
def test_service_guide_lists_everything_and_leads_to_the_service(project: Path, tmp_path: Path) -> None:
    from generator.urls import unit_url, with_stamp

    from .test_boards import pages, qr_codes, stamp, text

    add_service(project)
    settings(project, "  service_guides: true\n")
    site, result, out = build(project, unit="hall", kind="guide")
    assert result.ok, [p.format() for p in result.problems]
    pdf = out / "boards/hall/guide-tax-register.pdf"
    assert pages(pdf) == 1
    printed = re.sub(r"\s+", "", text(pdf))
    for words in ("一次性告知单", "税务登记", "已领取营业执照", "营业执照", "原件和复印件", "法定代表人身份证",
                  "正反面印在同一页", "窗口受理", "2个工作日", "20个工作日", "不收费", "3号窗口",
                  "《税收征收管理法》第十五条", "0839-1234500", "0839-1234567", "个体工商户和企业"):
        assert words in printed, words
    live = with_stamp(unit_url(site, site.units["hall"]), stamp(site, "guide-tax-register"))
    assert qr_codes(pdf, tmp_path) == [live + "#service-tax-register"]
    heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">营业执照',
                                                         tool("pdftotext", "-bbox", pdf, "-"))]
    assert heights and min(heights) >= 10  # material names at a readable size (≥ 10 pt line box)
    assert (out / "boards/hall/guide-invoice.pdf").exists()  # every service item has one


@needs("pdfinfo", "pdftotext", "zbarimg")
def test_hall_directory_lists_each_window_with_its_qr_code(project: Path, tmp_path: Path) -> None:
    from generator.urls import unit_url, with_stamp

    from .test_boards import pages, qr_codes, stamp, text

    settings(project, "  hall_directory: true\n")
    site, result, out = build(project, kind="directory")
    assert result.ok, [p.format() for p in result.problems]
    assert [p.name for p in (out / "boards").rglob("*.pdf")] == ["directory.pdf"]  # only the centre has windows
    pdf = out / "boards/center/directory.pdf"
    assert pages(pdf) == 1 and box(pdf) == (297, 420)
    printed = re.sub(r"\s+", "", text(pdf))
    assert "窗口导引" in printed and "办税厅" in printed and "发票领用" in printed
    hall, center = site.units["hall"], site.units["center"]
    assert sorted(qr_codes(pdf, tmp_path)) == sorted(
        [unit_url(site, hall), with_stamp(unit_url(site, center), stamp(site, "directory", "center"))])


def box(pdf: Path) -> tuple[float, float]:
    x0, y0, x1, y1 = boxes(pdf)["TrimBox"]
    return round(x1 - x0), round(y1 - y0)


def test_a_worker_whose_build_was_stopped_exits_without_a_traceback() -> None:
    """A board build killed part-way (a CI time-out, a closed terminal) left each worker to
    answer into a closed pipe: a BrokenPipeError traceback on the user's screen per worker."""
    from multiprocessing import Pipe

    from generator.boards.worker import serve

    inbox, jobs = Pipe(duplex=False)
    answers, outbox = Pipe(duplex=False)
    answers.close()  # the build is gone: nobody reads the answer
    jobs.send((None, (), 5.0))  # not a board: answered as a failed board
    serve(inbox, outbox)  # returns quietly instead of raising BrokenPipeError
