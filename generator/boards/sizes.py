"""Paper sizes: the trim size of every board, and the poster size from the settings.

``print.poster_size`` is ``A0``–``A5`` or ``<width>x<height>mm`` (portrait or
landscape as written). Type on a poster scales with the paper (the smaller of its
width and height ratios to A3), so an A1 poster reads like an A3 one from twice the
distance: 11 pt body text on A3, 15.6 pt on A2, 22 pt on A1. So does the legibility
floor below which a crowded poster is printed on more sheets instead of shrinking
further (:data:`FLOOR_PT_A3`: 10 pt on A3, 14.1 pt on A2, 20 pt on A1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ISO 216 A sizes, portrait, in millimetres.
A_SIZES: dict[str, tuple[float, float]] = {
    "A0": (841, 1189),
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "A5": (148, 210),
}
CUSTOM = re.compile(r"^([0-9]{2,4})x([0-9]{2,4})mm$")
FLOOR_PT_A3 = 10.0  # smallest body text of a wall poster on A3, read from about a metre
CARD = (90.0, 54.0)  # 服务卡 / 承诺名片, the Chinese business-card size


@dataclass(frozen=True)
class Page:
    """One board's sheet: trim size, inner margin, and the print-shop extras."""

    name: str  # shown to people: "A3" or "600×900 mm"
    width_mm: float
    height_mm: float
    margin_mm: float = 0.0
    bleed_mm: float = 0.0
    crop_marks: bool = False
    type_pt: float = 10.5  # design size of body text; everything else is in em
    foot_mm: float = 0.0  # band below the page area for the footer (QR, stamp, phone)
    min_type_pt: float = 0.0  # wall posters: body text is never smaller (sheets.py)
    variant: str | None = None  # print.pdf_variant: None (RGB) or "pdf/x-4" (press.py)

    @property
    def css_size(self) -> str:
        return f"{self.width_mm:g}mm {self.height_mm:g}mm"


def parse_size(value: str) -> tuple[str, float, float]:
    """``"A3"`` or ``"600x900mm"`` → (display name, width mm, height mm)."""
    if value in A_SIZES:
        width, height = A_SIZES[value]
        return value, width, height
    match = CUSTOM.match(value)
    if not match:
        raise ValueError(f"展板尺寸应为 A0–A5 或 宽x高mm（如 600x900mm），实际为 {value!r}")
    width, height = float(match[1]), float(match[2])
    return f"{width:g}×{height:g} mm", width, height


@dataclass(frozen=True)
class Press:
    """The print settings every board shares: bleed, crop marks, PDF variant."""

    bleed_mm: float = 0.0
    crop_marks: bool = False
    variant: str | None = None


def poster_page(size: str, press: Press = Press()) -> Page:
    """The wall posters (公示栏, 党员公示栏): size, bleed and crop marks from the settings."""
    name, width, height = parse_size(size)
    scale = min(width / 297, height / 420)  # 1.0 for A3 portrait
    return Page(name, width, height, round(12 * scale, 1), press.bleed_mm, press.crop_marks,
                type_pt=round(11 * scale, 2), foot_mm=round(40 * scale, 1),
                min_type_pt=round(FLOOR_PT_A3 * scale, 2), variant=press.variant)


def a4(margin_mm: float = 0.0, type_pt: float = 10.5, press: Press = Press()) -> Page:
    """Office boards (tents, card sheets, pledge sheets): A4, with the settings' bleed and
    crop marks (for a print shop; an office printer gets none by default)."""
    return Page("A4", 210, 297, margin_mm, press.bleed_mm, press.crop_marks, type_pt=type_pt,
                variant=press.variant)


@dataclass(frozen=True)
class CardLayout:
    """Where cards sit on a card board's page (mm): the A4 sheet of ten, or one card alone."""

    per_sheet: int
    cols: int
    x0: float
    y0: float
    w: float = CARD[0]
    h: float = CARD[1]
    chrome: bool = True  # sheet notes and the cards' own crop marks (a single card has neither)


CARD_SHEET = CardLayout(10, 2, 15, 13.5)  # 2 × 5 on A4, crop marks 2 mm outside the cut lines
CARD_SINGLE = CardLayout(1, 1, 0, 0, chrome=False)  # one card, with bleed: a shop's card press


def card_page(press: Press = Press()) -> Page:
    """One 90 × 54 mm card with bleed (the settings' bleed, 3 mm if none is set)."""
    return Page("90×54 mm", CARD[0], CARD[1], 0, press.bleed_mm or 3.0, press.crop_marks, type_pt=7.5,
                variant=press.variant)
