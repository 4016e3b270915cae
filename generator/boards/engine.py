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

* **Font subsetting in one pass.** WeasyPrint subsets each embedded font with
  HarfBuzz twice: once keeping glyph ids (``RETAIN_GIDS``), then again keeping
  glyphs 0 … highest used to drop the empty tail, this time without hinting. The
  first pass already ends at the highest used glyph, so :func:`_subset` asks
  HarfBuzz for the final font in one pass (``RETAIN_GIDS`` and ``NO_HINTING``
  together) and only runs the second pass if the glyph count says it is needed
  (an older HarfBuzz). The second pass was 60 % of subsetting a CJK font: it
  walked all ~63,000 glyph slots. Glyph arrays use ``hb_codepoint_t[]``, so cffi
  no longer parses a new C type for every distinct array length (pycparser, ~8
  ms each time). A font face subset :data:`PREPROCESS_AFTER` times in a worker
  is then preprocessed (``hb_subset_preprocess``, 0.5–1 s once), which halves
  the cost of each later subset; small runs never pay for it. ``Font`` also
  copied the whole font file (20–27 MB) for every board before subsetting it;
  :func:`_face_data` copies it once per face.

* **Faster compression.** pydyf compresses every stream at zlib level 9. The
  streams are mostly font subsets, ~2 MB a board because WeasyPrint keeps glyph
  ids (empty slots up to the highest glyph used); level 1 (:data:`COMPRESS_LEVEL`)
  compresses them in a third of the time for ~2 % larger files.

:func:`install` swaps the subsetting method on WeasyPrint's ``Font`` class, the
font-file copy it calls, and the ``zlib`` pydyf sees. It does so only for the
WeasyPrint and HarfBuzz versions it was checked against (see :func:`supported`);
with any other, fonts are subset and streams compressed by stock WeasyPrint,
slower but the same (the shared font configuration and parsed CSS are public
WeasyPrint API and always used).

Memory: a worker keeps each font file once (~67 MB for the three Noto CJK files
boards use) and, after 200 boards, the preprocessed faces (~560 MB); a worker
peaked at 806 MB over 3,260 boards and did not grow.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

COMPRESS_LEVEL = 1  # zlib level of PDF streams (pydyf uses 9)
PREPROCESS_AFTER = 200  # subsets of one face before it is preprocessed (break-even ≈ 200)
MAX_PREPROCESSED = 8  # faces kept preprocessed, and font files kept, per worker (boards use 3–4)
CHECKED = ("70.",)  # WeasyPrint versions whose Font._harfbuzz_subset this replaces exactly

_font_config: Any = None
_installed: bool | None = None
_stock: Any = None  # WeasyPrint's own Font._harfbuzz_subset, once replaced
_off = False  # inside stock(): behave like stock WeasyPrint


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
    """WeasyPrint's subsetting is the one :func:`_subset` reproduces, and HarfBuzz can do it."""
    if not version("weasyprint").startswith(CHECKED):
        return False
    try:
        from weasyprint.pdf.fonts import Font
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset
    except ImportError:
        return False
    return (harfbuzz_subset is not None and hasattr(Font, "_harfbuzz_subset")
            and bool(harfbuzz.hb_version_atleast(6, 0, 0)) and _Native.load() is not None)


def install() -> bool:
    """Use :func:`_subset` for WeasyPrint's fonts in this process, if :func:`supported`."""
    global _installed, _stock
    if _installed is None:
        _installed = supported()
        if _installed:
            import pydyf
            from weasyprint.pdf import fonts
            from weasyprint.pdf.fonts import Font

            _stock, Font._harfbuzz_subset = Font._harfbuzz_subset, _subset
            pydyf.zlib = _FastZlib
            fonts.get_hb_object_data = _face_data
    return _installed


class _FastZlib:
    """What pydyf sees as ``zlib``: streams compressed at :data:`COMPRESS_LEVEL`."""

    @staticmethod
    def compressobj(level: int = -1) -> Any:
        return zlib.compressobj(COMPRESS_LEVEL)

    compress = staticmethod(zlib.compress)


@contextmanager
def stock() -> Iterator[None]:
    """Render with stock WeasyPrint inside the block: a font configuration per document,
    WeasyPrint's own subsetting, CSS parsed from the page. Tests compare the bytes of both."""
    global _off
    import pydyf
    from weasyprint.pdf import fonts
    from weasyprint.pdf.fonts import Font
    from weasyprint.text.fonts import get_hb_object_data

    install()
    _off = True
    if _stock is not None:
        Font._harfbuzz_subset, pydyf.zlib = _stock, zlib
        fonts.get_hb_object_data = get_hb_object_data
    try:
        yield
    finally:
        _off = False
        if _stock is not None:
            Font._harfbuzz_subset, pydyf.zlib = _subset, _FastZlib
            fonts.get_hb_object_data = _face_data


class _Native:
    """HarfBuzz functions WeasyPrint's cffi bindings do not declare, in a cffi of our own."""

    ffi: Any = None
    hb: Any = None
    subset: Any = None
    failed = False

    @classmethod
    def load(cls) -> Any:
        if cls.ffi is None and not cls.failed:
            import cffi

            try:
                ffi = cffi.FFI()
                ffi.cdef("""
                    typedef struct hb_face_t hb_face_t;
                    typedef struct hb_set_t hb_set_t;
                    typedef uint32_t hb_codepoint_t;
                    hb_face_t * hb_face_reference (hb_face_t *face);
                    void hb_set_add_range (hb_set_t *set, hb_codepoint_t first, hb_codepoint_t last);
                    hb_face_t * hb_subset_preprocess (hb_face_t *source);
                """)
                cls.hb = ffi.dlopen("libharfbuzz.so.0")
                cls.subset = ffi.dlopen("libharfbuzz-subset.so.0")
                cls.ffi = ffi
            except (OSError, AttributeError, cffi.CDefError):  # not Linux, or no HarfBuzz-Subset
                cls.failed = True
        return cls.ffi


