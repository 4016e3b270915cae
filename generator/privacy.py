"""The personal data guard: find identity numbers, personal mobiles, birth dates, home addresses.

Names, photos, posts and work phones of on-duty staff are public; identity card
numbers, personal mobile numbers, home addresses and birth dates never are (DOMAIN.md). ``check``
passes every string of every file, ``site_config.yml`` included, through :func:`find`.
It reads the text as a page will show it (:mod:`generator.visible`): invisible
characters removed, digits of any form folded to ASCII, Markdown fields rendered; a text that
may hold a number in Chinese numerals (一三八…, 一九九〇年三月) is read again with them spelled in
digits (:mod:`generator.numerals`). Masked values such as ``138****1234`` pass.

Every pattern runs in time linear in the text: each repetition is bounded (``{0,6}``)
or possessive (``*+``, ``++``), so no match attempt backtracks into a run of spaces
or digits (``tests/test_privacy.py`` feeds each its worst case and checks the form).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from . import numerals, unicode_tables, visible

_ID = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86|0086)?(1[3-9][0-9]{9})(?![0-9])")
# Between digits: spaces, dashes and minus signs, dots, slashes, commas, brackets ("(138)1234-5678"),
# and the Markdown emphasis and code marks a plain field shows. Full-width forms are folded by NFKC.
_SEPARATORS = re.compile(r"(?<=[0-9])[\s\-‐‑‒–—―−⁃〜.·・•/,、()\[\]*_~`]++(?=[0-9])")
# A date: 1990年3月7日, 1990-03-07, 1990.3; 90年3月 (a two-digit year needs 年 and 月).
_DATE = (r"(?:(?:19|20)[0-9]{2}\s*+[年\-/.]\s*+[01]?[0-9]\s*+月?(?:\s*+[\-/.]?\s*+[0-3]?[0-9]\s*+[日号]?)?"
         r"|(?<![0-9])[0-9]{2}\s*+年\s*+[01]?[0-9]\s*+月(?:\s*+[0-3]?[0-9]\s*+[日号]?)?)")
_COMPACT_DATE = r"(?<![0-9])(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:[0-3][0-9])?(?![0-9])"  # 199003, 19900307
_BIRTH = re.compile(rf"(?:出生日期|出生年月|出生|生日|生于|诞生)[^0-9]{{0,6}}(?:{_DATE}|{_COMPACT_DATE})")
# A date right before 出生, but not a range or a class of people ("…至2020年8月31日出生的适龄儿童").
_BORN_AFTER = re.compile(
    rf"(?<![至到~～—\-])(?:{_DATE}|(?<![0-9])(?:19|20)[0-9]{{2}}(?:0[1-9]|1[0-2])[0-3][0-9])\s*+"
    r"(?:出生|生人|生(?=[，,。；;、\s)）]|$))(?!的)"
)
# A home address: a word that says "where someone lives", then, within the clause, a detail that
# points at one household (unit, room, flat number, lane and house, village group and house, street
# and house number). A building alone ("3号楼") or a count of households ("36户") is no address;
# an office's address ("单位住址", "办公地点") is not a home.
_NUM = "[0-9一二三四五六七八九十百千零〇两]{1,8}"
_HOME = re.compile(
    "(?<!单位)(?<!办公)(?<!企业)(?<!营业)"
    "(?:家庭住址|家庭地址|家庭住所|居住地址|户籍地址|现住址|住址|家住|现住在|住在|居住在|居住于|家在|家位于|户籍地"
    "|居住地|现居|住所|居所|暂住地|常住地|户口所在地|通讯地址|通信地址)"
    rf"(?P<place>[^。；;！!？?\n，,、]{{0,40}}?"
    rf"(?:{_NUM}(?:单元|室|号房)|(?:栋|幢|号楼|座)[\s\-－—]{{0,2}}[0-9]{{3,4}}(?![0-9])"
    rf"|{_NUM}弄[^。；;，,、\n]{{0,6}}?{_NUM}号|{_NUM}组[^。；;，,、\n]{{0,3}}?{_NUM}号|(?:路|街|巷|道|里|胡同){_NUM}号)"
    rf"(?:[\s\-－—]{{0,2}}{_NUM}(?:单元|室|号|楼|层)?){{0,3}})"
)
_HOME_HINT = re.compile("住|家|户|居|址")  # every word _HOME starts with holds one of these
_ELEVEN_DIGITS = re.compile(r"[0-9](?:[^0-9]*+[0-9]){10}")  # tries at most 10 starts when it fails: linear
_NOT_DIGIT = re.compile("[^0-9]")
_PUNCTUATION = re.compile(r"[\W_]")
# Every character that becomes an ASCII digit (see generator.unicode_tables): a text without one,
# and without a character reference, cannot hold any pattern below and skips the scan.
_ANY_DIGIT = unicode_tables.CharClass(unicode_tables.DIGITISH)
_ANYTHING = unicode_tables.CharClass(unicode_tables.DIGITISH, "&住家户居址" + numerals.NUMERALS)  # the cheapest first look
# Everything the guard matches with: each repetition is bounded ({0,6}) or possessive (*+, ++),
# so a match attempt never backtracks into a run and the scan is linear in the text's length.
PATTERNS = (_ID, _MOBILE, _SEPARATORS, _BIRTH, _BORN_AFTER, _HOME, _ELEVEN_DIGITS)
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_checksum_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


def _date_shaped(number: str) -> bool:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def _as_matched(match: re.Match[str]) -> str:
    return match.group(0)


def _numbers(view: str, allowed: frozenset[str]) -> Iterator[tuple[str, str, str]]:
    """``(code, what was found, message)`` for each ID number and mobile in one view."""
    if not _ELEVEN_DIGITS.search(view):  # a mobile has 11 digits, an ID number 18: most texts have fewer
        return
    joined = _SEPARATORS.sub("", view)
    ids = [m for text in (joined, view) for m in _ID.finditer(text)]
    mobiles = [m for text in (joined, view) for m in _MOBILE.finditer(text)]  # unjoined: "138… 139…"
    for match in ids:
        number = match.group(1)
        if id_checksum_ok(number) or _date_shaped(number):
            masked = number[:6] + "********" + number[14:]
            yield "G401", number.upper(), (
                f"疑似身份证号码 {masked}。身份证号码不得公开，请删除；如确需登记，只保留前后几位，如 {number[:3]}****{number[-4:]}"
            )
    for match in mobiles:
        number = match.group(1)
        if number in allowed:
            continue
        yield "G402", number, (
            f"疑似个人手机号码 {number[:3]}****{number[-4:]}。个人手机不得公开，请改填单位座机；"
            f"若要公开须遮盖为 {number[:3]}****{number[-4:]}，或由组织部门在 site_config.yml 的 privacy.public_numbers 中登记"
        )


def _birth_dates(view: str, quote: Callable[[re.Match[str]], str] = _as_matched) -> Iterator[tuple[str, str, str]]:
    """Birth dates in one view; ``quote``: the words of a match as the file has them."""
    if "生" not in view:  # every word either pattern needs holds it: most texts
        return
    for match in [*_BIRTH.finditer(view), *_BORN_AFTER.finditer(view)]:
        found = _NOT_DIGIT.sub("", match.group(0))
        yield "G403", found, f"疑似出生日期（“{quote(match)}”）。出生日期不得公开，请删除"


def _in_numerals(view: str, allowed: frozenset[str]) -> Iterator[tuple[str, str, str]]:
    """ID numbers, mobiles and birth dates written (in part) in Chinese numerals: 一三八…, 一九九〇年三月."""
    spelled = numerals.arabic(view)
    if spelled.text == view:
        return
    yield from _numbers(spelled.text, allowed)
    yield from _birth_dates(spelled.text, lambda match: spelled.source(*match.span(), view))


def _squash(text: str) -> str:
    """Letters and digits only: how two spellings of one address are compared."""
    return _PUNCTUATION.sub("", text)


def _homes(view: str, office: str) -> Iterator[tuple[str, str, str]]:
    """Home addresses in one view; a place that is part of the unit's own address is no home."""
    for match in _HOME.finditer(view):
        place = _squash(match.group("place"))
        if office and place in _squash(visible.plain(office)):
            continue
        yield "G405", place, (f"疑似家庭住址（“{match.group(0).strip()}”）。家庭住址不得公开，请删除；"
                              "如是本单位的办公地址，请只写在 unit.yml 的 address 字段")


