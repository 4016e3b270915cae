"""Unicode tables the personal data guard needs, fixed for Unicode 14 (Python 3.11).

Computing them from :mod:`unicodedata` walks all 1.1 million code points (about half a second),
too slow for every ``check``; they are written out here instead, and
``tests/test_privacy.py`` recomputes them with :func:`generate` against the running Python.
After a Python upgrade changes Unicode, print the new tables with
``python -m generator.unicode_tables`` and paste them in.

* ``INVISIBLE``: what a browser does not draw as a glyph of its own, so that digits on either
  side read as one number: format characters (Cf: bidi controls, zero-width spaces, soft
  hyphen, U+2060–2064, tags), nonspacing and enclosing marks (Mn, Me: accents, variation
  selectors), every character with a combining class (stripped before NFKC, whose reordering
  of long runs of mixed classes is quadratic in CPython) and the Hangul fillers.
* ``DECIMAL_ZEROS``: the zero of each run of ten decimal digits (Nd) in any script.
* ``DIGITISH``: every character that becomes an ASCII digit (Nd, or NFKC holds one: ①, ², 𝟏).
"""

from __future__ import annotations

import re
import unicodedata

FILLERS = (0x115F, 0x1160, 0x3164, 0xFFA0)  # Hangul fillers: letters that draw nothing

