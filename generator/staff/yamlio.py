"""Round-trip YAML: change a content file and keep its comments, key order and quoting.

All tools read and write through :func:`rt_yaml`, set up like the demo files
(mappings indented 2, list items ``  - `` under their key, no line wrapping), so
loading and dumping an unchanged file gives back the same bytes (a test proves it
for every demo file). New list items are rendered as text with a short Chinese
comment on each line (taken from the schema's descriptions) and then parsed, so
what staff later open in the editor explains itself.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from ..errors import GongshiError, Problem, error, relpath
from ..load import MAX_BYTES, load_bytes
from ..safe_read import Unreadable, read_capped

# Keys whose values the demo writes in single quotes: ids, references, numbers kept as text.
QUOTED_KEYS = frozenset({"id", "member", "parent", "period", "ref", "card_no", "work_phone", "phone",
                         "supervision_phone", "consult_phone", "postcode", "code"})


class StaffError(GongshiError):
    """Raised by the staff tools for anything the user must fix; the message is Chinese."""

    def __init__(self, message: str, code: str = "G707"):
        super().__init__(f"{message}（{code}）")
        self.code = code


def rt_yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long Chinese lines
    yaml.allow_unicode = True
    yaml.representer.ignore_aliases = lambda data: True  # content files never use anchors (G103)
    return yaml


def _project(path: Path) -> Path:
    """The project a content file belongs to: the folder holding its ``content/units/``."""
    for parent in path.absolute().parents:
        if parent.name == "units" and parent.parent.name == "content":  # a unit may be called "content"
            return parent.parent.parent
    return path.absolute().parent


def hardened(path: Path) -> bytes:
    """The file's bytes, once the loader of ``check`` accepts them; else a StaffError (G712).

    ruamel's round-trip loader expands aliases and follows any nesting: a billion-laughs
    file would run for minutes. So the file is read and parsed the way ``check`` does
    (regular file in the project, size cap, no anchors or aliases, depth limit) first.
    """
    project = _project(path)
    shown = relpath(path, project)
    try:
        raw = read_capped(path, project, MAX_BYTES)
        found = load_bytes(raw, path, shown)
    except Unreadable as exc:
        found = error(shown, 1, 1, exc.code, exc.message)
    if isinstance(found, Problem):
        raise StaffError(f"{found.format()}\n{shown} 有 check 也会拒绝的问题，没有修改它。"
                         "请先按上面的提示改正这个文件（可运行 python build.py check），再运行这个命令", "G712")
    return raw


def load(path: Path) -> CommentedMap:
    """A content file as a round-trip mapping; an empty mapping if the file is missing.

    Read through :func:`hardened` first, so ruamel only ever sees what ``check`` accepts.
    """
    if not path.exists() and not path.is_symlink():
        return CommentedMap()
    raw = hardened(path)
    try:
        data = rt_yaml().load(raw.decode("utf-8").removeprefix("\ufeff"))
    except (YAMLError, UnicodeDecodeError) as exc:
        raise StaffError(f"无法读取 {path.name}：{exc}。请先运行 python build.py check 修正这个文件", "G703") from None
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise StaffError(f"{path.name} 的顶层应是“键: 值”的键值表", "G703")
    return data


def dump(data: Any) -> str:
    out = io.StringIO()
    rt_yaml().dump(data, out)
    return out.getvalue()


def value_for(key: str, value: Any) -> Any:
    """A Python value as the demo would write it: references quoted, long text as a block."""
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    if isinstance(value, str) and key in QUOTED_KEYS:
        return SingleQuotedScalarString(value)
    return value


def scalar(key: str, value: Any) -> str:
    """One value as YAML text on one line (for rendered snippets)."""
    if isinstance(value, str) and "\n" in value:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = dump({"v": value_for(key, value)})
    return text.removeprefix("v:").strip()


# ------------------------------------------------------------------ comments from the schema


def _unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, …]`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def choices(model: type[BaseModel], key: str) -> tuple[str, ...]:
    """The allowed values of a Literal field, else ()."""
    annotation = _unwrap(model.model_fields[key].annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    return ()


def field_comment(model: type[BaseModel], key: str) -> str:
    """The Chinese half of a field's description, plus its allowed values."""
    description = model.model_fields[key].description or key
    text = description.split(" / ")[0]
    options = choices(model, key)
    return f"{text}：{'、'.join(options)}" if options and len(options) <= 8 else text


# ------------------------------------------------------------------ rendering new items


@dataclass(frozen=True)
class Row:
    """One line of a rendered item: ``key: value  # comment``; ``value`` may be nested rows."""

    key: str
    value: Any
    comment: str = ""


