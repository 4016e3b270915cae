"""Name the clerk's mistake behind a YAML syntax error, at its own line.

The parser notices a full-width colon (``名称：值``, typed with a Chinese input method),
a missing space after a colon (``name:李明``) or a line indented one space off only
where the next line no longer fits, and says so in terms of its own grammar ("could not
find expected ':'", "did not find expected '-' indicator"), one line late. When it fails,
:func:`diagnose` reads the lines up to the failure and names the first of these mistakes
it finds near it, with how to fix it. It only ever explains a failure: valid YAML is
never second-guessed (a full-width colon inside a value is fine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEAR = 2  # lines before the parser's failure line that may hold the real mistake
_KEY = r"(?P<key>[^\s:：#'\"\-\[\]{}][^\s:：#'\"]*)"
_FULL_WIDTH = re.compile(r"^(?P<lead>\s*(?:- )?)" + _KEY + r"\s*：\s*(?P<value>.*)$")
_NO_SPACE = re.compile(r"^(?P<lead>\s*(?:- )?)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<value>[^\s/].*)$")
_BLOCK_SCALAR = re.compile(r"[:-]\s*[|>][-+0-9]*\s*(#.*)?$")

Found = tuple[int, int, str, str]  # line, column, code, message


@dataclass
class _Level:
    indent: int
    line: int
    item: bool  # a "- " list item (else a key)
    text: str


def _colon(lines: list[str], start: int, end: int) -> Found | None:
    for number in range(start, end + 1):
        text = lines[number - 1]
        full = _FULL_WIDTH.match(text)
        if full and ": " not in text:
            key, value = full["key"], full["value"].strip()
            return (number, text.index("：") + 1, "G120",
                    f"“{key}”后面是全角冒号“：”（中文输入法打出的），YAML 认不出这是字段。"
                    f"请改成英文冒号加一个空格：{key}: {value}")
        bare = _NO_SPACE.match(text)
        if bare and ": " not in text:
            key, value = bare["key"], bare["value"].strip()
            return (number, len(bare["lead"]) + len(key) + 1, "G121",
                    f"“{key}:”后面缺少空格，整行被当成了一段文字。请在冒号后加一个空格：{key}: {value}")
    return None


def _indent_problem(level: list[_Level], indent: int, item: bool, opened: bool) -> _Level | None:
    """The sibling this line should align with, if its indentation fits no open level."""
    if any(lv.indent == indent for lv in level) or (opened and level and indent > level[-1].indent):
        return None
    if not level:
        return None
    return min(level, key=lambda lv: (abs(lv.indent - indent), lv.item != item, -lv.indent))


def _indentation(lines: list[str], start: int, end: int) -> Found | None:
    levels: list[_Level] = []
    opened, block = False, -1
    for number, text in enumerate(lines[:end], 1):
        body = text.lstrip(" ")
        indent = len(text) - len(body)
        if not body or body.startswith("#") or (block >= 0 and indent > block):
            continue
        block = -1
        item = body.startswith("- ") or body == "-"
        sibling = _indent_problem(levels, indent, item, opened)
        if sibling is not None and number >= start:
            more = indent - sibling.indent
            word, what = "多了" if more > 0 else "少了", "列表项（- ）" if item else "字段"
            return (number, indent + 1, "G122",
                    f"这一行缩进 {indent} 个空格，而同一层的第 {sibling.line} 行“{sibling.text}”缩进 "
                    f"{sibling.indent} 个空格：{word} {abs(more)} 个空格。同一层的{what}必须左对齐，"
                    f"请把这一行改成缩进 {sibling.indent} 个空格")
        while levels and levels[-1].indent >= indent:
            levels.pop()
        levels.append(_Level(indent, number, item, body.split(":")[0][:20]))
        if item:
            levels.append(_Level(indent + 2, number, False, body[2:].split(":")[0][:20]))
        opened = body.rstrip().endswith(":")
        block = indent if _BLOCK_SCALAR.search(body) else -1
    return None


def diagnose(text: str, line: int) -> Found | None:
    """The clerk's mistake near ``line`` (1-based, where the parser failed), or None."""
    lines = text.splitlines()
    end = min(max(line, 1), len(lines))
    start = max(1, end - NEAR)
    return _indentation(lines, start, end) or _colon(lines, start, end)
