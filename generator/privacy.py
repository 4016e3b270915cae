"""The personal data guard: find identity numbers, personal mobiles and birth dates.

Names, photos, posts and work phones of on-duty staff are public; identity card
numbers, personal mobile numbers and birth dates never are (DOMAIN.md). Every text
in the content passes through :func:`scan` before anything is published. Masked
values such as ``138****1234`` pass.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ID = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86|0086)?(1[3-9][0-9]{9})(?![0-9])")
_SEPARATORS = re.compile(r"(?<=[0-9])[\s\-‐‑–—.]++(?=[0-9])")
_BIRTH = re.compile(
    r"(?:出生日期|出生年月|出生|生日|生于|诞生)[^0-9]{0,6}"
    r"((?:19|20)[0-9]{2})\s*+[年\-/.]\s*+([01]?[0-9])\s*+月?(?:\s*+[\-/.]?\s*+([0-3]?[0-9])\s*+[日号]?)?"
)
# A date right before 出生, but not a range or a class of people ("…至2020年8月31日出生的适龄儿童").
_BORN_AFTER = re.compile(
    r"(?<![至到~～—\-])((?:19|20)[0-9]{2})\s*+[年\-/.]\s*+([01]?[0-9])\s*+月?(?:\s*+([0-3]?[0-9])\s*+[日号]?)?\s*+"
    r"(?:出生|生人|生(?=[，,。；;、\s)）]|$))(?!的)"
)
# Every character whose NFKC form holds an ASCII digit (ASCII and full-width digits, super- and
# subscripts, circled and parenthesised numbers ①⑴⒈, ㉑, mathematical 𝟏 …): a text without one
# cannot hold any pattern below, so it skips the NFKC and the regexes. Generated from Unicode 14
# (tests/test_privacy.py checks it against the running Python's tables).
_ANY_DIGIT = re.compile(
    "[0-9\u00b2\u00b3\u00b9\u00bc-\u00be\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215f\u2189"
    "\u2460-\u249b\u24ea\u3251-\u325f\u32b1-\u32cb\u3358-\u3370\u3378\u3379\u339f-\u33a6\u33a8"
    "\u33af\u33e0-\u33fe\uff10-\uff19\U0001d7ce-\U0001d7ff\U0001f100-\U0001f10a\U0001fbf0-\U0001fbf9]"
)
# Everything the guard matches with: each repetition is bounded ({0,6}) or possessive (*+, ++),
# so a match attempt never backtracks into a run and the scan is linear in the text's length.
PATTERNS = (_ID, _MOBILE, _SEPARATORS, _BIRTH, _BORN_AFTER)
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def normalise(text: str) -> str:
    """NFKC (full-width digits become ASCII) and remove zero-width characters."""
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)


def id_checksum_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def _date_shaped(number: str) -> bool:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def find(text: str, allowed: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """Yield ``(code, message)`` for each piece of personal data in ``text``."""
    if not _ANY_DIGIT.search(text):  # every pattern below needs digits (ASCII or full-width)
        return
    plain = normalise(text)
    joined = _SEPARATORS.sub("", plain)
    for match in _ID.finditer(joined):
        number = match.group(1)
        if id_checksum_ok(number) or _date_shaped(number):
            masked = number[:6] + "********" + number[14:]
            yield "G401", (
                f"疑似身份证号码 {masked}。身份证号码不得公开，请删除；如确需登记，只保留前后几位，如 {number[:3]}****{number[-4:]}"
            )
    for match in _MOBILE.finditer(joined):
        number = match.group(1)
        if number in allowed:
            continue
        yield "G402", (
            f"疑似个人手机号码 {number[:3]}****{number[-4:]}。个人手机不得公开，请改填单位座机；"
            f"若要公开须遮盖为 {number[:3]}****{number[-4:]}，或由组织部门在 site_config.yml 的 privacy.public_numbers 中登记"
        )
    for match in [*_BIRTH.finditer(plain), *_BORN_AFTER.finditer(plain)]:
        yield "G403", f"疑似出生日期（“{match.group(0)}”）。出生日期不得公开，请删除"


def walk_strings(data: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a loaded file with its location (keys included)."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, int) and not isinstance(data, bool) and data > 10**9:
        yield loc, str(data)  # an unquoted number can still be a mobile or an ID
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from walk_strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk_strings(value, (*loc, index))


def allowed_numbers(numbers: list[str]) -> frozenset[str]:
    return frozenset(re.sub(r"[^0-9]", "", normalise(n))[-11:] for n in numbers)