def rows_for(model: type[BaseModel], values: dict[str, Any], comments: dict[str, str] | None = None) -> list[Row]:
    """Rows in schema order for the given values (None values are left out)."""
    comments = comments or {}
    return [Row(k, values[k], comments.get(k, field_comment(model, k)))
            for k in model.model_fields if values.get(k) is not None]


def render(rows: Iterable[Row], indent: int, first_prefix: str = "") -> list[str]:
    """Text lines of a mapping at ``indent``; the first line may start with ``- ``."""
    lines: list[str] = []
    for i, row in enumerate(rows):
        lead = " " * indent if i or not first_prefix else " " * (indent - len(first_prefix)) + first_prefix
        note = f"  # {row.comment}" if row.comment else ""
        if isinstance(row.value, list) and row.value and isinstance(row.value[0], Row):
            lines.append(f"{lead}{row.key}:{note}")
            lines += render(row.value, indent + 2)
        elif isinstance(row.value, list):
            lines.append(f"{lead}{row.key}:{note}")
            lines += [f"{' ' * (indent + 2)}- {scalar(row.key, v)}" for v in row.value]
        else:
            lines.append(f"{lead}{row.key}: {scalar(row.key, row.value)}{note}")
    return lines


def parse_item(list_key: str, rows: list[Row]) -> CommentedMap:
    """Render rows as one item of ``list_key`` (as in the demo files) and parse it back."""
    text = f"{list_key}:\n" + "\n".join(render(rows, 4, "- ")) + "\n"
    item = rt_yaml().load(text)[list_key][0]
    assert isinstance(item, CommentedMap)
    return item


# ------------------------------------------------------------------ changing a loaded file


def _last_leaf(node: Any) -> tuple[Any, Any]:
    """The innermost last entry of ``node``: where ruamel keeps the comment lines that follow it."""
    container, key = None, None
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        container, node = node, node[key]
    return container, key


def _slot(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def take_trailing(node: Any) -> str:
    """Detach the full-line comments after ``node`` (they belong to what follows it)."""
    container, key = _last_leaf(node)
    entry = container.ca.items.get(key) if container is not None else None
    if not entry or entry[_slot(container)] is None:
        return ""
    token = entry[_slot(container)]
    head, _, tail = token.value.partition("\n")
    token.value = head + "\n"
    if not head.strip():
        entry[_slot(container)] = None
    return tail


def give_trailing(node: Any, tail: str) -> None:
    """Attach comment lines taken by :func:`take_trailing` after ``node``."""
    container, key = _last_leaf(node)
    if not tail or container is None:
        return
    size = 4 if isinstance(container, CommentedMap) else 2
    entry = container.ca.items.setdefault(key, [None] * size)
    slot = _slot(container)
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + tail, CommentMark(0))
    else:
        entry[slot].value = entry[slot].value.rstrip("\n") + "\n" + tail


def append_item(doc: CommentedMap, list_key: str, item: Any) -> None:
    """Append ``item`` to the block list ``doc[list_key]``, creating or unflowing it as needed."""
    seq = doc.get(list_key)
    if not isinstance(seq, CommentedSeq) or not seq:
        block = CommentedSeq([item])
        if list_key in doc:
            doc[list_key] = block
        else:
            tail = take_trailing(doc)
            doc[list_key] = block
            give_trailing(doc, tail)
        return
    tail = take_trailing(seq)
    seq.append(item)
    give_trailing(seq, tail)


def set_field(item: CommentedMap, key: str, value: Any, model: type[BaseModel]) -> None:
    """Set ``item[key]``; a new key goes where the schema orders it, comments staying in place."""
    value = value_for(key, value)
    if key in item:
        item[key] = value
        return
    order = list(model.model_fields)
    after = [k for k in item if k in order and order.index(k) < order.index(key)]
    position = list(item).index(after[-1]) + 1 if after else 0
    if position >= len(item):
        tail = take_trailing(item)
        item[key] = value
        give_trailing(item, tail)
    else:
        item.insert(position, key, value)


def find(doc: CommentedMap, list_key: str, item_id: str, what: str) -> CommentedMap:
    """The item of ``doc[list_key]`` whose id is ``item_id``; a Chinese error lists the ids there are."""
    items = doc.get(list_key) or []
    for item in items:
        if isinstance(item, CommentedMap) and str(item.get("id")) == item_id:
            return item
    known = "、".join(str(i.get("id")) for i in items if isinstance(i, CommentedMap)) or "（还没有）"
    raise StaffError(f"找不到编号为“{item_id}”的{what}。现有编号：{known}", "G702")
