"""Decap CMS field definitions from the pydantic schema (one declaration, one more use).

Labels are the Chinese half of each field's description; Literal fields become selects, dates date pickers that write ``YYYY-MM-DD``,
regular-expression constraints Decap ``pattern`` checks with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

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
                out["pattern"] = [part.pattern, "格式不对，请看下方说明"]
            if isinstance(part, at.Ge | at.Gt):
                out["min"] = part.ge if isinstance(part, at.Ge) else part.gt
            if isinstance(part, at.Le | at.Lt):
                out["max"] = part.le if isinstance(part, at.Le) else part.lt
            if getattr(part, "max_length", None):
                out["_max_length"] = part.max_length
    return out


def _summary(model: type[BaseModel]) -> str:
    keys = [k for k in SUMMARY_KEYS if k in model.model_fields][:3]
    return " · ".join(f"{{{{fields.{k}}}}}" for k in keys)


def widget(annotation: Any, meta: list[Any]) -> dict[str, Any]:
    """The Decap widget (and its options) for a bare type."""
    rules = _constraints(meta)
    if typing.get_origin(annotation) is typing.Literal:
        return {"widget": "select", "options": [str(a) for a in typing.get_args(annotation)]}
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # int | "即办"
        return {"widget": "string", "pattern": ["^([0-9]+|即办)$", "填工作日数（数字），或“即办”"]}
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


def field(name: str, info: FieldInfo) -> dict[str, Any]:
    bare, _, meta = _split(info.annotation)
    out: dict[str, Any] = {"name": name, "label": (info.description or name).split(" / ")[0]}
    out |= widget(bare, [*meta, *info.metadata])
    if not info.is_required():
        out["required"] = False
        default = info.get_default(call_default_factory=False)
        if isinstance(default, str | bool | int) and default is not None and out["widget"] != "list":
            out["default"] = default
    return out


def fields(model: type[BaseModel]) -> list[dict[str, Any]]:
    return [field(name, info) for name, info in model.model_fields.items()]


def file_fields(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Fields of one whole content file (its top-level keys)."""
    return fields(model)
