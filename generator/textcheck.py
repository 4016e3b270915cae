"""Stage 2b: every text of a loaded file, judged as it will be published.

:func:`text_problems` walks every string of a file (keys and values of unknown fields
too: a file is checked before and apart from its schema) and reports

* control characters and noncharacters (G210): XML 1.0 forbids C0 controls other than
  tab, LF and CR, U+FFFE, U+FFFF and lone surrogates, so one of them in a pledge makes
  ``feed.xml`` unreadable; DEL, C1 controls and the other noncharacters are refused with
  them, as nothing a person types holds them;
* Markdown fields (their description says "可用 Markdown") beyond the limits that keep
  rendering fast (G211, :data:`generator.richtext.LIMITS`);
* personal data (:mod:`generator.privacy`), a Markdown field read as the site renders it;
  the unit's own address (``office``) may stand in any of its texts.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel

from . import privacy
from .errors import Problem, error
from .load import Loaded, Loc
from .richtext import LIMITS, Excess, excess
from .unicode_tables import CharClass
from .validate import _field_info

# C0 but tab, LF, CR; DEL and C1; surrogates; noncharacters (U+FDD0–FDEF, the last two of each plane).
_CONTROL = CharClass("0-8 b c e-1f 7f-9f d800-dfff fdd0-fdef " + " ".join(
    f"{plane + 0xFFFE:x}-{plane + 0xFFFF:x}" for plane in range(0, 0x110000, 0x10000)))
_FIX = "它看不见，却会使订阅源 feed.xml 等文件无法读取。请删除这个字符（常随从其他软件复制的文字带入）"

FieldPath = tuple[str, ...]  # the keys from the top of a file, list positions left out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


@cache
def markdown_fields(model: type[BaseModel]) -> frozenset[FieldPath]:
    """Paths of the fields the site renders as Markdown (their description says so)."""
    found: set[FieldPath] = set()
    for name, info in model.model_fields.items():
        if "Markdown" in (info.description or ""):
            found.add((name,))
        for inner in _models_in(info.annotation):
            found |= {(name, *path) for path in markdown_fields(inner)}
    return frozenset(found)


def _collect(value: Any, loc: Loc, texts: list[tuple[Loc, str]], keys: list[str]) -> None:
    """Every string of a loaded file with its location into ``texts``, every key into ``keys``."""
    if isinstance(value, str):
        texts.append((loc, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            keys.append(key)
            _collect(item, (*loc, key), texts, keys)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, (*loc, index), texts, keys)
    elif isinstance(value, int) and not isinstance(value, bool) and value > 10**9:
        texts.append((loc, str(value)))  # an unquoted number can still be a mobile or an ID


def _keys(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every key with its location (walked only when some key holds a control character)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*loc, key), key
            yield from _keys(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _keys(value, (*loc, index))


def _field(model: type[BaseModel], loc: Loc) -> str:
    """The field at ``loc`` as users read it: “单位简介”（description）."""
    label, _ = _field_info(model, loc)
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    return f"“{label}”（{key}）" if label and label != key else f"“{key}”"


def _control(loaded: Loaded, model: type[BaseModel], loc: Loc, text: str, is_key: bool) -> Problem | None:
    """A text holding a control character or noncharacter: one problem naming the first one."""
    found = _CONTROL.findall(text)
    if not found:
        return None
    point = ord(found[0])
    kind = "代理码位" if 0xD800 <= point <= 0xDFFF else " Unicode 非字符" if point >= 0xFDD0 else "控制字符"
    where = f"键名“{text.encode('unicode_escape').decode()}”" if is_key else _field(model, loc)
    count = f"（共 {len(found)} 个）" if len(found) > 1 else ""
    line, col = loaded.pos(loc)
    return error(loaded.shown, line, col, "G210", f"{where}含有{kind} U+{point:04X}{count}。{_FIX}")


def _limit_message(field: str, found: Excess) -> str:
    """What a Markdown field holds beyond :data:`LIMITS`, and how to bring it within."""
    shorter = "请精简，或把内容分成几条制度（regimes）"
    if found.what == "chars":
        return f"{field}有 {found.found} 个字，Markdown 文字最多 {found.limit} 个字。{shorter}"
    if found.what == "lines":
        return f"{field}有 {found.found} 行，Markdown 文字最多 {found.limit} 行。{shorter}"
    if found.what == "depth":
        return (f"{field}第 {found.line} 行的 Markdown 嵌套有 {found.found} 层（引用“>”、列表和缩进），"
                f"最多 {found.limit} 层。请减少嵌套：不要连写“> > >”或“- - -”，列表最多缩进几级")
    if found.what == "brackets":
        return (f"{field}里有 {found.found} 个“[”，Markdown 文字最多 {found.limit} 个：方括号多了，生成网页要很久。"
                "请删去多余的“[”；要显示方括号本身，改用全角“［］”或“【】”")
    return (f"{field}里有 {found.found} 个“<”，Markdown 文字最多 {found.limit} 个：尖括号多了，生成网页要很久。"
            "请删去多余的“<”；要表示“小于”，改用全角“＜”或文字")


def text_problems(loaded: Loaded, model: type[BaseModel], allowed: frozenset[str], office: str = "") -> list[Problem]:
    """Control characters, Markdown beyond its limits and personal data in ``loaded``, at each field's line."""
    texts: list[tuple[Loc, str]] = []
    keys: list[str] = []
    _collect(loaded.data, (), texts, keys)
    problems: list[Problem] = []
    if _CONTROL.search("".join(keys)):  # one search for all keys of the file
        problems += [p for loc, key in _keys(loaded.data) if (p := _control(loaded, model, loc, key, True))]
    if _CONTROL.search("".join(text for _, text in texts)):
        problems += [p for loc, text in texts if (p := _control(loaded, model, loc, text, False))]
    markdown = markdown_fields(model)
    for loc, text in texts:
        rendered = bool(markdown) and tuple(part for part in loc if isinstance(part, str)) in markdown
        if rendered and (beyond := excess(text, LIMITS)) is not None:
            line, col = loaded.pos(loc)
            problems.append(error(loaded.shown, line, col, "G211", _limit_message(_field(model, loc), beyond)))
        for code, message in privacy.find(text, allowed, markdown=rendered, office=office):
            line, col = loaded.pos(loc)
            problems.append(error(loaded.shown, line, col, code, message))
    return problems