INVISIBLE = (
    "ad 300-36f 483-489 591-5bd 5bf 5c1-5c2 5c4-5c5 5c7 600-605 610-61a 61c 64b-65f 670 6d6-6dd "
    "6df-6e4 6e7-6e8 6ea-6ed 70f 711 730-74a 7a6-7b0 7eb-7f3 7fd 816-819 81b-823 825-827 829-82d "
    "859-85b 890-891 898-89f 8ca-902 93a 93c 941-948 94d 951-957 962-963 981 9bc 9c1-9c4 9cd 9e2-9e3 "
    "9fe a01-a02 a3c a41-a42 a47-a48 a4b-a4d a51 a70-a71 a75 a81-a82 abc ac1-ac5 ac7-ac8 acd ae2-ae3 "
    "afa-aff b01 b3c b3f b41-b44 b4d b55-b56 b62-b63 b82 bc0 bcd c00 c04 c3c c3e-c40 c46-c48 c4a-c4d "
    "c55-c56 c62-c63 c81 cbc cbf cc6 ccc-ccd ce2-ce3 d00-d01 d3b-d3c d41-d44 d4d d62-d63 d81 dca "
    "dd2-dd4 dd6 e31 e34-e3a e47-e4e eb1 eb4-ebc ec8-ecd f18-f19 f35 f37 f39 f71-f7e f80-f84 f86-f87 "
    "f8d-f97 f99-fbc fc6 102d-1030 1032-1037 1039-103a 103d-103e 1058-1059 105e-1060 1071-1074 1082 "
    "1085-1086 108d 109d 115f-1160 135d-135f 1712-1715 1732-1734 1752-1753 1772-1773 17b4-17b5 "
    "17b7-17bd 17c6 17c9-17d3 17dd 180b-180f 1885-1886 18a9 1920-1922 1927-1928 1932 1939-193b "
    "1a17-1a18 1a1b 1a56 1a58-1a5e 1a60 1a62 1a65-1a6c 1a73-1a7c 1a7f 1ab0-1ace 1b00-1b03 1b34 "
    "1b36-1b3a 1b3c 1b42 1b44 1b6b-1b73 1b80-1b81 1ba2-1ba5 1ba8-1bad 1be6 1be8-1be9 1bed 1bef-1bf3 "
    "1c2c-1c33 1c36-1c37 1cd0-1cd2 1cd4-1ce0 1ce2-1ce8 1ced 1cf4 1cf8-1cf9 1dc0-1dff 200b-200f "
    "202a-202e 2060-2064 2066-206f 20d0-20f0 2cef-2cf1 2d7f 2de0-2dff 302a-302f 3099-309a 3164 "
    "a66f-a672 a674-a67d a69e-a69f a6f0-a6f1 a802 a806 a80b a825-a826 a82c a8c4-a8c5 a8e0-a8f1 a8ff "
    "a926-a92d a947-a951 a953 a980-a982 a9b3 a9b6-a9b9 a9bc-a9bd a9c0 a9e5 aa29-aa2e aa31-aa32 "
    "aa35-aa36 aa43 aa4c aa7c aab0 aab2-aab4 aab7-aab8 aabe-aabf aac1 aaec-aaed aaf6 abe5 abe8 abed "
    "fb1e fe00-fe0f fe20-fe2f feff ffa0 fff9-fffb 101fd 102e0 10376-1037a 10a01-10a03 10a05-10a06 "
    "10a0c-10a0f 10a38-10a3a 10a3f 10ae5-10ae6 10d24-10d27 10eab-10eac 10f46-10f50 10f82-10f85 11001 "
    "11038-11046 11070 11073-11074 1107f-11081 110b3-110b6 110b9-110ba 110bd 110c2 110cd 11100-11102 "
    "11127-1112b 1112d-11134 11173 11180-11181 111b6-111be 111c0 111c9-111cc 111cf 1122f-11231 "
    "11234-11237 1123e 112df 112e3-112ea 11300-11301 1133b-1133c 11340 1134d 11366-1136c 11370-11374 "
    "11438-1143f 11442-11444 11446 1145e 114b3-114b8 114ba 114bf-114c0 114c2-114c3 115b2-115b5 "
    "115bc-115bd 115bf-115c0 115dc-115dd 11633-1163a 1163d 1163f-11640 116ab 116ad 116b0-116b7 "
    "1171d-1171f 11722-11725 11727-1172b 1182f-11837 11839-1183a 1193b-1193e 11943 119d4-119d7 "
    "119da-119db 119e0 11a01-11a0a 11a33-11a38 11a3b-11a3e 11a47 11a51-11a56 11a59-11a5b 11a8a-11a96 "
    "11a98-11a99 11c30-11c36 11c38-11c3d 11c3f 11c92-11ca7 11caa-11cb0 11cb2-11cb3 11cb5-11cb6 "
    "11d31-11d36 11d3a 11d3c-11d3d 11d3f-11d45 11d47 11d90-11d91 11d95 11d97 11ef3-11ef4 13430-13438 "
    "16af0-16af4 16b30-16b36 16f4f 16f8f-16f92 16fe4 16ff0-16ff1 1bc9d-1bc9e 1bca0-1bca3 1cf00-1cf2d "
    "1cf30-1cf46 1d165-1d169 1d16d-1d182 1d185-1d18b 1d1aa-1d1ad 1d242-1d244 1da00-1da36 1da3b-1da6c "
    "1da75 1da84 1da9b-1da9f 1daa1-1daaf 1e000-1e006 1e008-1e018 1e01b-1e021 1e023-1e024 1e026-1e02a "
    "1e130-1e136 1e2ae 1e2ec-1e2ef 1e8d0-1e8d6 1e944-1e94a e0001 e0020-e007f e0100-e01ef"
)

DECIMAL_ZEROS = (
    "30 660 6f0 7c0 966 9e6 a66 ae6 b66 be6 c66 ce6 d66 de6 e50 ed0 f20 1040 1090 17e0 1810 1946 19d0 "
    "1a80 1a90 1b50 1bb0 1c40 1c50 a620 a8d0 a900 a9d0 a9f0 aa50 abf0 ff10 104a0 10d30 11066 110f0 "
    "11136 111d0 112f0 11450 114d0 11650 116c0 11730 118e0 11950 11c50 11d50 11da0 16a60 16ac0 16b50 "
    "1d7ce 1d7d8 1d7e2 1d7ec 1d7f6 1e140 1e2f0 1e950 1fbf0"
)

