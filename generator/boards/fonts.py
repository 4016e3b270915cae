"""The board fonts: installed, and able to draw every character a board prints.

Boards are set in Noto Sans CJK SC and Noto Serif CJK SC (Debian: ``fonts-noto-cjk``).
Without them WeasyPrint still writes a PDF, with empty boxes where the Chinese should
be, and says nothing; so :func:`require` refuses to start (``G610``).

A character neither font has (an emoji, ✔, a rare Extension B character, a private-use
character) would make Pango fetch some other installed font for it, a different one
on each machine, embedded without anyone noticing. :func:`missing` names these
characters; the board stage prints each as :data:`SUBSTITUTE` and warns (``G611``).

Fonts are looked up with fontconfig itself (the library Pango uses, so both see the
same fonts, ``FONTCONFIG_FILE`` included), through a small cffi binding of our own:
the parent process never imports WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import BuildError, Problem, warning
from ..stamps import BOUNDARY

FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC")  # the fonts base.css names first
PACKAGE = "fonts-noto-cjk"
SUBSTITUTE = "□"  # printed for a character the fonts lack (the usual mark for a missing character)


class _Fc:
    """fontconfig through cffi (ABI mode): list a family's faces and ask their character sets."""

    ffi: Any = None
    lib: Any = None

    @classmethod
    def load(cls) -> Any:
        if cls.lib is None:
            import cffi

            ffi = cffi.FFI()
            ffi.cdef("""
                typedef struct _FcPattern FcPattern;
                typedef struct _FcObjectSet FcObjectSet;
                typedef struct _FcCharSet FcCharSet;
                typedef struct _FcConfig FcConfig;
                typedef struct { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
                FcPattern *FcNameParse(const unsigned char *name);
                void FcPatternDestroy(FcPattern *p);
                FcObjectSet *FcObjectSetCreate(void);
                int FcObjectSetAdd(FcObjectSet *os, const char *object);
                void FcObjectSetDestroy(FcObjectSet *os);
                FcFontSet *FcFontList(FcConfig *config, FcPattern *p, FcObjectSet *os);
                void FcFontSetDestroy(FcFontSet *s);
                int FcPatternGetCharSet(FcPattern *p, const char *object, int n, FcCharSet **c);
                FcCharSet *FcCharSetCopy(FcCharSet *src);
                int FcCharSetHasChar(const FcCharSet *fcs, unsigned int ucs4);
            """)
            for name in ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig"):
                try:
                    cls.lib = ffi.dlopen(name)
                    break
                except OSError:
                    continue
            cls.ffi = ffi
        return cls.lib


def _charsets(family: str) -> list[Any]:
    """The character sets of the installed faces of ``family`` (empty if it is not installed)."""
    lib, ffi = _Fc.load(), _Fc.ffi
    if lib is None:
        return []
    pattern = lib.FcNameParse(family.encode("utf-8"))
    objects = lib.FcObjectSetCreate()
    lib.FcObjectSetAdd(objects, b"charset")
    fonts = lib.FcFontList(ffi.NULL, pattern, objects)
    found = []
    try:
        for k in range(fonts.nfont if fonts != ffi.NULL else 0):
            charset = ffi.new("FcCharSet **")
            if lib.FcPatternGetCharSet(fonts.fonts[k], b"charset", 0, charset) == 0:  # FcResultMatch
                found.append(lib.FcCharSetCopy(charset[0]))
    finally:
        if fonts != ffi.NULL:
            lib.FcFontSetDestroy(fonts)
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
    return found


@dataclass
class BoardFonts:
    """The installed faces of each board family, and which characters all families can draw."""

    faces: dict[str, list[Any]]
    _known: dict[str, bool] = field(default_factory=dict)

    def draws(self, char: str) -> bool:
        """Every board family has a face with this character (so no other font is ever used)."""
        if char not in self._known:
            lib = _Fc.load()
            self._known[char] = all(any(lib.FcCharSetHasChar(c, ord(char)) for c in charsets)
                                    for charsets in self.faces.values())
        return self._known[char]

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` the board fonts cannot draw, in order of code point."""
        return sorted(c for c in set(text) if ord(c) > 0x7E and not self.draws(c))


@cache
def board_fonts() -> BoardFonts:
    return BoardFonts({family: _charsets(family) for family in FAMILIES})


def require() -> BoardFonts:
    """The board fonts, or :class:`BuildError` ``G610`` saying which package to install."""
    fonts = board_fonts()
    absent = [family for family, faces in fonts.faces.items() if not faces]
    if absent:
        raise BuildError(
            f"展板需要中文字体 {'、'.join(FAMILIES)}，本机找不到：{'、'.join(absent)}。"
            f"没有它们，PDF 里的中文会印成空白方框。请安装 Debian 软件包 {PACKAGE}："
            f"sudo apt-get install {PACKAGE}（其他系统请安装 Noto Sans CJK SC 和 Noto Serif CJK SC），"
            "然后重新运行。没有生成任何展板，原有展板保持不变。(G610)")
    return fonts


def locate(root: Path, unit_id: str, char: str) -> tuple[str, int, int]:
    """Where ``char`` is first written: the unit's YAML files, then site_config.yml (1-based)."""
    unit = root / "content" / "units" / unit_id
    for path in [*sorted(unit.glob("*.yml")), root / "site_config.yml"]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if char in line:
                return path.relative_to(root).as_posix(), number, line.index(char) + 1
    return f"content/units/{unit_id}/unit.yml", 1, 1


def glyph_warning(root: Path, unit_id: str, board: str, printed: str, lacking: list[str]) -> Problem:
    """``G611``: the characters of a board its fonts lack, where each is written, what prints instead."""
    shown = []
    for char in lacking[:8]:
        at = printed.find(char)
        around = printed[max(at - 6, 0):at + 7].replace(BOUNDARY, " ").strip() if at >= 0 else ""
        where = "{}:{}:{}".format(*locate(root, unit_id, char))
        shown.append(f"“{char}”（U+{ord(char):04X}，{where}" + (f"，“…{around}…”" if around else "") + "）")
    more = f"等 {len(lacking)} 个" if len(lacking) > 8 else ""
    path, line, col = locate(root, unit_id, lacking[0])
    return warning(path, line, col, "G611",
                   f"展板{board}里有展板字体（{'、'.join(FAMILIES)}）画不出的字符：{'、'.join(shown)}{more}。"
                   f"这些字符印成“{SUBSTITUTE}”，不会改用别的字体。请改用常用汉字或文字，例如把“✔”写成“已完成”、"
                   "删去表情符号；名字里的生僻字可写成常用字并在括号里注明")
