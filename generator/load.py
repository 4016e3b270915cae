"""Stage 1, load: read one YAML file safely into plain values and their positions.

Staff files are untrusted input. We never let a YAML library construct objects:
ruamel.yaml's parser yields events and this module builds dicts, lists and scalars
from them itself, with the YAML 1.2 core schema. That lets us refuse what a content
file never needs (directives, tags, anchors, aliases, several documents) and record
the 1-based line and column of every key, so later stages can point at it.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

try:  # the C parser comes with ruamel.yaml.clib; the pure Python one gives the same events
    from ruamel.yaml.cyaml import CParser
except ImportError:  # pragma: no cover - depends on the platform's wheels
    CParser = None

from .errors import Problem, error
from .safe_read import Unreadable, read_capped
from .yamlhints import syntax_problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12

Pos = tuple[int, int]
Loc = tuple[str | int, ...]

_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SCALAR = ev.ScalarEvent
_NUMBER_START = frozenset("0123456789+-.")  # what every number below starts with
_SPECIAL_FLOAT = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                  "-.inf": float("-inf"), ".nan": float("nan"), ".NaN": float("nan")}

@dataclass
class Loaded:
    """A parsed file: its data and where each key or list item stands (1-based)."""

    path: Path
    shown: str  # the path as users see it
    data: Any
    positions: dict[Loc, Pos] = field(default_factory=dict)
    raw_numbers: dict[Loc, str] = field(default_factory=dict)  # plain scalars read as numbers
    packed: bytes = b""  # the positions, marshalled by :meth:`pack` until a problem needs them
    sha256: str = ""  # of the file's bytes: what tells a later build the file changed
    blanks: bool = True  # some value is "" (False only when the loader saw none): see validate.without_blanks

    def pack(self) -> None:
        """Once validated: drop the values and keep the positions as one bytes object.

        A file's positions are a tuple per key and list item (most of ``check``'s memory at
        province scale, and most of what the check cache pickles); packed they cost a tenth
        and are read back only for a file that has a problem to report.
        """
        self.data, self.raw_numbers = None, {}
        if self.positions:
            self.packed, self.positions = marshal.dumps(self.positions), {}

    def pos(self, loc: Loc) -> Pos:
        """Position of ``loc`` or of its nearest ancestor that has one."""
        if self.packed:
            self.positions, self.packed = marshal.loads(self.packed), b""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _mark(mark: Any) -> Pos:
    return (mark.line + 1, mark.column + 1)


def _scalar(e: ev.ScalarEvent) -> tuple[Any, bool]:
    """Value of a scalar under the YAML 1.2 core schema; True if a plain number."""
    text = e.value
    if e.style or not e.implicit[0]:  # quoted or block scalar: always text
        return text, False
    if text in _NULL:
        return None, False
    if text in _BOOL:
        return _BOOL[text], False
    if text[0] not in _NUMBER_START:  # most texts: no number can start so
        return text, False
    if _INT.match(text):
        return int(text), True
    if _OCT.match(text):
        return int(text[2:], 8), True
    if _HEX.match(text):
        return int(text[2:], 16), True
    if _FLOAT.match(text) and text not in {".", "+.", "-."}:
        return float(text), True
    if text in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[text], True
    return text, False


def _bare(e: Any) -> bool:
    """A scalar without anchor or tag, as nearly every event is: nothing for :meth:`_Builder.check_node` to refuse.

    ``ctag`` is what ruamel's ``tag`` property reads (None when there is no tag), without a call.
    """
    return e.__class__ is _SCALAR and e.anchor is None and e.ctag is None


class _Builder:
    """Builds values from a stream of parser events, refusing unsafe features.

    ``next_event`` gives the parser's next event, None after the last. Events are pulled
    one at a time, so a refusal is reported before a syntax error further down the file.
    """

    def __init__(self, shown: str, next_event: Callable[[], Any]):
        self.shown = shown
        self.next_event = next_event
        self.positions: dict[Loc, Pos] = {}
        self.raw_numbers: dict[Loc, str] = {}
        self.blanks = False  # some value is ""

    def refuse(self, event: Any, code: str, message: str) -> _Refused:
        line, col = _mark(event.start_mark)
        return _Refused(error(self.shown, line, col, code, message))

    def check_node(self, e: Any) -> None:
        if isinstance(e, ev.AliasEvent):
            raise self.refuse(e, "G103", f"不允许使用别名 *{e.anchor}。请把内容直接写出来，不要引用别处")
        if getattr(e, "anchor", None):
            raise self.refuse(e, "G103", f"不允许使用锚点 &{e.anchor}。请删除 &{e.anchor}")
        tag = getattr(e, "tag", None)
        explicit = tag is not None and not (isinstance(e, ev.ScalarEvent) and e.implicit[0])
        if explicit and tag != "!":
            raise self.refuse(e, "G103", f"不允许使用标签 {tag}。文字请加引号，数字直接写，删除以 ! 开头的标签")

    def node(self, first: Any, loc: Loc, depth: int) -> Any:
        if not _bare(first):
            self.check_node(first)
        if depth > MAX_DEPTH:
            raise self.refuse(first, "G108", f"嵌套超过 {MAX_DEPTH} 层。请检查缩进是否多打了空格")
        if isinstance(first, ev.ScalarEvent):
            value, number = _scalar(first)
            if number:
                self.raw_numbers[loc] = first.value
            elif value == "":
                self.blanks = True
            return value
        if isinstance(first, ev.SequenceStartEvent):
            return self.sequence(loc, depth)
        if isinstance(first, ev.MappingStartEvent):
            return self.mapping(loc, depth)
        raise self.refuse(first, "G101", "无法识别的 YAML 结构")

    def sequence(self, loc: Loc, depth: int) -> list[Any]:
        items: list[Any] = []
        while (e := self.next_event()) is not None:
            if isinstance(e, ev.SequenceEndEvent):
                return items
            here = (*loc, len(items))
            mark = e.start_mark
            self.positions[here] = (mark.line + 1, mark.column + 1)
            items.append(self.node(e, here, depth + 1))
        raise AssertionError("unterminated sequence")

    def mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while (e := self.next_event()) is not None:
            if isinstance(e, ev.MappingEndEvent):
                return result
            if not _bare(e):
                self.check_node(e)
            if not isinstance(e, ev.ScalarEvent):
                raise self.refuse(e, "G101", "键必须是一段简单的文字，不能是列表或键值表")
            key = e.value
            here = (*loc, key)
            if key in result:
                first = self.positions[here]
                raise self.refuse(
                    e, "G102",
                    f"键“{key}”重复：第 {first[0]} 行已经写过。请删除其中一个，或把两处内容合并",
                )
            mark = e.start_mark
            self.positions[here] = (mark.line + 1, mark.column + 1)
            result[key] = self.node(self.next_event(), here, depth + 1)
        raise AssertionError("unterminated mapping")


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _Refused(error(
            shown, line, 1, "G104",
            "文件不是 UTF-8 编码（可能是 GBK）。请在编辑器里选择“以 UTF-8 编码保存”",
        )) from None
    return text.removeprefix("\ufeff")


def _check_tabs(text: str, shown: str) -> None:
    if "\t" not in text:  # most files: one scan
        return
    for number, line in enumerate(text.splitlines(), 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise _Refused(error(
                shown, number, indent.index("\t") + 1, "G105",
                "缩进里有制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成两个空格",
            ))


def _events(text: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    """The parser's next-event function (None after the last event) and what frees the parser:
    libyaml's (ruamel.yaml.clib, about 25 times faster) or ruamel's pure Python."""
    if CParser is None:
        stream = YAML(typ="safe", pure=True).parse(text)
        return lambda: next(stream, None), lambda: None
    parser = CParser(text)
    return parser.get_event, parser.dispose


def parse_text(text: str, shown: str) -> tuple[Any, dict[Loc, Pos], dict[Loc, str]]:
    """Parse YAML text; raise :class:`_Refused` with a problem on anything unsafe."""
    data, builder = _parse(text, shown)
    return data, builder.positions, builder.raw_numbers


def _parse(text: str, shown: str) -> tuple[Any, _Builder]:
    _check_tabs(text, shown)
    next_event, dispose = _events(text)
    builder = _Builder(shown, next_event)
    data: Any = None
    documents = 0
    try:
        while (e := next_event()) is not None:
            if isinstance(e, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise builder.refuse(e, "G106", "一个文件只能有一个文档。请删除“---”分隔线，或把内容拆成两个文件")
                if getattr(e, "version", None) or getattr(e, "tags", None):
                    raise builder.refuse(e, "G103", "不允许使用 %YAML 或 %TAG 指令。请删除以 % 开头的行")
            elif isinstance(e, ev.MappingStartEvent | ev.SequenceStartEvent | ev.ScalarEvent | ev.AliasEvent):
                builder.positions[()] = _mark(e.start_mark)
                data = builder.node(e, (), 0)
    finally:
        dispose()
    return data, builder


def load_file(path: Path, shown: str, root: Path | None = None, folder_inside: bool = False) -> Loaded | Problem:
    """Load one YAML file; return a :class:`Problem` instead of raising.

    The file must be a regular file inside ``root`` (the project; by default its own
    folder) of at most :data:`MAX_BYTES`: see :mod:`generator.safe_read`.
    """
    try:
        raw = read_capped(path, root or path.parent, MAX_BYTES, folder_inside)
    except Unreadable as exc:
        return error(shown, 1, 1, exc.code, exc.message)
    return load_bytes(raw, path, shown)


def _unacceptable(exc: ReaderError, shown: str, text: str) -> Problem:
    """G210 at the line and column of the character the YAML reader refused.

    The reader says only its offset: in characters from ruamel's reader, in UTF-8 bytes from libyaml's.
    """
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    at = exc.position if isinstance(exc.position, int) else 0
    before = text[:at] if CParser is None else text.encode("utf-8")[:at].decode("utf-8", "ignore")
    line = before.count("\n") + 1
    col = len(before) - before.rfind("\n")
    kind = "控制字符" if code < 0x20 or 0x7F <= code <= 0x9F else "不允许的字符（非字符或代理码位）"
    return error(shown, line, col, "G210",
                 f"第 {line} 行第 {col} 列有{kind} U+{code:04X}：它看不见，YAML 文件里不允许直接出现，"
                 "也会使订阅源 feed.xml 等文件无法读取。请删除这个字符（常随从其他软件复制的文字带入）")


def load_bytes(raw: bytes, path: Path, shown: str) -> Loaded | Problem:
    """Parse the bytes of a file read by :func:`load_file` (or a staff tool, before it edits)."""
    text = ""
    try:
        text = _decode(raw, shown)
        data, builder = _parse(text, shown)
    except _Refused as refused:
        return refused.problem
    except MarkedYAMLError as exc:
        return syntax_problem(exc, shown, text)
    except ReaderError as exc:  # a raw control character, refused by the reader before any parsing
        return _unacceptable(exc, shown, text)
    except YAMLError as exc:
        return error(shown, 1, 1, "G101", f"YAML 语法错误：{exc}")
    except RecursionError:
        return error(shown, 1, 1, "G108", f"嵌套超过 {MAX_DEPTH} 层。请检查缩进")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return error(shown, 1, 1, "G109", "文件顶层应是“键: 值”的键值表，实际是一个列表或一段文字")
    return Loaded(path, shown, data, builder.positions, builder.raw_numbers, sha256=hashlib.sha256(raw).hexdigest(),
                  blanks=builder.blanks)
