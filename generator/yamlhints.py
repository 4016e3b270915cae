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

from ruamel.yaml.error import MarkedYAMLError

from .errors import Problem, error

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


# ruamel's English problems, said in Chinese with a hint how to fix them.
SYNTAX_HINTS = [
    ("mapping values are not allowed", "这里不能出现“冒号+空格”。若文字里有冒号，请给整段文字加引号；否则检查上一行的缩进"),
    ("could not find expected ':'", "缺少冒号。每个字段应写成“键: 值”，冒号后留一个空格"),
    ("expected <block end>", "缩进不一致。同一层的字段必须左对齐，用空格缩进"),
    ("did not find expected key", "缩进不一致或缺少冒号。同一层的字段必须左对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致。每项以“- ”开头并左对齐"),
    ("found unexpected end of stream", "引号没有闭合。检查这一行开头的引号是否有配对的结束引号"),
    ("found unknown escape character", "双引号里有无效的反斜杠转义。改用单引号，或把 \\ 写成 \\\\"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("found character that cannot start any token", "这一行以 YAML 不允许的字符开头（例如 @ 或 `）。请给这段文字加引号"),
    ("while parsing a flow", "方括号或花括号没有配对"),
]


def syntax_problem(exc: MarkedYAMLError, shown: str, text: str = "") -> Problem:
    """The problem said for a YAML syntax error: the clerk's mistake if :func:`diagnose` names it, else ruamel's, in Chinese."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    named = diagnose(text, line)  # a full-width colon, a missing space, an indentation off by some spaces
    if named:
        return error(shown, *named)
    english = f"{exc.context or ''} {exc.problem or ''}".strip()
    hint = next((h for key, h in SYNTAX_HINTS if key in english), "请检查这一行及上一行的缩进、冒号和引号")
    return error(shown, line, col, "G101", f"YAML 语法错误：{hint}")
