"""``build.py new …``: new units, members, pledges, leader comments and rectifications.

Each function returns the changes (absolute path → new file text) for
:func:`.apply.apply_changes`, which checks them before anything is written. New
items carry a short Chinese comment on every line, taken from the schema, so the
file explains itself the next time someone opens it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from .. import schema
from .apply import unit_folder, valid_id
from .yamlio import Row, StaffError, append_item, dump, load, parse_item, render, rows_for

HEADERS = {
    "unit.yml": "单位基本情况与服务标准（亮标准）。字段说明见网站“编辑指南 → 字段参考”",
    "members.yml": "成员名单（亮身份）。添加成员：python build.py new member；consent 为 false 的成员不会公开",
    "pledges.yml": "承诺台账（亮承诺）。添加：python build.py new pledge；兑现：python build.py fulfil",
    "compare.yml": "三比（比技能、比作风、比业绩）：竞赛成绩、作风表现、星级评定、荣誉、流动红旗",
    "evaluations.yml": "三评：群众评议（python build.py import-survey 导入）、党员互评（import-reviews）、领导点评（new comment）",
    "rectifications.yml": "整改台账：问题、措施、时限、责任领导、责任人“四明确”。添加：new rectification；完成：close",
    "grading.yml": "晋位升级：每年定级（先进、一般、后进）、七项指标说明、晋位升级措施",
}
EMPTY = {"members.yml": "members", "pledges.yml": "pledges", "evaluations.yml": "surveys",
         "rectifications.yml": "rectifications", "grading.yml": "grading", "compare.yml": "contests"}
EMPTY_EXTRA = {"evaluations.yml": ["reviews", "comments"], "compare.yml": ["conduct", "stars", "awards", "red_flags"]}
COMMENT_ABBR = {"集中点评": "jz", "个别点评": "gb", "随机点评": "sj", "现场点评": "xc"}


def header(name: str) -> str:
    schema_name = name.removesuffix(".yml")
    return f"# yaml-language-server: $schema=../../../schema/{schema_name}.schema.json\n# {HEADERS[name]}\n"


def _slug(value: str, what: str) -> str:
    return valid_id(value, what)


def new_unit(root: Path, unit_id: str, values: dict[str, Any]) -> dict[Path, str]:
    """A new unit folder: unit.yml with the given fields, the other files empty but commented."""
    _slug(unit_id, "单位编号")
    folder = root.resolve() / "content" / "units" / unit_id
    if folder.exists():
        raise StaffError(f"单位“{unit_id}”已经存在：{folder}", "G706")
    rows = rows_for(schema.UnitFile, values)
    hint = "# 还可以填写：description 简介、address 地址、hours 办公时间、phone 咨询电话、party_org 党组织、services 服务事项等\n"
    changes = {folder / "unit.yml": header("unit.yml") + "\n".join(render(rows, 0)) + "\n" + hint}
    for name, key in EMPTY.items():
        keys = [key, *EMPTY_EXTRA.get(name, [])]
        changes[folder / name] = header(name) + "".join(f"{k}: []\n" for k in keys)
    return changes


def add_maintainers(root: Path, unit_id: str, handles: list[str]) -> dict[Path, str]:
    """site_config.yml with ``maintainers: {unit_id: [...]}`` set, comments and order kept (issue #14).

    The list lives in the office's file, not in unit.yml, so that CODEOWNERS can leave
    unit.yml to the unit while the office alone approves who reviews a unit.
    """
    path = root.resolve() / "site_config.yml"
    doc = load(path)
    listed = doc.get("maintainers")
    if not isinstance(listed, CommentedMap) or not listed:  # absent, or `maintainers: {}` of gongshi init
        listed = CommentedMap()
        doc["maintainers"] = listed
    accounts = CommentedSeq(SingleQuotedScalarString(h) for h in handles)
    accounts.fa.set_flow_style()
    listed[unit_id] = accounts
    return {path: dump(doc)}


def _add(folder: Path, file: str, list_key: str, rows: list[Row]) -> dict[Path, str]:
    doc = load(folder / file)
    if not doc:
        for key in [EMPTY.get(file, list_key), *EMPTY_EXTRA.get(file, [])]:
            doc[key] = CommentedSeq()
    append_item(doc, list_key, parse_item(list_key, rows))
    text = dump(doc)
    if not (folder / file).exists():
        text = header(file) + text
    return {folder / file: text}


def _ids(folder: Path, file: str, list_key: str) -> set[str]:
    return {str(item.get("id")) for item in load(folder / file).get(list_key) or [] if hasattr(item, "get")}


def _check_member(folder: Path, member: str | None) -> None:
    if member is None:
        return
    members = _ids(folder, "members.yml", "members")
    if member not in members:
        known = "、".join(sorted(members)) or "（本单位还没有成员，请先 new member）"
        raise StaffError(f"成员“{member}”不在 {folder.name}/members.yml 里。可用的成员编号：{known}", "G702")


def new_member(root: Path, unit_id: str, values: dict[str, Any]) -> tuple[str, dict[Path, str]]:
    folder = unit_folder(root, unit_id)
    member_id = _slug(str(values.get("id") or ""), "成员编号")
    if member_id in _ids(folder, "members.yml", "members"):
        raise StaffError(f"成员编号“{member_id}”已在 {unit_id}/members.yml 里使用。请换一个，如 {member_id}-2", "G706")
    rows = rows_for(schema.Member, values)
    return member_id, _add(folder, "members.yml", "members", rows)


def _next_id(taken: set[str], prefix: str) -> str:
    number = 1
    while f"{prefix}-{number:02d}" in taken:
        number += 1
    return f"{prefix}-{number:02d}"


def new_pledge(root: Path, unit_id: str, values: dict[str, Any]) -> tuple[str, dict[Path, str]]:
    folder = unit_folder(root, unit_id)
    _check_member(folder, values.get("member"))
    taken = _ids(folder, "pledges.yml", "pledges")
    made: dt.date = values["made"]
    owner = str(values["member"]).split("-")[0] if values.get("member") else "org"
    pledge_id = values.get("id") or _next_id(taken, f"{made.year}-{owner}")
    if pledge_id in taken:
        raise StaffError(f"承诺编号“{pledge_id}”已被使用。请换一个，或不填 --id 让工具自动编号", "G706")
    values = {**values, "id": _slug(pledge_id, "承诺编号")}
    comments = {"id": "承诺编号（自动生成，本单位内不重复）"}
    if not values.get("member"):
        comments["kind"] = "党组织承诺（不填 member）；承诺类别：年度承诺、即时承诺"
    rows = rows_for(schema.Pledge, values, comments)
    return pledge_id, _add(folder, "pledges.yml", "pledges", rows)


def new_comment(root: Path, unit_id: str, values: dict[str, Any]) -> tuple[str, dict[Path, str]]:
    folder = unit_folder(root, unit_id)
    _check_member(folder, values.get("member"))
    taken = _ids(folder, "evaluations.yml", "comments")
    date: dt.date = values["date"]
    base = f"{date:%Y-%m}-{COMMENT_ABBR.get(values['kind'], 'dp')}"
    comment_id = values.get("id") or next(c for c in [base, *(f"{base}-{n}" for n in range(2, 100))] if c not in taken)
    if comment_id in taken:
        raise StaffError(f"点评编号“{comment_id}”已被使用。请换一个，或不填 --id 让工具自动编号", "G706")
    values = {**values, "id": _slug(comment_id, "点评编号")}
    rows = rows_for(schema.Comment, values, {"id": "点评编号（整改台账引用它）"})
    return comment_id, _add(folder, "evaluations.yml", "comments", rows)


def new_rectification(root: Path, unit_id: str, values: dict[str, Any]) -> tuple[str, dict[Path, str]]:
    folder = unit_folder(root, unit_id)
    taken = _ids(folder, "rectifications.yml", "rectifications")
    deadline: dt.date = values["deadline"]
    rect_id = values.get("id") or _next_id(taken, f"zg-{deadline.year}")
    if rect_id in taken:
        raise StaffError(f"整改编号“{rect_id}”已被使用。请换一个，或不填 --id 让工具自动编号", "G706")
    source = values.pop("source")
    values = {**values, "id": _slug(rect_id, "整改编号"),
              "source": rows_for(schema.Source, source, {"ref": "来源编号：领导点评填点评编号，群众评议填时段编号"})}
    rows = rows_for(schema.Rectification, values)
    return rect_id, _add(folder, "rectifications.yml", "rectifications", rows)