def _address(wffi: Any, pointer: Any) -> int:
    return int(wffi.cast("uintptr_t", pointer))


# The whole font file of each face WeasyPrint embeds, by face address (kept alive by our
# reference, so the address is never reused by another face while it is here).
_files: dict[int, tuple[Any, bytes]] = {}


def _face_data(hb_object: Any, ot_color: str | None = None, glyph: Any = None) -> Any:
    """``get_hb_object_data`` as WeasyPrint's ``Font`` calls it, the font file copied once per face.

    ``Font.__init__`` copies the whole font file (20–27 MB for a Noto CJK collection) for
    every board, only to replace it with the subset a moment later.
    """
    from weasyprint.text.ffi import ffi
    from weasyprint.text.fonts import get_hb_object_data

    if ot_color is not None or glyph is not None or _off:
        return get_hb_object_data(hb_object, ot_color, glyph)
    address = _address(ffi, hb_object)
    if address not in _files:
        if len(_files) >= MAX_PREPROCESSED:
            return get_hb_object_data(hb_object)
        native = _Native
        ours = native.hb.hb_face_reference(native.ffi.cast("hb_face_t *", address))
        _files[address] = (ours, get_hb_object_data(hb_object))
    return _files[address][1]


# Per font face, by address (our reference keeps a preprocessed face alive, so its address
# is never reused by another face): subsets done, and the preprocessed face once made.
_uses: dict[int, int] = {}
_preprocessed: dict[int, tuple[Any, Any]] = {}  # address → (our reference, preprocessed face)


def _source(wffi: Any, face: Any) -> Any:
    """The face to subset from: the preprocessed one once this face has been used enough."""
    address = _address(wffi, face)
    if address in _preprocessed:
        return _preprocessed[address][1]
    uses = _uses[address] = _uses.get(address, 0) + 1
    if uses < PREPROCESS_AFTER or len(_preprocessed) >= MAX_PREPROCESSED:
        return face
    native = _Native
    ours = native.hb.hb_face_reference(native.ffi.cast("hb_face_t *", address))
    done = native.subset.hb_subset_preprocess(ours)
    _preprocessed[address] = (ours, wffi.cast("hb_face_t *", int(native.ffi.cast("uintptr_t", done))))
    return _preprocessed[address][1]


def _subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """``Font._harfbuzz_subset`` with the same result in one HarfBuzz pass (see the module doc)."""
    from weasyprint.logger import LOGGER
    from weasyprint.text.ffi import ffi, harfbuzz
    from weasyprint.text.ffi import harfbuzz_subset as hbs
    from weasyprint.text.fonts import get_hb_object_data

    subset_input = ffi.gc(hbs.hb_subset_input_create_or_fail(), hbs.hb_subset_input_destroy)
    glyphs = sorted(to_unicode)
    glyph_set = hbs.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new("hb_codepoint_t[]", glyphs), len(glyphs))

    def flags(*names: str) -> int:
        value = 0
        for name in names:
            value |= getattr(hbs, f"HB_SUBSET_FLAGS_{name}")
        if self.missing:
            value |= hbs.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        if not hinting:
            value |= hbs.HB_SUBSET_FLAGS_NO_HINTING
        return value

    hbs.hb_subset_input_set_flags(
        subset_input, flags("RETAIN_GIDS", "PASSTHROUGH_UNRECOGNIZED", "DESUBROUTINIZE"))
    drop = tuple(sorted(harfbuzz.hb_tag_from_string(name, -1) for name in (
        b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
        b"LTSH", b"PCLT", b"SVG ")))
    drop_set = hbs.hb_subset_input_set(subset_input, hbs.HB_SUBSET_SETS_DROP_TABLE_TAG)
    harfbuzz.hb_set_add_sorted_array(drop_set, ffi.new("hb_codepoint_t[]", drop), len(drop))
    face = ffi.gc(hbs.hb_subset_or_fail(_source(ffi, self.hb_face), subset_input),
                  harfbuzz.hb_face_destroy)

    last = glyphs[-1]
    if face and harfbuzz.hb_face_get_glyph_count(face) > last + 1:
        # An older HarfBuzz kept the empty tail: WeasyPrint's second pass drops it.
        native = _Native
        glyph_set = hbs.hb_subset_input_glyph_set(subset_input)
        native.hb.hb_set_add_range(native.ffi.cast("hb_set_t *", _address(ffi, glyph_set)), 0, last)
        hbs.hb_subset_input_set_flags(
            subset_input, flags("PASSTHROUGH_UNRECOGNIZED", "DESUBROUTINIZE"))
        face = ffi.gc(hbs.hb_subset_or_fail(face, subset_input), harfbuzz.hb_face_destroy)

    if face:
        content = get_hb_object_data(face)
        if content:
            self.file_content = content
            return
    LOGGER.warning('Unable to subset "%s" with HarfBuzz', self.family)
