"""The personal data guard on its own: what it must catch and what it must let pass."""

from __future__ import annotations

import pytest

from generator.privacy import find, id_checksum_ok


@pytest.mark.parametrize(("text", "code"), [
    ("身份证 11010519491231002X", "G401"),               # valid GB 11643 checksum
    ("证件 110105199003071234", "G401"),                 # date-shaped, checksum fails: still refused
    ("电话 13812345678", "G402"),
    ("电话 +86 138-1234-5678", "G402"),
    ("电话 0086 138 1234 5678", "G402"),
    ("联系１３９\u200b１２３４\u200b５６７８", "G402"),     # full-width digits and zero-width spaces
    ("手机 ①③⑧①②③④⑤⑥⑦⑧", "G402"),                       # circled digits (no ASCII digit at all)
    ("手机 𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "G402"),                       # mathematical bold digits
    ("出生于1985年6月", "G403"),
    ("出生日期：1985年6月7日", "G403"),
    ("李明，1985年3月出生，负责发票", "G403"),
])
def test_refused(text: str, code: str) -> None:
    assert [c for c, _ in find(text)] == [code]


@pytest.mark.parametrize("text", [
    "联系 138****1234",                                  # masked
    "电话 0839-12345678",                               # landline
    "事项编码 11510000MB1234567X0001",                  # longer code, not an ID
    "2019年9月1日至2020年8月31日出生的适龄儿童",         # a rule about a class of people
    "本办法自2026年3月生效",
    "服务卡号 QC-SW-0001",
])
def test_allowed(text: str) -> None:
    assert list(find(text)) == []


def test_allowlisted_official_mobile() -> None:
    assert list(find("热线 138-0000-1111", frozenset({"13800001111"}))) == []


def test_checksum() -> None:
    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")


def test_the_fast_path_knows_every_character_that_becomes_a_digit() -> None:
    """Texts without a digit skip the scan: that must include every digit NFKC can produce."""
    import re
    import unicodedata

    from generator.privacy import _ANY_DIGIT

    missed = [hex(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
              and re.search("[0-9]", unicodedata.normalize("NFKC", chr(c))) and not _ANY_DIGIT.search(chr(c))]
    assert missed == []


# Worst cases for the guard's patterns: long runs that nearly match. With backtracking over
# adjacent ``\s*`` the birth-date patterns took hours on the first two.
_WORST = [
    "出生1985年1" + " " * 100_000 + "x",
    "2020年1" + " " * 100_000 + "x",
    "2020年1月" + " " * 50_000 + "1" + " " * 50_000 + "x",
    "出生日期 1985" + " " * 100_000 + "x",
    "1" + " " * 100_000 + "x",
    "1" + "-" * 100_000,
    "1" * 100_000,
    "13" * 50_000,
    "1 " * 50_000,
    "出生" * 50_000,
    "出生1985年" * 12_500,
    "2020年1月2日" * 12_500,
    "1985-1-1 " * 12_500,
    "+86" * 33_000,
    "1\u200b" * 50_000,
    "&#49;" * 20_000,
]


def test_every_pattern_finishes_on_its_worst_case() -> None:
    """Run in a child process with a generous limit: a regression fails here instead of hanging."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    script = ("import sys, json\nfrom generator.privacy import find\n"
              "for text in json.load(sys.stdin):\n    list(find(text))\nprint('done')\n")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(_WORST), capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "done", done.stderr


def _unbounded(pattern: str) -> list[str]:
    """Greedy or lazy repetitions without an upper bound (``*``, ``+``, ``{n,}``) that are not possessive."""
    import re

    bare = re.sub(r"\\.", "x", pattern)                # escaped characters are literals
    bare = re.sub(r"\[(\^?\]?[^\]]*)\]", "x", bare)   # a character class is one item
    tokens = re.findall(r"(?:[*+]|\{\d*,\})[+?]?", bare)
    return [t for t in tokens if not (len(t) > 1 and t.endswith("+"))]


def test_every_pattern_is_linear_by_construction() -> None:
    from generator.privacy import PATTERNS

    assert PATTERNS
    for pattern in PATTERNS:
        assert _unbounded(pattern.pattern) == [], pattern.pattern
