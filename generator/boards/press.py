"""Print-shop finishing of a board's PDF: PDF/X-4, K-only black, slug for crop marks, font tags.

* ``print.pdf_variant: pdf/x-4`` writes PDF/X-4 with an output intent (the CMYK profile
  :data:`CMYK_PROFILES` finds, Debian's ``libgs-common``) and turns near-black and grey
  colours of the stylesheets into ``device-cmyk(0 0 0 k)`` (:func:`k_only`), so text and
  hairlines print on the black plate alone instead of as four-colour black. The default
  (no variant) stays RGB, for digital printing.
* Crop marks go in a slug *outside* the bleed: WeasyPrint draws marks from the edge of its
  CSS bleed halfway in, so the CSS bleed is widened to :func:`css_bleed_mm` and
  :func:`finisher` then sets the PDF boxes: MediaBox (trim + slug) ⊃ BleedBox (trim + the
  bleed asked for) ⊃ TrimBox (the paper size).
* WeasyPrint names every subset font ``ABCDEF+Family`` with a tag derived from the font
  alone, so two boards share names for different subsets and merging their PDFs is unsafe;
  :func:`finisher` gives each file its own tags, from a digest of the file's identifier
  (deterministic: the same board and content get the same tags).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

VARIANTS = ("pdf/x-4",)  # print.pdf_variant values besides the default (RGB)
CMYK_PROFILES = (Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),)  # Debian libgs-common
MM_PT = 72 / 25.4
SLUG_MIN_MM = 12.0  # mark length 6 mm at least
NEAR_BLACK = 0.25  # lightness below which a neutral colour prints as solid K
NEUTRAL = 24  # largest spread of R, G, B (0–255) still taken for a grey
_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_RGBA = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([0-9.]+)\s*)?\)")
_KEYWORDS = re.compile(r"(?<![\w-])(black|grey|gray)(?![\w-])")
_TAG = re.compile(rb"^/([A-Z]{6})\+")


class NoProfile(RuntimeError):
    """PDF/X asked for, but no CMYK output profile is installed (G613)."""


def cmyk_profile() -> Path:
    """The CMYK ICC profile for the output intent; :class:`NoProfile` if none is installed."""
    for path in CMYK_PROFILES:
        if path.is_file():
            return path
    raise NoProfile(" 或 ".join(str(p) for p in CMYK_PROFILES))


def css_bleed_mm(bleed_mm: float, crop_marks: bool) -> float:
    """The CSS ``bleed`` that puts crop marks outside ``bleed_mm``: marks run from its
    edge halfway in, so it is at least twice the bleed plus 6 mm."""
    if not crop_marks:
        return bleed_mm
    return max(SLUG_MIN_MM, 2 * bleed_mm + 6)


def _k(red: int, green: int, blue: int, alpha: float = 1.0) -> str | None:
    if max(red, green, blue) - min(red, green, blue) > NEUTRAL or min(red, green, blue) >= 250:
        return None  # a colour, or white: left to the output intent
    lightness = (red + green + blue) / 765
    k = 1.0 if lightness < NEAR_BLACK else round(1 - lightness, 2)
    return f"device-cmyk(0 0 0 {round(k * alpha, 3):g})"


def _hex(match: re.Match[str]) -> str:
    digits = match[0][1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return _k(*(int(digits[i:i + 2], 16) for i in (0, 2, 4))) or match[0]


def _rgba(match: re.Match[str]) -> str:
    alpha = float(match[4]) if match[4] else 1.0
    return _k(int(match[1]), int(match[2]), int(match[3]), alpha) or match[0]


def k_only(css: str) -> str:
    """``css`` with its near-black and grey colours as K-only ``device-cmyk()``."""
    css = _HEX.sub(_hex, css)
    css = _RGBA.sub(_rgba, css)
    return _KEYWORDS.sub(lambda m: "device-cmyk(0 0 0 1)" if m[1] == "black" else "device-cmyk(0 0 0 0.5)", css)


_FILL = re.compile(r'(?<=\s)(fill|stroke)="(#[0-9a-fA-F]{3,6})"')


def k_only_svg(html: str) -> str:
    """``html`` with the greys and black of its inline SVG (QR codes, photo placeholders) as K
    only. Content cannot forge these attributes: it is escaped, quotes included. A QR code is
    one stroked path (segno); ``fill="none"`` keeps WeasyPrint from setting an RGB fill for it."""
    html = html.replace('<path stroke="', '<path fill="none" stroke="')
    return _FILL.sub(lambda m: f'{m[1]}="{k_only(m[2])}"', html)


def color_profiles(variant: str | None) -> dict[str, Any]:
    """What ``HTML.render(color_profiles=…)`` gets: the CMYK output profile for PDF/X."""
    if not variant:
        return {}
    from weasyprint.css import ColorProfile

    with cmyk_profile().open("rb") as handle:
        profile = ColorProfile(handle, "default_cmyk.icc", "relative-colorimetric",
                               (["c"], ["m"], ["y"], ["k"]))
    return {"device-cmyk": profile}


def new_tag(seed: bytes, old: bytes) -> bytes:
    """A subset tag of six capitals, from the file's seed and the font's own tag."""
    digest = hashlib.sha256(seed + b"\0" + old).digest()
    return bytes(65 + b % 26 for b in digest[:6])


def finisher(seed: bytes, bleed_mm: float, variant: str | None) -> Callable[[Any, Any], None]:
    """WeasyPrint ``finisher``: boxes, font tags and PDF/X metadata of one file."""
    import pydyf

    def finish(document: Any, pdf: Any) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary):
                _retag(obj, seed)
                if obj.get("Type") == "/Page" and "TrimBox" in obj:
                    left, top, right, bottom = obj["TrimBox"]
                    b = bleed_mm * MM_PT
                    obj["BleedBox"] = pydyf.Array([left - b, top - b, right + b, bottom + b])
            elif variant and isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                _fixed_document_id(obj, seed)
        if variant:
            pdf.info["GTS_PDFXVersion"] = pydyf.String(variant.upper())  # what pdfinfo reads

    return finish


def _retag(obj: Any, seed: bytes) -> None:
    for name in ("BaseFont", "FontName"):
        value = obj.get(name)
        if isinstance(value, bytes) and (match := _TAG.match(value)):
            obj[name] = b"/" + new_tag(seed, match[1]) + value[7:]


def _fixed_document_id(stream: Any, seed: bytes) -> None:
    """WeasyPrint writes a random XMP DocumentID for PDF/X-4; ours comes from the seed."""
    uid = hashlib.sha256(seed).hexdigest()
    fixed = f"xmp.did:{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"
    pattern = re.compile(rb"xmp\.did:[0-9a-f-]{36}")
    stream.stream = [pattern.sub(fixed.encode(), part if isinstance(part, bytes) else str(part).encode())
                     for part in stream.stream]
