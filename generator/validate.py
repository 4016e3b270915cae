"""Stage 2, validate: check one loaded file against its schema class.

pydantic does the checking; this module says what it found in Chinese, at the
line of the key, with what was expected, what was found and how to fix it.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problem, error
from .load import Loaded, Loc

M = TypeVar("M", bound=BaseModel)

# Hints for the string patterns in generator.schema, keyed by a piece of the pattern.
_PATTERN_HINTS = [
    ("a-z0-9][a-z0-9-]", "编号只能用小写英文字母、数字和连字符“-”，以字母或数字开头，如 zhang-wei"),
    ("0-9+\\-() 转", "电话只能含数字、+、-、括号、空格和“转”，如 '0571-88881234'"),
    ("[0-9]{6}", "邮政编码是 6 位数字，请加引号，如 '311100'"),
    ("jpg|jpeg|png", "照片应是 photos/ 目录下的 .jpg 或 .png 文件名，如 photos/zhang-wei.jpg"),
    ("https?://", "链接应以 http:// 或 https:// 开头"),
    ("20[0-9]{2}-", "月份格式为 'YYYY-MM'，如 '2026-03'，请加引号"),
    ("A[0-5]|", "尺寸写 A3、A2、A1，或 宽x高mm，如 600x900mm"),
    ("A-Za-z0-9\\-]{1,20}", "服务卡号只能含字母、数字和连字符，最多 20 位"),
    ("A-Za-z0-9_.", "账号只能含字母、数字和 _ . - /"),
]

_TYPE_NAMES = {int: "整数", float: "数字", str: "文本", bool: "true 或 false", type(None): "空"}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "一个键值表"
    if isinstance(value, list):
        return "一个列表"
    if value is None:
        return "空值"
    if value == "":
        return "空（没有填写）"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def _field_info(model: type[BaseModel], loc: Loc) -> tuple[str, type[BaseModel] | None]:
    """Chinese label of the field at ``loc`` and the model that declares it."""
    current: Any = model
    label = ""
    owner: type[BaseModel] | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        cls = _model_in(current)
        if cls is None or part not in cls.model_fields:
            break
        owner = cls
        info = cls.model_fields[part]
        label = re.split(r"[（：；，(]", (info.description or part).split(" / ")[0])[0]
        current = info.annotation
    return label, owner


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    if isinstance(annotation, types.UnionType):
        return None
    return None


def _real_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Loc, tuple[Any, ...]]:
    """Split pydantic's loc into the part that exists in the data and union tags."""
    real: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part != "[key]" and index == len(loc) - 1:
            real.append(part)  # a missing or unknown key: point at its parent, name it
            return tuple(real), tuple(loc[index + 1:])
        else:
            return tuple(real), tuple(loc[index:])
        real.append(part)
    return tuple(real), ()