DIGITISH = (
    "30-39 b2-b3 b9 bc-be 660-669 6f0-6f9 7c0-7c9 966-96f 9e6-9ef a66-a6f ae6-aef b66-b6f be6-bef "
    "c66-c6f ce6-cef d66-d6f de6-def e50-e59 ed0-ed9 f20-f29 1040-1049 1090-1099 17e0-17e9 1810-1819 "
    "1946-194f 19d0-19d9 1a80-1a89 1a90-1a99 1b50-1b59 1bb0-1bb9 1c40-1c49 1c50-1c59 2070 2074-2079 "
    "2080-2089 2150-215f 2189 2460-249b 24ea 3251-325f 32b1-32cb 3358-3370 3378-3379 339f-33a6 33a8 "
    "33af 33e0-33fe a620-a629 a8d0-a8d9 a900-a909 a9d0-a9d9 a9f0-a9f9 aa50-aa59 abf0-abf9 ff10-ff19 "
    "104a0-104a9 10d30-10d39 11066-1106f 110f0-110f9 11136-1113f 111d0-111d9 112f0-112f9 11450-11459 "
    "114d0-114d9 11650-11659 116c0-116c9 11730-11739 118e0-118e9 11950-11959 11c50-11c59 11d50-11d59 "
    "11da0-11da9 16a60-16a69 16ac0-16ac9 16b50-16b59 1d7ce-1d7ff 1e140-1e149 1e2f0-1e2f9 1e950-1e959 "
    "1f100-1f10a 1fbf0-1fbf9"
)



def char_class(table: str, extra: str = "", bmp: bool = False) -> str:
    """A regex character class for a table of ``hex`` and ``hex-hex`` items (and ``extra`` characters);
    ``bmp``: only the items below U+10000."""
    parts = [re.escape(char) for char in extra]
    for item in table.split():
        first, _, last = item.partition("-")
        if bmp and int(first, 16) > 0xFFFF:
            continue
        end = min(int(last, 16), 0xFFFF) if bmp and last else int(last or first, 16)
        parts.append(re.escape(chr(int(first, 16))) + (f"-{re.escape(chr(end))}" if end != int(first, 16) else ""))
    return f"[{''.join(parts)}]"


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class CharClass:
    """A character class as two patterns: Python's ``re`` tests a character above U+FFFF against
    each range in turn, which made a scan of Chinese text 70 times slower (64 µs against 0.9 µs
    for 30 characters); a text with no such character is scanned with the bitmap of the BMP alone."""

    def __init__(self, table: str, extra: str = ""):
        self.full = re.compile(char_class(table, extra))
        self.bmp = re.compile(char_class(table, extra, bmp=True))

    def _pattern(self, text: str) -> re.Pattern[str]:
        if text.isascii():  # known without a scan
            return self.bmp
        return self.full if _ASTRAL.search(text) else self.bmp

    def search(self, text: str) -> re.Match[str] | None:
        return self._pattern(text).search(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._pattern(text).sub(replacement, text)

    def findall(self, text: str) -> list[str]:
        return self._pattern(text).findall(text)


def decimal_digits() -> dict[int, str]:
    """A :meth:`str.translate` table: every decimal digit of every script to its ASCII digit."""
    return {int(zero, 16) + i: str(i) for zero in DECIMAL_ZEROS.split() for i in range(10)}


def _ranges(test: object) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF or not test(chr(code)):  # type: ignore[operator]
            continue
        if found and found[-1][1] == code - 1:
            found[-1] = (found[-1][0], code)
        else:
            found.append((code, code))
    return found


def _text(ranges: list[tuple[int, int]]) -> str:
    return " ".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in ranges)


def generate() -> dict[str, str]:
    """The three tables computed from the running Python's Unicode database."""
    def invisible(ch: str) -> bool:
        return unicodedata.category(ch) in {"Cf", "Mn", "Me"} or bool(unicodedata.combining(ch)) \
            or ord(ch) in FILLERS

    def digitish(ch: str) -> bool:
        return unicodedata.category(ch) == "Nd" or re.search("[0-9]", unicodedata.normalize("NFKC", ch)) is not None

    decimals = _ranges(lambda ch: unicodedata.category(ch) == "Nd")
    zeros = " ".join(f"{code:x}" for a, b in decimals for code in range(a, b + 1, 10))
    return {"INVISIBLE": _text(_ranges(invisible)), "DECIMAL_ZEROS": zeros, "DIGITISH": _text(_ranges(digitish))}


if __name__ == "__main__":
    for name, table in generate().items():
        print(f"{name} = {table!r}\n")
