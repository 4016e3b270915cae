"""Version stamps change exactly when what a board prints changes, and the live page agrees."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from generator.boards import build_boards
from generator.boards.plan import board_stamp, card, entries
from generator.check import check
from generator.sitebuild import build_site

HALL = "content/units/hall"
# Every board of the hall, and each member's card on the card sheet.
ALL = {"poster", "members", "cards", "pledge-org", "tent-li-ming", "tent-wang-fang", "pledge-li-ming",
       "card-li-ming", "card-wang-fang"}


def stamps(root: Path) -> dict[str, str]:
    site = check(root).site
    assert site is not None
    hall = site.units["hall"]
    boards = [*entries(site, hall), *(card(hall, m) for m in hall.public_members)]
    return {e.stem: board_stamp(site, e) for e in boards}


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, file)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def changed(root: Path, *edits: tuple[str, str, str]) -> set[str]:
    before = stamps(root)
    for file, old, new in edits:
        edit(root, file, old, new)
    after = stamps(root)
    assert before.keys() == after.keys()
    return {board for board in before if before[board] != after[board]}


PRINTED = {
    # The supervision phone is on every board (posters' footer, tents, card backs, pledge sheets).
    "supervision phone": ((f"{HALL}/unit.yml", "kind: 办事大厅", "kind: 办事大厅\nsupervision_phone: '0839-7654321'"),
                          ALL),
    # The short name heads each tent face and each card.
    "short name": ((f"{HALL}/unit.yml", "short_name: 办税厅", "short_name: 办税服务厅"),
                   {"tent-li-ming", "tent-wang-fang", "cards", "card-li-ming", "card-wang-fang"}),
    "member post": ((f"{HALL}/members.yml", "post: 综合服务窗口", "post: 综合服务窗口（2号）"),
                    {"poster", "members", "cards", "card-li-ming", "tent-li-ming", "pledge-li-ming"}),
    "pledge text": ((f"{HALL}/pledges.yml", "全年办件零差错。", "全年办件零差错，限时办结。"),
                    {"poster", "cards", "card-li-ming", "tent-li-ming", "pledge-li-ming"}),
    # The site's name heads the wall posters and the pledge sheets.
    "printed setting": (("site_config.yml", "name: 测试县公示平台", "name: 测试县三亮公示平台"),
                        {"poster", "members", "pledge-org", "pledge-li-ming"}),
}


@pytest.mark.parametrize("field", PRINTED)
def test_a_printed_field_changes_the_stamps_of_the_boards_that_print_it(project: Path, field: str) -> None:
    change, boards = PRINTED[field]
    assert changed(project, change) == boards


def _photo(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 400), colour).save(path, "JPEG")


def test_a_new_photo_file_changes_the_boards_that_show_it(project: Path) -> None:
    _photo(project / HALL / "photos/li-ming.jpg", (180, 40, 40))
    edit(project, f"{HALL}/members.yml", "name: 李明\n", "name: 李明\n    photo: photos/li-ming.jpg\n")
    before = stamps(project)
    _photo(project / HALL / "photos/li-ming.jpg", (40, 40, 180))  # same name, same size, new picture
    after = stamps(project)
    assert {b for b in before if before[b] != after[b]} == {
        "poster", "members", "cards", "card-li-ming", "tent-li-ming"}


def test_what_no_board_prints_leaves_every_stamp(project: Path) -> None:
    assert changed(
        project,
        (f"{HALL}/pledges.yml", "status: 履行中", "status: 已完成\n    completed_on: 2026-11-01"),
        (f"{HALL}/unit.yml", "kind: 办事大厅", "kind: 办事大厅\ndescription: 本厅办理涉税业务。"),
        ("site_config.yml", "as_of: 2026-11-20", "as_of: 2026-11-25"),
    ) == set()


def _printed_stamp(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return re.search(r"版本\s*([0-9a-f]{8})", text)[1]  # type: ignore[index]


def _page_stamps(html: Path) -> list[str]:
    return re.search(r'data-stamps="([0-9a-f ]+)"', html.read_text(encoding="utf-8"))[1].split()  # type: ignore[index]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_live_page_says_a_board_is_out_of_date_once_its_phone_changes(project: Path, tmp_path: Path) -> None:
    """Real boards and a real MkDocs build: the stamp printed on each board is one the page it
    leads to calls current, until a printed field changes."""
    site = check(project).site
    assert site is not None
    build_boards(site, tmp_path / "boards", unit="hall", cache_dir=tmp_path / "cache")
    build_site(site, tmp_path / "site")
    boards = tmp_path / "boards/boards/hall"
    printed = {b: _printed_stamp(boards / f"{b}.pdf") for b in ("poster", "members", "pledge-org",
                                                              "tent-li-ming", "pledge-li-ming")}
    unit_page = tmp_path / "site/units/hall/index.html"
    member_page = tmp_path / "site/units/hall/members/li-ming/index.html"
    assert {printed[b] for b in ("poster", "members", "pledge-org")} <= set(_page_stamps(unit_page))
    assert {printed["tent-li-ming"], printed["pledge-li-ming"]} <= set(_page_stamps(member_page))

    edit(project, f"{HALL}/unit.yml", "kind: 办事大厅", "kind: 办事大厅\nsupervision_phone: '0839-7654321'")
    site = check(project).site
    assert site is not None
    build_site(site, tmp_path / "site")
    assert not set(printed.values()) & set(_page_stamps(unit_page) + _page_stamps(member_page))


def test_a_stamp_reads_the_same_body_as_the_printed_board() -> None:
    """Stamps render boards without their inlined CSS (body_html): the body, all a stamp reads, is
    the printed page's, for every board and card of the demo, but for what prints no text: a tent's
    bottom face is the top face's copy (drawn once), a card sheet has no crop marks."""
    from generator.boards.contexts import PhotoDigests
    from generator.boards.plan import spec
    from generator.boards.render import body_html, render_html
    from generator.stamps import printed_text

    from .conftest import ROOT

    site = check(ROOT).site
    assert site is not None
    photos, seen = PhotoDigests(), set()
    for unit in site.units.values():
        for entry in [*entries(site, unit), *(card(unit, m) for m in unit.public_members)]:
            board = spec(site, entry, photos)
            printed, body = render_html(board), body_html(board)
            assert "<style>" in printed and "<style>" not in body
            assert printed_text(body) == printed_text(printed)
            if entry.kind == "tent":
                assert 'class="face bottom"' in printed  # for_stamp reaches the stamp's render only
                assert body.count('class="face top"') == 2 and 'class="face bottom"' not in body
                printed = printed.replace('class="face bottom"', 'class="face top"')
            if entry.kind == "cards":
                assert '<i class="mark' in printed and '<i class="mark' not in body
                printed = re.sub(r'<i class="mark [vh]" style="[^"]*"></i>\n', "", printed)
            assert body.partition("<body")[2] == printed.partition("<body")[2], entry.stem
            seen.add(entry.kind)
    assert seen >= {"poster", "members", "cards", "tent", "pledge"}
