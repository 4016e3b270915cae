"""Decap CMS field definitions from the pydantic schema (one declaration, one more use).

Labels are the Chinese half of each field's description, less what only a YAML file
needs (“加引号”: a form field needs no quotes); Literal fields become selects, dates
date pickers that write ``YYYY-MM-DD``, and each regular-expression constraint a Decap
``pattern`` with its own Chinese hint from :data:`FORM_HINTS` (Decap shows that text as
the error, so a generic one left the clerk with “请看下方说明” and nothing below).
A member id (``member``) is picked from the unit's own members.yml with a ``relation``
widget, so nobody types ids as free text; the unit is filled in per collection
(:func:`with_unit`).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

# The form's hint for each pattern in generator.schema (keyed by a piece of the pattern); a
# test checks every pattern has one. No word about quotes or YAML: the form writes the file.
FORM_HINTS = [
    ("a-z0-9][a-z0-9-]", "只能用小写字母、数字和连字符“-”，如 zhang-wei"),
    ("0-9+\\-() 转", "只能含数字、+、-、括号、空格和“转”，如 0571-88881234 转 8001"),
    ("[0-9]{6}", "6 位数字，如 311100"),
    ("jpg|jpeg|png", "照片文件名只能用英文字母、数字和 - _，如 zhang-wei.jpg；请把照片改名后重新上传"),
    ("https?://", "以 http:// 或 https:// 开头的网址"),
    ("20[0-9]{2}-", "年-月，如 2026-03"),
    ("A-Za-z0-9\\-]{1,20}", "只能含字母、数字和连字符，最多 20 位"),
    ("|即办", "填工作日数（数字），或“即办”"),
    ("A-Za-z0-9_.", "代码托管平台的账号，只能含字母、数字和 _ . - /，如 @zhang-wei"),
]
# Hints shown under a field (Decap ``hint``), where a pattern alone would leave a clerk guessing.
FIELD_HINTS = {  # the same ids the command-line tools give (generator.staff.scaffold)
    ("Pledge", "id"): "本单位内不重复：年份-成员编号第一段-两位序号，如 2026-zhang-01；党组织承诺用 2026-org-01",
    ("Member", "id"): "姓名拼音，小写并用连字符连接，如 zhang-wei；同名时加数字，如 zhang-wei-2",
    ("Rectification", "id"): "zg-年份-两位序号，如 zg-2026-01",
    ("Comment", "id"): "年-月-点评方式缩写（集中 jz、个别 gb、随机 sj、现场 xc），如 2026-11-xc",
}
# Decap 3.16's Chinese error reads “%{fieldLabel}”不满足模式%{pattern}: the hint follows a colon.
PATTERN_LEAD = "："
UNIT = "\0unit\0"  # stands for the unit id in member relations until :func:`with_unit`

SUMMARY_KEYS = ("id", "name", "title", "period", "date", "member", "kind", "grade", "text", "problem", "event")


def _split(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(bare type, optional?, constraints) of an annotation such as ``Annotated[str, …] | None``."""
    optional, meta = False, []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            meta += extra
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return typing.Union[tuple(args)], optional, meta  # noqa: UP007
            annotation = args[0]
        else:
            return annotation, optional, meta