def find(text: str, allowed: frozenset[str] = frozenset(), markdown: bool = False,
         office: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(code, message)`` for each piece of personal data a reader of ``text`` sees.

    ``markdown``: the field is rendered as Markdown on the site. ``office``: the unit's own
    address, which may stand in any of its texts. The text is read as written and as shown;
    what is found in both is reported once.
    """
    if len(text) < 11 and not markdown and "&" not in text and text.isascii():
        return  # fewer digits than a mobile, no word a birth date or home needs, no reference: most texts
    if not _ANYTHING.search(text):  # most of the others: one search
        return
    numbers = bool(_ANY_DIGIT.search(text)) or "&" in text  # without, no number, not even by reference
    homes = bool(_HOME_HINT.search(text))
    spelled = not text.isascii() and numerals.hint(text)  # a number in Chinese numerals: 一三八…, 一九九〇年三月
    if not (numbers or homes or spelled):  # only a numeral that is no number ("一次性告知")
        return
    views = [visible.plain(text)]
    rendered = visible.shown(text, markdown)
    if rendered is not None and rendered != views[0]:
        views.append(rendered)
    found: dict[tuple[str, str], str] = {}  # the first view's words for each finding
    for view in views:
        findings = [*_numbers(view, allowed), *_birth_dates(view)] if numbers else []
        findings += _in_numerals(view, allowed) if spelled else []
        for code, what, message in [*findings, *(_homes(view, office) if homes else [])]:
            found.setdefault((code, what), message)
    ids = [what for code, what in found if code == "G401"]
    for (code, what), message in found.items():
        if code != "G402" or not any(what in number for number in ids):  # a piece of an ID number
            yield code, message


def allowed_numbers(numbers: list[str]) -> frozenset[str]:
    return frozenset(re.sub(r"[^0-9]", "", visible.plain(n))[-11:] for n in numbers)
