"""Numbers written in Chinese numerals, read as digits: the personal data guard's third view.

A reader reads ``一三八一二三四五六七八`` as a mobile number and ``一九九〇年三月七日`` as a
date; the guard's patterns look for ASCII digits. :func:`hint` says, cheaply and on the text as
written, whether a text may hold such a number; :func:`arabic` spells each run of numerals
with digits (``一九九〇`` → 1990, digit by digit; ``十二``, ``二十七`` → 12, 27 by position)
and remembers where each character came from, so a finding quotes the text as written.

Numerals: the everyday ones (〇 and ○ for zero), 幺 (one, as phone numbers are read out) and
the forms used for amounts (壹贰叁…). Positional numbers beyond 99 (一百三十八) are no way to
write a phone number or a date and are left as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VALUES = {
    **dict.fromkeys("〇○零", "0"), **dict.fromkeys("一幺壹", "1"), **dict.fromkeys("二贰貳", "2"),
    **dict.fromkeys("三叁參", "3"), **dict.fromkeys("四肆", "4"), **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"), **dict.fromkeys("七柒", "7"), **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}
NUMERALS = "".join(_VALUES)
_TEN = "十拾"
_DIGITS = str.maketrans(_VALUES)

_ANY = re.compile(f"[{NUMERALS}]")
# Eleven digits or numerals, at most three other characters between two (separators, marks a
# reader does not see): what a mobile or an ID number needs. Bounded and fixed: linear.
_NUMBER = re.compile(f"[0-9０-９{NUMERALS}](?:[^0-9０-９{NUMERALS}]{{0,3}}[0-9０-９{NUMERALS}]){{10}}")
# A numeral before 年 or 月 (within three characters): what a date needs.
_DATE = re.compile(f"[{NUMERALS}{_TEN}][^{NUMERALS}{_TEN}年月]{{0,3}}[年月]")
_RUN = re.compile(f"[{NUMERALS}{_TEN}]++")
_POSITIONAL = re.compile(f"([{NUMERALS}]?)[{_TEN}]([{NUMERALS}]?)")
PATTERNS = (_ANY, _NUMBER, _DATE, _RUN, _POSITIONAL)


def hint(text: str) -> bool:
    """Whether ``text`` may hold a number in numerals the guard looks for (a mobile, an ID, a birth date)."""
    if not _ANY.search(text):  # most texts: one search
        return False
    return bool(_NUMBER.search(text)) or ("生" in text and bool(_DATE.search(text))) or "&" in text


@dataclass(frozen=True)
class Arabic:
    """A text with its numerals spelled in digits; ``starts`` and ``ends``: where each character came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def source(self, start: int, end: int, original: str) -> str:
        """The part of ``original`` that characters ``start`` to ``end`` of :attr:`text` came from."""
        return original[self.starts[start]:self.ends[end - 1]] if end > start else ""


def _spelled(run: str) -> str:
    """One run of numerals in digits; a run with 十 that is no number from 10 to 99 is left as it is."""
    if not any(ten in run for ten in _TEN):
        return run.translate(_DIGITS)
    whole = _POSITIONAL.fullmatch(run)
    if whole is None:
        return run
    tens, units = whole.groups()
    return (tens.translate(_DIGITS) if tens else "1") + (units.translate(_DIGITS) if units else "0")


def arabic(text: str) -> Arabic:
    """``text`` with each run of numerals spelled in digits."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for match in _RUN.finditer(text):
        for index in range(done, match.start()):  # the text before the run, character by character
            starts.append(index)
            ends.append(index + 1)
        pieces.append(text[done:match.start()])
        spelled = _spelled(match.group())
        pieces.append(spelled)
        starts += [match.start()] * len(spelled)
        ends += [match.end()] * len(spelled)
        done = match.end()
    pieces.append(text[done:])
    starts += range(done, len(text))
    ends += range(done + 1, len(text) + 1)
    return Arabic("".join(pieces), tuple(starts), tuple(ends))
