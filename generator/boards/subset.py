"""Font subsets for board PDFs: one HarfBuzz pass, font files kept per face, CIDs kept.

What :func:`generator.boards.engine.install` puts in place of WeasyPrint's own (see
engine.py for why each is faster):

* :func:`subset_font` replaces ``Font._harfbuzz_subset``. For a face whose CFF is
  CID-keyed (Noto CJK is; :func:`keeps_cids`) it lets HarfBuzz renumber the glyphs and
  embeds the bare CFF table as ``/CIDFontType0C`` (:func:`fonts_dictionary`): the CFF
  charset maps each CID, which WeasyPrint writes in the page (the original glyph id),
  to its new glyph, as the PDF standard has readers do for ``CIDFontType0``. WeasyPrint
  keeps glyph ids instead (``RETAIN_GIDS``), which leaves ~63,000 empty glyph slots in
  every subset: 0.9 MB a face to build and compress. Other faces keep their glyph ids, in
  one HarfBuzz pass (``RETAIN_GIDS`` with ``NO_HINTING``) instead of WeasyPrint's two.
* :func:`face_data` replaces ``get_hb_object_data`` for ``Font``: the whole font file
  is copied once per face, not once per board.
"""

from __future__ import annotations

import io
from typing import Any

PREPROCESS_AFTER = 200  # subsets of one face before it is preprocessed (break-even ≈ 200)
MAX_PREPROCESSED = 8  # faces kept preprocessed, and font files kept, per worker (boards use 3–4)
CFF_VERSION_1 = b"\x01"  # first byte of a bare CFF table (an OpenType file starts with OTTO)


class Native:
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


def face_data(hb_object: Any, ot_color: str | None = None, glyph: Any = None) -> Any:
    """``get_hb_object_data`` as WeasyPrint's ``Font`` calls it, the font file copied once per face.

    ``Font.__init__`` copies the whole font file (20–27 MB for a Noto CJK collection) for
    every board, only to replace it with the subset a moment later.
    """
    from weasyprint.text.ffi import ffi
    from weasyprint.text.fonts import get_hb_object_data

    if ot_color is not None or glyph is not None:
        return get_hb_object_data(hb_object, ot_color, glyph)
    address = _address(ffi, hb_object)
    if address not in _files:
        if len(_files) >= MAX_PREPROCESSED:
            return get_hb_object_data(hb_object)
        native = Native
        ours = native.hb.hb_face_reference(native.ffi.cast("hb_face_t *", address))
        _files[address] = (ours, get_hb_object_data(hb_object))
    return _files[address][1]


# Per face kept in _files, by address: whether it is a CID-keyed CFF (OpenType/CFF with ROS).
_cid_keyed: dict[int, bool] = {}


def keeps_cids(font: Any, address: int) -> bool:
    """The face is an OpenType font whose CFF is CID-keyed (Noto CJK is), so a subset that
    renumbers glyphs still maps each CID to its glyph: PDF readers find a CIDFontType0's glyphs
    through the CFF charset, which HarfBuzz writes with the original CIDs. Only faces whose file
    :func:`_face_data` keeps are looked at (their address cannot be reused); others: False."""
    if address not in _cid_keyed and address in _files:
        from fontTools.ttLib import TTFont, TTLibError

        try:
            face = TTFont(io.BytesIO(_files[address][1]), fontNumber=font.index, lazy=True)
            _cid_keyed[address] = "CFF " in face and hasattr(face["CFF "].cff.topDictIndex[0], "ROS")
        except (TTLibError, KeyError, IndexError, ValueError, AssertionError):
            _cid_keyed[address] = False
    return _cid_keyed.get(address, False)


# Per font face, by address (our reference keeps a preprocessed face alive, so its address
# is never reused by another face): subsets done, and the preprocessed face once made.
_uses: dict[int, int] = {}
_preprocessed: dict[int, tuple[Any, Any]] = {}  # address → (our reference, preprocessed face)


def _source(wffi: Any, face: Any) -> Any:
    """The face to subset from: the preprocessed one once this face has been used enough."""
    address = _address(wffi, face)
    if address not in _preprocessed:
        _uses[address] = _uses.get(address, 0) + 1
        if _uses[address] >= PREPROCESS_AFTER:
            _preprocess(wffi, address)
    return _preprocessed[address][1] if address in _preprocessed else face


