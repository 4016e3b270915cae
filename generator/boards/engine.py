"""WeasyPrint set up for thousands of boards in one long-lived worker process.

Stock WeasyPrint is tuned for one document at a time. A worker renders boards
one after another, so costs that stock WeasyPrint pays per document are paid
once per worker here. Only the zlib level changes the bytes of a PDF, not what
it holds: ``tests/test_boards.py`` renders boards with and without this module
and finds the same bytes at WeasyPrint's zlib level and the same streams, once
decompressed, at ours.

* **Fonts are loaded once.** WeasyPrint makes a new ``FontConfiguration``
  (fontconfig and a Pango font map) for every document unless given one, so each
  board re-opened and re-parsed the 20–30 MB Noto CJK files and started its text
  shaping with cold caches. :func:`font_config` keeps one per worker; boards
  have no ``@font-face`` rules, so nothing leaks from one board to the next.

* **The theme's CSS is parsed once.** Each board inlines its kind's stylesheet
  (so the saved HTML prints on its own); WeasyPrint would parse it, and build
  its selector matcher, for every board. The worker lays out the page without
  its ``<style>`` and passes the same CSS as stylesheets instead, the kind's
  stylesheet parsed once (:func:`generator.boards.pdf.theme_css`). All three
  parts keep their order, so the cascade is unchanged.

* **Small font subsets, in one pass** (:mod:`.subset`). WeasyPrint subsets each
  embedded font keeping glyph ids (``RETAIN_GIDS``), so a Noto CJK subset keeps
  ~63,000 empty glyph slots up to the highest glyph used (0.9 MB a face to build,
  copy and compress, ~2 MB a board), then subsets it a second time to drop the
  tail. Noto CJK is a CID-keyed CFF font: its charset names each glyph's CID, and
  PDF readers find a ``CIDFontType0`` glyph by CID through that charset. So for
  such faces HarfBuzz renumbers the glyphs (the charset keeps the CIDs WeasyPrint
  writes in the page) and the bare CFF table is embedded (``/CIDFontType0C``):
  subsetting takes a third of the time, and a tent's PDF is ~35 KB instead of
  ~320 KB; pages render to the same pixels. Other faces keep their glyph ids, in one
  pass (``RETAIN_GIDS`` with ``NO_HINTING``). A face subset
  :data:`.subset.PREPROCESS_AFTER` times in a worker is then preprocessed
  (``hb_subset_preprocess``, 0.5–1 s once, between two boards so that no board's CPU
  time counts it), which halves the cost of each later subset. ``Font`` also copied the whole font file (20–27 MB) for every board;
  :func:`.subset.face_data` copies it once per face. Glyph arrays use
  ``hb_codepoint_t[]``, so cffi does not parse a new C type for every length.

* **Shrink-to-fit widths without needless min-content widths.** A float, an
  absolutely positioned or an inline-block box without a width is
  ``min(max(min-content, available), max-content)`` wide. When the max-content
  width fits, that is the max-content width whatever the min-content width, so
  :func:`shrink_to_fit` does not compute the latter: for Chinese text (a line
  break opportunity at every character) it lays out one line per character, and
  WeasyPrint asks twice for each float (a tent's band and phone, a pledge sheet's
  kind), ~10 % of a tent.

* **QR codes drawn without the general SVG path parser** (:mod:`.svgpath`): a
  path of straight moves and lines, as a QR code is, is read by a regular
  expression with the same drawing operations; ~10 % of a card sheet.

* **Faster compression.** pydyf compresses every stream at zlib level 9; level 1
  (:data:`COMPRESS_LEVEL`) takes a third of the time for ~2 % larger streams.

:func:`install` swaps the subsetting method and ``type`` of WeasyPrint's ``Font``
class, the font-file copy it calls, the font dictionaries (bare CFF typed
``/CIDFontType0C``), the ``shrink_to_fit`` WeasyPrint's layout calls, its SVG
``path`` drawer and the ``zlib`` pydyf sees. It does so only for the
WeasyPrint and HarfBuzz versions it was checked against (see :func:`supported`);
with any other, fonts are subset and streams compressed by stock WeasyPrint,
slower and larger but the same pages (the shared font configuration and parsed CSS
are public WeasyPrint API and always used).

Memory: a worker keeps each font file once (~67 MB for the three Noto CJK files
boards use) and, after 200 boards, the preprocessed faces (~560 MB); a worker
peaked at 806 MB over 3,260 boards and did not grow.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from importlib.metadata import version
from typing import Any

COMPRESS_LEVEL = 1  # zlib level of PDF streams (pydyf uses 9)
CHECKED = ("70.",)  # WeasyPrint versions whose Font._harfbuzz_subset this replaces exactly

_font_config: Any = None
_installed: bool | None = None
_stock: Any = None  # what _swap replaces, as WeasyPrint had it
_off = False  # inside stock(): behave like stock WeasyPrint
_SHRINKING: list[Any] = []  # WeasyPrint's layout modules that call shrink_to_fit


def font_config() -> Any:
    """The worker's one ``FontConfiguration``, created on first use."""
    global _font_config
    from weasyprint.text.fonts import FontConfiguration

    if _off:
        return FontConfiguration()
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def active() -> bool:
    """False inside :func:`stock`: lay boards out the way stock WeasyPrint is used."""
    return not _off


