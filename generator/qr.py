"""QR codes as vector SVG (segno ``make_qr``: never a Micro QR, quiet zone kept)."""

from __future__ import annotations

import segno


def qr_svg(url: str, *, dark: str = "#000", title: str | None = None) -> str:
    """An inline ``<svg>`` that scales with its box; error correction M, border 4 modules."""
    code = segno.make_qr(url, error="m")
    svg: str = code.svg_inline(scale=1, border=4, dark=dark, light="#fff", omitsize=True,
                               title=title, svgclass="qr", lineclass=None)
    return svg