def _expected(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        options = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"以下之一：{options.replace(', ', '、')}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "整数"
    if kind in {"float_type", "float_parsing", "finite_number"}:
        return "数字"
    if kind in {"bool_type", "bool_parsing"}:
        return "true 或 false"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return "日期，写成 2026-01-31"
    if kind == "string_type":
        return "文本"
    if kind in {"list_type"}:
        return "列表（每项另起一行，以“- ”开头）"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "键值表（下一行缩进两格写“键: 值”）"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不小于 {ctx.get('ge', ctx.get('gt'))} 的数"
    if kind in {"less_than_equal", "less_than"}:
        return f"不大于 {ctx.get('le', ctx.get('lt'))} 的数"
    if kind == "string_too_short":
        return "不能为空的文本"
    if kind == "string_too_long":
        return f"不超过 {ctx.get('max_length')} 个字的文本"
    if kind == "too_short":
        return f"至少 {ctx.get('min_length')} 项"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return next((hint for key, hint in _PATTERN_HINTS if key in pattern), f"符合格式 {pattern}")
    return err.get("msg", kind)


_CODES = {
    "missing": "G201", "extra_forbidden": "G202", "literal_error": "G204",
    "string_pattern_mismatch": "G205", "string_too_short": "G205", "string_too_long": "G205",
    "date_type": "G206", "date_parsing": "G206", "date_from_datetime_parsing": "G206",
    "date_from_datetime_inexact": "G206", "greater_than_equal": "G207", "less_than_equal": "G207",
    "greater_than": "G207", "less_than": "G207", "too_short": "G207",
}


def _moved_maintainers(loaded: Loaded) -> str:
    """G214: the maintainers list moved from unit.yml to site_config.yml (issue #14); the lines to write."""
    found = loaded.data.get("maintainers")
    names = [str(n) for n in found] if isinstance(found, list) else [] if found is None else [str(found)]
    quoted = ", ".join(f"'{n}'" for n in names)
    unit = loaded.path.parent.name
    return ("维护人名单 maintainers 已从 unit.yml 移到 site_config.yml（名单决定谁审核本单位的修改，须由组织部门审核），"
            "写在 unit.yml 里不再生效。请删除本文件的 maintainers 这几行，并在 site_config.yml 的“maintainers:”下"
            f"加一行“  {unit}: [{quoted}]”（还没有就先加一行顶格的“maintainers:”），"
            "然后运行 codeowners --write 重新生成 CODEOWNERS")


def _problem(loaded: Loaded, model: type[BaseModel], errs: list[dict[str, Any]]) -> Problem:
    """One problem for all pydantic errors at the same place (union members merge)."""
    first = errs[0]
    loc, _tags = _real_loc(loaded.data, tuple(first["loc"]))
    line, col = loaded.pos(loc)
    label, _owner = _field_info(model, loc)
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    name = f"“{label}”（{key}）" if label and label != key else f"“{key}”"
    kind = first["type"]
    if kind == "missing":
        return error(loaded.shown, line, col, "G201",
                     f"缺少必填字段 {name}。请在这一项下加一行“{key}: …”")
    if kind == "extra_forbidden" and model.__name__ == "UnitFile" and loc == ("maintainers",):
        return error(loaded.shown, line, col, "G214", _moved_maintainers(loaded))
    if kind == "extra_forbidden":
        allowed = _model_fields_at(model, loc)
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"是不是想写“{close[0]}”？" if close else f"允许的字段有：{'、'.join(allowed)}。"
        return error(loaded.shown, line, col, "G202", f"未知字段“{key}”。{hint}不认识的字段不会被发布，请改正或删除")
    if loc in loaded.raw_numbers and any(e["type"] == "string_type" for e in errs):
        raw = loaded.raw_numbers[loc]
        return error(loaded.shown, line, col, "G208",
                     f"{name} 应为文本，但 {raw} 被读成了数字（开头的 0 会丢失，长号码会变样）。请加引号：'{raw}'")
    if kind == "web_address":  # generator.webaddress says why
        ctx = first.get("ctx") or {}
        return error(loaded.shown, line, col, "G212", f"{name}不是可用的网址：{ctx.get('reason')}。"
                     f"实际为 {_shown(first.get('input'))}。请写成 {ctx.get('example')} 这样的地址")
    expected = "，或".join(dict.fromkeys(_expected(e) for e in errs))
    received = _shown(first.get("input"))
    if (loc and loc[-1] == "[key]") or (_tags and _tags[-1] == "[key]"):
        name = "选项名"
    code = _CODES.get(kind, "G203")
    return error(loaded.shown, line, col, code, f"{name} 期望{expected}，实际为 {received}。")


def _model_fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        cls = _model_in(current)
        if cls is None or part not in cls.model_fields:
            return []
        current = cls.model_fields[part].annotation
    cls = _model_in(current)
    return list(cls.model_fields) if cls else []


@cache
def _blank_rules(model: type[BaseModel]) -> dict[str, tuple[bool, type[BaseModel] | None]]:
    """Per field of ``model``: whether ``""`` may be dropped (it is optional), and the model inside it.

    Worked out once per model: asked per key, ``_model_in`` was 7 % of a cold check (py-spy).
    """
    return {name: (not info.is_required(), _model_in(info.annotation)) for name, info in model.model_fields.items()}


def without_blanks(data: Any, model: type[BaseModel]) -> Any:
    """``data`` less the optional keys whose value is ``""``: an emptied field is an absent one.

    The web editor (Decap CMS) writes ``key: ""`` when a clerk clears an optional field or
    presses 清除 on a date, and its form cannot remove the key again (issue #14).
    """
    if not isinstance(data, dict):
        return data
    rules = _blank_rules(model)
    out: dict[str, Any] = {}
    for key, value in data.items():
        rule = rules.get(key)
        if rule is None:  # an unknown key: kept for pydantic to refuse
            out[key] = value
            continue
        optional, cls = rule
        if optional and value == "":
            continue
        if cls is not None and isinstance(value, list):
            value = [without_blanks(item, cls) for item in value]
        elif cls is not None:
            value = without_blanks(value, cls)
        elif isinstance(value, dict):  # counts: an emptied number is no votes
            value = {k: v for k, v in value.items() if v != ""}
        out[key] = value
    return out


def validate(loaded: Loaded, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate ``loaded.data`` against ``model``; return the object or the problems."""
    try:
        data = without_blanks(loaded.data, model) if loaded.blanks else loaded.data  # without any: the same
        return model.model_validate(data), []
    except ValidationError as exc:
        groups: dict[tuple[Loc, str], list[dict[str, Any]]] = {}
        for err in exc.errors(include_url=False):
            loc, _ = _real_loc(loaded.data, tuple(err["loc"]))
            bucket = "extra" if err["type"] == "extra_forbidden" else "value"
            groups.setdefault((loc, bucket), []).append(dict(err))
        return None, [_problem(loaded, model, errs) for errs in groups.values()]