def _constraints(meta: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in meta:
        for part in getattr(item, "metadata", [item]):
            if getattr(part, "pattern", None):
                out["pattern"] = [part.pattern, PATTERN_LEAD + form_hint(part.pattern)]
            if isinstance(part, at.Ge | at.Gt):
                out["min"] = part.ge if isinstance(part, at.Ge) else part.gt
            if isinstance(part, at.Le | at.Lt):
                out["max"] = part.le if isinstance(part, at.Le) else part.lt
            if getattr(part, "max_length", None):
                out["_max_length"] = part.max_length
    return out


def form_hint(pattern: str) -> str:
    """The Chinese hint a form shows for ``pattern`` (KeyError names a pattern with none)."""
    for piece, hint in FORM_HINTS:
        if piece in pattern:
            return hint
    raise KeyError(f"no form hint for pattern {pattern!r}: add one to FORM_HINTS")


def label(description: str) -> str:
    """The form label: the Chinese half, without what only a hand-edited YAML file needs."""
    text = description.split(" / ")[0].replace("（加引号）", "").replace("，请加引号", "")
    return text.replace("'", "").replace("为 false 时", "不勾选时")


def member_relation() -> dict[str, Any]:
    """Pick a member of the same unit by name; the file keeps the member id."""
    return {"widget": "relation", "collection": UNIT, "file": "members", "value_field": "members.*.id",
            "search_fields": ["members.*.name", "members.*.id"], "display_fields": ["members.*.name"],
            "hint": "从本单位成员（members.yml）中选择"}


def _summary(model: type[BaseModel]) -> str:
    keys = [k for k in SUMMARY_KEYS if k in model.model_fields][:3]
    return " · ".join(f"{{{{fields.{k}}}}}" for k in keys)


def widget(annotation: Any, meta: list[Any]) -> dict[str, Any]:
    """The Decap widget (and its options) for a bare type."""
    rules = _constraints(meta)
    if typing.get_origin(annotation) is typing.Literal:
        return {"widget": "select", "options": [str(a) for a in typing.get_args(annotation)]}
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # int | "即办"
        return {"widget": "string", "pattern": ["^([0-9]+|即办)$", PATTERN_LEAD + form_hint("|即办")]}
    if annotation is bool:
        return {"widget": "boolean"}
    if annotation in (int, float):
        kind = {"value_type": "int" if annotation is int else "float"}
        return {"widget": "number", **kind, **{k: v for k, v in rules.items() if k in ("min", "max")}}
    if annotation is dt.date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": fields(annotation)}
    if typing.get_origin(annotation) is list:
        return _list(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is dict:
        keys = typing.get_args(annotation)[0]
        return {"widget": "object", "fields": [{"name": str(k), "label": str(k), "widget": "number", "value_type": "int",
                                                "min": 0, "required": False} for k in typing.get_args(keys)]}
    long = rules.get("_max_length", 0) > 2000
    return {"widget": "text" if long else "string", **({"pattern": rules["pattern"]} if "pattern" in rules else {})}


def _list(item: Any) -> dict[str, Any]:
    bare, _, meta = _split(item)
    if typing.get_origin(bare) is typing.Literal:
        return {"widget": "select", "multiple": True, "options": [str(a) for a in typing.get_args(bare)]}
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return {"widget": "list", "collapsed": True, "summary": _summary(bare), "fields": fields(bare),
                "label_singular": "一项"}
    return {"widget": "list", "field": {"name": "item", "label": "项", **widget(bare, meta)}}


def field(name: str, info: FieldInfo, owner: str = "") -> dict[str, Any]:
    bare, _, meta = _split(info.annotation)
    out: dict[str, Any] = {"name": name, "label": label(info.description or name)}
    if name == "member" and owner != "Member":  # picked by name: the label need not speak of ids
        out |= member_relation() | {"label": out["label"].replace("（成员编号）", "").replace("成员编号", "成员")}
    else:
        out |= widget(bare, [*meta, *info.metadata])
    if (owner, name) == ("Member", "photo"):  # uploaded into the unit's photos/ (media_folder of members.yml)
        out |= {"widget": "image", "choose_url": False}
    if (owner, name) in FIELD_HINTS:
        out["hint"] = FIELD_HINTS[(owner, name)]
    if not info.is_required():
        out["required"] = False
        default = info.get_default(call_default_factory=False)
        if isinstance(default, str | bool | int) and default is not None and out["widget"] != "list":
            out["default"] = default
    return out


def fields(model: type[BaseModel]) -> list[dict[str, Any]]:
    return [field(name, info, model.__name__) for name, info in model.model_fields.items()]


def file_fields(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Fields of one whole content file (its top-level keys); member relations name no unit yet."""
    return fields(model)


def names_unit(node: Any) -> bool:
    """Whether a field definition (or anything inside it) stands for the unit id."""
    if isinstance(node, dict):
        return any(names_unit(v) for v in node.values())
    if isinstance(node, list):
        return any(names_unit(v) for v in node)
    return node == UNIT


def with_unit(node: Any, unit: str) -> Any:
    """A copy of a field definition with the unit id filled in."""
    if isinstance(node, dict):
        return {k: with_unit(v, unit) for k, v in node.items()}
    if isinstance(node, list):
        return [with_unit(v, unit) for v in node]
    return unit if node == UNIT else node
