"""What the board engine's shortcuts must keep: a tent laid out once still prints both faces,
the top one turned; QR code paths drawn by our path reader are WeasyPrint's operations.

(``tests/test_boards.py::test_tuned_weasyprint_gives_the_same_pages`` checks every board of the
minimal project against stock WeasyPrint, stream by stream; these tests say what a user sees.)
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.boards import build_boards
from generator.boards.svgpath import SIMPLE, path
from generator.check import check

from .conftest import MINIMAL


def text_runs(pdf: Path) -> list[tuple[str, bool, float]]:
    """``(text, turned, height on the sheet in pt)`` of each run of text, in drawing order."""
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    runs: list[tuple[str, bool, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() and cm[0] != 1.0:  # runs of an opacity group report no matrix: not counted
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), cm[0] < 0 < cm[3], y))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def tent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("tent") / "project"
    shutil.copytree(MINIMAL, root)
    site = check(root).site
    assert site is not None
    result = build_boards(site, root / "site", unit="hall", kind="tent", cache_dir=root / ".cache")
    assert result.ok, [p.format() for p in result.problems]
    return root / "site/boards/hall/tent-li-ming.pdf", (root / "site/boards/hall/tent-li-ming.html").read_text()


def test_tent_top_face_reads_upright_once_folded(tent: tuple[Path, str]) -> None:
    """The face is laid out once and drawn twice: on the top half turned 180°, on the bottom half
    upright, with the same text in the same order (name, pledges, stamp, phone)."""
    pdf, _ = tent
    runs = [run for run in text_runs(pdf) if run[0] != "沿虚线对折"]  # the fold's labels: one each way
    middle = 841.89 / 2  # A4, folded at half height
    turned = [text for text, is_turned, _ in runs if is_turned]
    upright = [text for text, is_turned, _ in runs if not is_turned]
    assert turned == upright
    assert {"李明", "监督电话"} <= set(turned)
    assert all(y > middle for _, is_turned, y in runs if is_turned)
    assert all(y < middle for _, is_turned, y in runs if not is_turned)


def test_saved_tent_page_keeps_both_faces_in_full(tent: tuple[Path, str]) -> None:
    _, html = tent
    assert "data-drawn-as" not in html  # only the copy WeasyPrint lays out leaves a face empty
    assert html.count('<p class="name">李明</p>') == 2


STROKES = [
    "M4 4.5h7m2 0h5m1 0h1m-14 1h1m5 0h1",  # a QR code's rows
    "M0 0h45v45h-45z",  # its white square
    "M1 1H9V9H1Zm2 2h3v3h-3z",  # absolute lines, two closed subpaths
    "m2 3 h4 v-2.5 z z",  # spaces, a relative start, a close with nothing open
]
GENERAL = [
    "M40 400c0-90 50-150 110-150s110 60 110 150z",  # curves
    "M1,1 L5,5",  # commas, lines
    "M1 1h2 3",  # a repeated argument
    "M1-1h2",  # numbers not apart
    "M1e2 1h2",  # exponent
]


class _Node(dict):  # type: ignore[type-arg]
    def __init__(self, d: str) -> None:
        super().__init__(d=d)
        self.vertices: list[object] = []


def _drawn(draw: object, d: str) -> tuple[list[object], list[object]]:
    from pydyf import Stream
    from weasyprint.svg.utils import size

    svg = SimpleNamespace(stream=Stream(), point=lambda x, y, _: (size(x), size(y)))
    node = _Node(d)
    draw(svg, node, 12.0)  # type: ignore[operator]
    return svg.stream.stream, node.vertices


@pytest.mark.parametrize("d", STROKES + GENERAL)
def test_qr_paths_draw_as_weasyprint_draws_them(d: str) -> None:
    from weasyprint.svg.path import path as general

    calls: list[str] = []

    def fallback(svg: object, node: _Node, font_size: float) -> None:
        calls.append(node["d"])
        general(svg, node, font_size)

    assert _drawn(lambda s, n, f: path(s, n, f, general=fallback), d) == _drawn(general, d)
    assert (calls == []) == (d in STROKES) == bool(SIMPLE.fullmatch(d))
