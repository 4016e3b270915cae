"""Common edits as commands: a pledge's progress, fulfilment, rating and withdrawal; closing a rectification.

Each function loads one file in round-trip mode, changes one item and returns the
new text for :func:`.apply.apply_changes`. Nothing else in the file moves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import schema
from .apply import unit_folder
from .yamlio import StaffError, append_item, dump, find, load, set_field, value_for

DONE = {"已完成", "已评议"}


def _step(date: dt.date, event: str, evidence: str | None, link: str | None) -> CommentedMap:
    step = CommentedMap()
    for key, value in (("date", date), ("event", event), ("evidence", evidence), ("link", link)):
        if value:
            step[key] = value_for(key, value)
    return step


def _add_step(pledge: CommentedMap, step: CommentedMap) -> None:
    if pledge.get("timeline"):
        append_item(pledge, "timeline", step)
    else:
        set_field(pledge, "timeline", CommentedSeq([step]), schema.Pledge)


def _pledge(root: Path, unit_id: str, pledge_id: str) -> tuple[Path, CommentedMap, CommentedMap]:
    path = unit_folder(root, unit_id) / "pledges.yml"
    doc = load(path)
    return path, doc, find(doc, "pledges", pledge_id, "承诺")


def fulfil(root: Path, unit_id: str, pledge_id: str, *, date: dt.date, evidence: str,
           event: str | None = None, link: str | None = None, outcome: str | None = None) -> dict[Path, str]:
    """Mark a pledge 已完成 on ``date``, with its evidence in the timeline (and its outcome, if rated)."""
    path, doc, pledge = _pledge(root, unit_id, pledge_id)
    status = str(pledge.get("status"))
    if status == "已撤回":
        raise StaffError(f"承诺“{pledge_id}”已撤回，不能再标记为完成", "G707")
    if status in DONE:
        raise StaffError(f"承诺“{pledge_id}”已经是“{status}”（完成日期 {pledge.get('completed_on')}）。"
                         "如需补充进展请用 python build.py progress", "G706")
    set_field(pledge, "status", "已完成", schema.Pledge)
    if outcome:
        set_field(pledge, "outcome", outcome, schema.Pledge)
    set_field(pledge, "completed_on", date, schema.Pledge)
    _add_step(pledge, _step(date, event or "承诺已完成", evidence, link))
    return {path: dump(doc)}


def progress(root: Path, unit_id: str, pledge_id: str, *, date: dt.date, event: str,
             evidence: str | None = None, link: str | None = None) -> dict[Path, str]:
    """Add a step to a pledge's timeline; a published pledge becomes 履行中."""
    path, doc, pledge = _pledge(root, unit_id, pledge_id)
    if str(pledge.get("status")) == "已公开":
        set_field(pledge, "status", "履行中", schema.Pledge)
    _add_step(pledge, _step(date, event, evidence, link))
    return {path: dump(doc)}


def rate(root: Path, unit_id: str, pledge_id: str, *, outcome: str) -> dict[Path, str]:
    """Record the evaluated outcome (已兑现 / 部分兑现 / 未兑现); the pledge becomes 已评议."""
    path, doc, pledge = _pledge(root, unit_id, pledge_id)
    status = str(pledge.get("status"))
    if status not in DONE:
        raise StaffError(f"承诺“{pledge_id}”的状态是“{status}”。只有已完成的承诺才能评定兑现情况，"
                         "请先用 python build.py fulfil 标记完成", "G707")
    set_field(pledge, "status", "已评议", schema.Pledge)
    set_field(pledge, "outcome", outcome, schema.Pledge)
    return {path: dump(doc)}


def withdraw(root: Path, unit_id: str, pledge_id: str, *, date: dt.date, reason: str) -> dict[Path, str]:
    """Withdraw a pledge with its reason; nothing is deleted."""
    path, doc, pledge = _pledge(root, unit_id, pledge_id)
    if str(pledge.get("status")) in DONE:
        raise StaffError(f"承诺“{pledge_id}”已经完成，不能撤回", "G707")
    set_field(pledge, "status", "已撤回", schema.Pledge)
    set_field(pledge, "withdrawn_reason", reason, schema.Pledge)
    _add_step(pledge, _step(date, f"撤回：{reason}", None, None))
    return {path: dump(doc)}


def close(root: Path, unit_id: str, rect_id: str, *, date: dt.date, result: str) -> dict[Path, str]:
    """Close a rectification: 已完成 on ``date`` with its result."""
    path = unit_folder(root, unit_id) / "rectifications.yml"
    doc = load(path)
    item = find(doc, "rectifications", rect_id, "整改")
    if str(item.get("status")) == "已完成":
        raise StaffError(f"整改“{rect_id}”已经是“已完成”（完成日期 {item.get('closed_on')}）", "G706")
    set_field(item, "status", "已完成", schema.Rectification)
    set_field(item, "closed_on", date, schema.Rectification)
    set_field(item, "result", result, schema.Rectification)
    return {path: dump(doc)}