def supported() -> bool:
    """WeasyPrint's subsetting is the one :mod:`.subset` reproduces, and HarfBuzz can do it."""
    if not version("weasyprint").startswith(CHECKED):
        return False
    try:
        from weasyprint.pdf.fonts import Font
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        from .subset import Native
    except ImportError:
        return False
    return (harfbuzz_subset is not None and hasattr(Font, "_harfbuzz_subset")
            and bool(harfbuzz.hb_version_atleast(6, 0, 0)) and Native.load() is not None)


def _swap(ours: bool) -> None:
    """Put our subsetting, font embedding, shrink-to-fit, SVG paths and zlib level in place
    (``ours``), or WeasyPrint's."""
    import pydyf
    import weasyprint.pdf
    import weasyprint.svg
    from weasyprint.pdf import fonts
    from weasyprint.pdf.fonts import Font

    from . import subset, svgpath

    if _stock is None:
        return
    parts = (subset.subset_font, property(subset.font_type), subset.fonts_dictionary, _FastZlib,
             subset.face_data, shrink_to_fit, partial(svgpath.path, general=_stock[-1])) if ours else _stock
    (Font._harfbuzz_subset, Font.type, weasyprint.pdf.build_fonts_dictionary, pydyf.zlib,
     fonts.get_hb_object_data, shrink, weasyprint.svg.TAGS["path"]) = parts
    for module in _SHRINKING:
        module.shrink_to_fit = shrink


def install() -> bool:
    """Use :mod:`.subset` for WeasyPrint's fonts (and the rest :func:`_swap` names) in this process,
    if :func:`supported`."""
    global _installed, _stock
    if _installed is None:
        _installed = supported()
        if _installed:
            import pydyf
            import weasyprint.pdf
            import weasyprint.svg
            from weasyprint.layout import absolute, inline, preferred
            from weasyprint.layout import float as floats
            from weasyprint.pdf import fonts
            from weasyprint.pdf.fonts import Font

            _SHRINKING[:] = [absolute, floats, inline]  # they import shrink_to_fit by name
            _stock = (Font._harfbuzz_subset, Font.type, weasyprint.pdf.build_fonts_dictionary,
                      pydyf.zlib, fonts.get_hb_object_data, preferred.shrink_to_fit,
                      weasyprint.svg.TAGS["path"])
            _swap(True)
    return _installed


def shrink_to_fit(context: Any, box: Any, available_content_width: float) -> float:
    """WeasyPrint's ``shrink_to_fit``, ``min(max(min-content, available), max-content)``, with the
    min-content width computed only when the max-content width does not fit: otherwise the
    result is the max-content width whatever the min-content width is."""
    from weasyprint.layout.preferred import max_content_width, min_content_width

    widest = max_content_width(context, box, outer=False)
    if widest <= available_content_width:
        return widest
    return min(max(min_content_width(context, box, outer=False), available_content_width), widest)


class _FastZlib:
    """What pydyf sees as ``zlib``: streams compressed at :data:`COMPRESS_LEVEL`."""

    @staticmethod
    def compressobj(level: int = -1) -> Any:
        return zlib.compressobj(COMPRESS_LEVEL)

    compress = staticmethod(zlib.compress)


@contextmanager
def stock() -> Iterator[None]:
    """Render with stock WeasyPrint inside the block: a font configuration per document,
    WeasyPrint's own subsetting and font embedding, CSS parsed from the page. Tests compare both."""
    global _off
    install()
    _off = True
    _swap(False)
    try:
        yield
    finally:
        _off = False
        _swap(True)
