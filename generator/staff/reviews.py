"""``import-reviews``: peer and self-review grades (one member per row) into evaluations.yml.

Every row is validated first and every wrong row reported by number; nothing is
written until all pass, and then through :func:`.apply.apply_changes` (check first,
atomic write). Columns are read by :mod:`.columns` (等次 / 评议等次 / 评定等次 …).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..model import Site
from .apply import unit_folder
from .columns import REVIEW_ROLES, assign, known, useful
from .rows import ImportFailed, Rows, find_period, member_lookup, member_of, same
from .tables import Table, read_table, text_of
from .yamlio import StaffError, append_item, dump, give_trailing, load, take_trailing, value_for

GRADES = ("优秀", "合格", "基本合格", "不合格")


def review_rows(table: Table, site: Site, unit_id: str, default_kind: str) -> list[dict[str, Any]]:
    """One review per row: member, kind, grade, optional score and summary; every bad row reported."""
    rows, lookup, cols = Rows(table), member_lookup(site, unit_id), assign(table, REVIEW_ROLES)
    member_col, grade_col = cols.get("member"), cols.get("grade")
    if not member_col or not grade_col:
        raise StaffError(f"{table.shown} 需要“成员编号”（或工号、服务卡号、姓名）列和“等次”列。现有列：{'、'.join(table.columns)}", "G704")
    score_col, note_col, kind_col = cols.get("score"), cols.get("summary"), cols.get("kind")
    found: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for n, cells in table.rows:
        member = member_of(rows, n, member_col, cells, lookup)
        if member is None:
            rows.bad(n, member_col, "成员不能为空")
        grade = text_of(cells.get(grade_col))
        kind = (text_of(cells.get(kind_col)) if kind_col else "") or default_kind
        if grade not in GRADES:
            rows.bad(n, grade_col, f"期望 {'、'.join(GRADES)} 之一，实际为“{grade}”")
        if kind not in {"互评", "自评"}:
            rows.bad(n, str(kind_col), f"期望 互评 或 自评，实际为“{kind}”")
        score = _score(rows, n, score_col, cells)
        if member and (member, kind) in seen:
            rows.bad(n, member_col, f"成员 {member} 的{kind}在第 {seen[member, kind]} 行已经有了")
        if member:
            seen[member, kind] = n
        found.append({"member": member, "kind": kind, "grade": grade, "score": score,
                      "summary": (text_of(cells.get(note_col)) if note_col else "") or None})
    if rows.problems:
        raise ImportFailed(rows.problems)
    return found


def _score(rows: Rows, n: int, column: str | None, cells: Mapping[str, Any]) -> float | int | None:
    text = text_of(cells.get(column)) if column else ""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        rows.bad(n, str(column), f"得分应是 0 到 100 之间的数，实际为“{text}”")
        return None
    return int(value) if value.is_integer() else value


def import_reviews(root: Path, site: Site, file: Path, *, unit_id: str, period_id: str, kind: str,
                   replace: bool = False, sheet: str | None = None) -> tuple[dict[Path, str], list[str]]:
    folder = unit_folder(root, unit_id)
    find_period(site, period_id)
    table = read_table(file, str(file), sheet, known, useful)
    found = review_rows(table, site, unit_id, kind)
    doc = load(folder / "evaluations.yml")
    reviews = doc.get("reviews") or []
    for row in found:
        old = next((r for r in reviews if same(r, period_id, "", row["member"], row["kind"])), None)
        if old is not None and not replace:
            raise StaffError(f"evaluations.yml 里已有 {period_id} 成员 {row['member']} 的{row['kind']}。"
                             "如要用这份文件覆盖，请加 --replace", "G706")
        item = CommentedMap({"period": period_id, "member": row["member"], "kind": row["kind"], "grade": row["grade"]})
        for key in ("score", "summary"):
            if row[key] is not None:
                item[key] = row[key]
        item = CommentedMap((k, value_for(k, v)) for k, v in item.items())
        if old is not None:
            index = next(i for i, r in enumerate(reviews) if r is old)
            tail = take_trailing(old)
            reviews[index] = item
            give_trailing(item, tail)
        else:
            append_item(doc, "reviews", item)
    cols = assign(table, REVIEW_ROLES)
    summary = [f"读取 {table.shown}：", *(f"  {note}" for note in table.notes), "  各列的读法：",
               *(f"    {line}" for line in cols.lines), f"导入结果（{period_id}，共 {len(found)} 人次）："]
    summary += [f"  {r['member']}：{r['kind']} {r['grade']}" + (f" {r['score']} 分" if r["score"] is not None else "")
                for r in found]
    summary += [f"注意：{warning}" for warning in cols.warnings]
    return {folder / "evaluations.yml": dump(doc)}, summary
