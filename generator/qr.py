"""QR codes as vector SVG (segno ``make_qr``: never a Micro QR, quiet zone kept).

segno chooses the best of eight masks in pure Python, three quarters of a code's time;
:mod:`generator.qrmask` makes the same choice several times faster. Codes are also cached: in memory for the run, and on disk under ``.cache/qr/`` when a cache
folder is configured, keyed by everything that shapes the SVG. URLs are stable by
design, so after the first build a code is never computed again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import segno

from . import qrmask
from .diskcache import read_sealed, write_sealed

qrmask.install()  # the same codes as segno's own, made faster
_CACHE: Path | None = None
_FORMAT = f"segno-{segno.__version__}-m-b4-v2"  # v2: sealed files (diskcache.seal)


def configure_cache(folder: Path | None) -> None:
    """Keep computed codes in ``folder`` across runs (None: memory only)."""
    global _CACHE
    _CACHE = folder


@lru_cache(maxsize=64)
def _code(url: str) -> segno.QRCode:
    """The code of ``url``: a unit page draws its own twice (its QR row and its screen view)."""
    return segno.make_qr(url, error="m")


def _render(url: str, dark: str, title: str | None) -> str:
    code = _code(url)
    svg: str = code.svg_inline(scale=1, border=4, dark=dark, light="#fff", omitsize=True,
                               title=title, svgclass="qr", lineclass=None)
    return svg


@lru_cache(maxsize=4096)
def qr_svg(url: str, *, dark: str = "#000", title: str | None = None) -> str:
    """An inline ``<svg>`` that scales with its box; error correction M, border 4 modules."""
    if _CACHE is None:
        return _render(url, dark, title)
    key = hashlib.sha256("\0".join([_FORMAT, url, dark, title or ""]).encode()).hexdigest()
    path = _CACHE / key[:2] / f"{key}.svg"
    kept = read_sealed(path)  # a damaged file would print a code that leads elsewhere: then it is made again
    if kept is not None:
        return kept.decode("utf-8")
    svg = _render(url, dark, title)
    write_sealed(path, svg.encode("utf-8"))  # a read-only checkout still builds, just slower
    return svg