def _preprocess(wffi: Any, address: int) -> None:
    if address in _preprocessed or len(_preprocessed) >= MAX_PREPROCESSED:
        return
    native = Native
    ours = native.hb.hb_face_reference(native.ffi.cast("hb_face_t *", address))
    done = native.subset.hb_subset_preprocess(ours)
    _preprocessed[address] = (ours, wffi.cast("hb_face_t *", int(native.ffi.cast("uintptr_t", done))))


def preprocess_due() -> None:
    """Preprocess now the faces whose next subset would: a worker calls this between two
    boards, so the 0.5–1 s it takes a face is no board's CPU time (``print.timeout_s``)."""
    due = [a for a, uses in _uses.items() if uses + 1 >= PREPROCESS_AFTER and a not in _preprocessed]
    if due:
        from weasyprint.text.ffi import ffi

        for address in due:
            _preprocess(ffi, address)


def subset_font(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
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

    renumber = keeps_cids(self, _address(ffi, self.hb_face))  # glyph ids need not be kept
    hbs.hb_subset_input_set_flags(subset_input, flags(
        *(() if renumber else ("RETAIN_GIDS",)), "PASSTHROUGH_UNRECOGNIZED", "DESUBROUTINIZE"))
    drop = tuple(sorted(harfbuzz.hb_tag_from_string(name, -1) for name in (
        b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF",
        b"LTSH", b"PCLT", b"SVG ")))
    drop_set = hbs.hb_subset_input_set(subset_input, hbs.HB_SUBSET_SETS_DROP_TABLE_TAG)
    harfbuzz.hb_set_add_sorted_array(drop_set, ffi.new("hb_codepoint_t[]", drop), len(drop))
    face = ffi.gc(hbs.hb_subset_or_fail(_source(ffi, self.hb_face), subset_input),
                  harfbuzz.hb_face_destroy)

    last = glyphs[-1]
    if face and not renumber and harfbuzz.hb_face_get_glyph_count(face) > last + 1:
        # An older HarfBuzz kept the empty tail: WeasyPrint's second pass drops it.
        native = Native
        glyph_set = hbs.hb_subset_input_glyph_set(subset_input)
        native.hb.hb_set_add_range(native.ffi.cast("hb_set_t *", _address(ffi, glyph_set)), 0, last)
        hbs.hb_subset_input_set_flags(
            subset_input, flags("PASSTHROUGH_UNRECOGNIZED", "DESUBROUTINIZE"))
        face = ffi.gc(hbs.hb_subset_or_fail(face, subset_input), harfbuzz.hb_face_destroy)

    if face:
        content = _bare_cff(face) if renumber else get_hb_object_data(face)
        if content:
            self.file_content = content
            return
    LOGGER.warning('Unable to subset "%s" with HarfBuzz', self.family)


def _bare_cff(face: Any) -> bytes | None:
    """The CFF table of a subset face: embedded as ``CIDFontType0C``, whose charset readers use
    to find the glyph of each CID (for an OpenType wrapper poppler takes CIDs for glyph ids)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = ffi.gc(harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1)),
                  harfbuzz.hb_blob_destroy)
    with ffi.new("unsigned int *") as length:
        data = harfbuzz.hb_blob_get_data(blob, length)
        return ffi.unpack(data, length[0]) if data != ffi.NULL and length[0] else None


def _is_bare_cff(font: Any) -> bool:
    return font.file_content[:1] == b"\x01"  # CFF major version 1 (an OpenType file starts OTTO)


def font_type(font: Any) -> str:
    """``Font.type``: a bare CFF is embedded like the OpenType font it came from (FontFile3)."""
    return "otf" if font.file_content[:4] == b"OTTO" or _is_bare_cff(font) else "ttf"


def fonts_dictionary(pdf: Any, fonts: Any, compress: bool, subset: bool, options: Any) -> Any:
    """WeasyPrint's ``build_fonts_dictionary``, with bare CFF font files typed ``/CIDFontType0C``."""
    import pydyf
    from weasyprint.pdf import fonts as pdf_fonts

    first = len(pdf.objects)
    built = pdf_fonts.build_fonts_dictionary(pdf, fonts, compress, subset, options)
    for obj in pdf.objects[first:]:
        if (isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType"
                and obj.stream and bytes(obj.stream[0][:1]) == b"\x01"):
            obj.extra["Subtype"] = "/CIDFontType0C"
    return built
