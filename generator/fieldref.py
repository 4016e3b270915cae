"""The field reference, generated from the schema (docs/reference.md and the site's guide).

``python build.py reference`` rewrites docs/reference.md; a test fails when it is
stale, so the documentation can never drift from what ``check`` accepts.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .schema import UNIT_FILES
from .settings import SiteConfig

INTRO = """# 字段参考 / Field reference

本页由 `python build.py reference` 从 `generator/schema.py` 生成，请勿手工修改。
Generated from the schema; do not edit by hand.

每个单位一个目录 `content/units/<单位编号>/`，目录名就是单位编号（小写字母、数字、连字符）。
除 `unit.yml` 外的文件都可以省略。站点设置在项目根目录的 `site_config.yml`。
"""


def type_text(annotation: Any) -> str:
    """A short Chinese description of a field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_text(args[0])
    if origin is typing.Literal:
        return "之一：" + "、".join(str(a) for a in args)
    if origin in (types.UnionType, typing.Union):
        parts = [type_text(a) for a in args if a is not type(None)]
        return " 或 ".join(parts)
    if origin is list:
        return f"列表，每项：{type_text(args[0])}"
    if origin is dict:
        return f"键值表（{type_text(args[0])} → {type_text(args[1])}）"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"键值表（见 {annotation.__name__}）"
    names = {str: "文本", int: "整数", float: "数字", bool: "true/false", dt.date: "日期 YYYY-MM-DD"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _models(model: type[BaseModel], seen: list[type[BaseModel]]) -> list[type[BaseModel]]:
    if model in seen:
        return seen
    seen.append(model)
    for info in model.model_fields.values():
        for found in _nested(info.annotation):
            _models(found, seen)
    return seen


def _nested(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested(arg)]


def model_table(model: type[BaseModel]) -> list[str]:
    lines = [f"### {model.__name__}", ""]
    if model.__doc__ and model.__doc__.strip():
        lines += [model.__doc__.strip().splitlines()[0], ""]
    lines += ["| 字段 key | 说明 / description | 类型 type | 必填 required |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        required = "是" if info.is_required() else "否"
        if not info.is_required() and info.default not in (None, PydanticUndefined) and not isinstance(
                info.default, list | dict | BaseModel):
            required += f"（默认 {info.default}）"
        description = (info.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {description} | {type_text(info.annotation).replace('|', '/')} | {required} |")
    return [*lines, ""]


def reference_markdown() -> str:
    parts = [INTRO]
    files: list[tuple[str, type[BaseModel]]] = [*UNIT_FILES.items(), ("site_config.yml", SiteConfig)]
    for name, model in files:
        parts.append(f"## {name}\n")
        for found in _models(model, []):
            parts.append("\n".join(model_table(found)))
    return "\n".join(parts).rstrip() + "\n"


def field_names() -> set[str]:
    """Every key the schema knows (for the docs test)."""
    names: set[str] = set()
    models: list[type[BaseModel]] = [*UNIT_FILES.values(), SiteConfig]
    for model in models:
        for found in _models(model, []):
            names.update(found.model_fields)
    return names
