"""``import-survey`` and ``import-reviews``: spreadsheet exports into evaluations.yml.

Every row is validated first; if any row is wrong, every wrong row is reported by
its row number (``file:row:col: [error] 第 N 行“列”列：… (G705)``) and nothing
is written. Only then is evaluations.yml changed, in one atomic write that
:func:`.apply.apply_changes` checks first. Columns are documented in
docs/staff-workflow.md; examples ship in docs/examples/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from ..errors import Problem, error
from ..model import Site
from ..settings import Period
from .apply import unit_folder
from .tables import Table, read_table, text_of
from .yamlio import StaffError, append_item, dump, give_trailing, load, take_trailing, value_for

MEMBER_COLUMNS = ("成员编号", "工号", "服务卡号", "员工编号", "姓名", "member")
TIME_COLUMNS = ("时间", "评价时间", "日期", "时段", "date")
ANSWER_COLUMNS = ("评价", "评价结果", "满意度", "answer")
FIVE = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
THREE = ("满意", "基本满意", "不满意")
GRADES = ("优秀", "合格", "基本合格", "不合格")


class ImportFailed(StaffError):
    """Some rows are wrong; ``problems`` names each by row and column. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"导入文件有 {len(problems)} 处错误，没有写入任何文件。请改正后重新导入", "G705")
        self.problems = problems


@dataclass
class Rows:
    """Problems found while reading a table, each at its row and column."""

    table: Table
    problems: list[Problem] = field(default_factory=list)

    def bad(self, row: int, column: str, message: str) -> None:
        col = self.table.columns.get(column, 1)
        self.problems.append(error(self.table.shown, row, col, "G705", f"第 {row} 行“{column}”列：{message}"))


def member_lookup(site: Site, unit_id: str) -> dict[str, str | None]:
    """Member id, service card number or (unique) name → member id; an ambiguous name → None."""
    lookup: dict[str, str | None] = {}
    names = Counter(m.data.name for m in site.units[unit_id].members)
    for person in site.units[unit_id].members:
        lookup[person.id] = person.id
        if person.data.card_no:
            lookup.setdefault(person.data.card_no, person.id)
        lookup.setdefault(person.data.name, person.id if names[person.data.name] == 1 else None)
    return lookup


def _member(rows: Rows, n: int, column: str | None, cells: dict[str, Any], lookup: dict[str, str | None]) -> Any:
    """The member id of a row, None for a unit-level row, or False after reporting a problem."""
    text = text_of(cells.get(column)) if column else ""
    if not text:
        return None
    if text not in lookup:
        rows.bad(n, str(column), f"找不到成员“{text}”。请填写本单位 members.yml 里的成员编号、服务卡号或姓名")
        return False
    if lookup[text] is None:
        rows.bad(n, str(column), f"本单位有两位成员都叫“{text}”，请改填成员编号或服务卡号")
        return False
    return lookup[text]


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def when_problem(cell: Any, period: Period) -> str | None:
    """Why a time cell is not inside ``period`` (None when it is, or is empty)."""
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        first = last = cell
    else:
        text = text_of(cell)
        if text in {"", period.id, period.name}:
            return None
        m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2}))?", text)
        if not m:
            return f"无法识别的时间“{text}”。请用 2026-07-03、2026-07 这样的格式，或填写时段编号 {period.id}"
        year, month, day = int(m[1]), int(m[2]), m[3]
        try:
            first = dt.date(year, month, int(day) if day else 1)
            last = first if day else _month_end(year, month)
        except ValueError:
            return f"日期“{text}”不存在"
    if last < period.start or first > period.end:
        return f"{text_of(cell)} 不在时段 {period.id}（{period.start} 至 {period.end}）内。请只导出本时段的数据，或改用正确的 --period"
    return None


def _count(rows: Rows, n: int, column: str, cell: Any) -> int:
    text = text_of(cell)
    if not text:
        return 0
    if re.fullmatch(r"[0-9]{1,9}", text):
        return int(text)
    rows.bad(n, column, f"票数应是不小于 0 的整数，实际为“{text}”")
    return 0


def _period(site: Site, period_id: str) -> Period:
    for period in site.config.periods:
        if period.id == period_id:
            return period
    known = "、".join(p.id for p in site.config.periods)
    raise StaffError(f"时段“{period_id}”没有在 site_config.yml 的 periods 里定义。可用：{known}", "G707")


def survey_counts(table: Table, site: Site, unit_id: str, period: Period) -> dict[str | None, Counter[str]]:
    """Answers per member (None: the whole unit) from a per-rating log or a table of counts."""
    scale = FIVE if site.config.satisfaction.scale == "五级" else THREE
    answer_col = table.column(*ANSWER_COLUMNS)
    count_cols = [a for a in FIVE if a in table.columns]
    if not answer_col and not count_cols:
        raise StaffError(f"{table.shown} 里找不到评价列：每次评价一行的明细需要“评价”列；汇总表需要“满意”“基本满意”“不满意”等票数列。"
                         f"现有列：{'、'.join(table.columns)}", "G704")
    rows, lookup = Rows(table), member_lookup(site, unit_id)
    member_col, time_col = table.column(*MEMBER_COLUMNS), table.column(*TIME_COLUMNS)
    totals: dict[str | None, Counter[str]] = {None: Counter()}
    for n, cells in table.rows:
        member = _member(rows, n, member_col, cells, lookup)
        problem = when_problem(cells.get(time_col), period) if time_col else None
        if problem:
            rows.bad(n, str(time_col), problem)
        found = _answers(rows, n, cells, answer_col, count_cols, scale)
        if member is False or problem or found is None:
            continue
        for who in {None, member}:
            totals.setdefault(who, Counter()).update(found)
    if rows.problems:
        raise ImportFailed(rows.problems)
    return totals


def _answers(rows: Rows, n: int, cells: dict[str, Any], answer_col: str | None, count_cols: list[str],
             scale: tuple[str, ...]) -> Counter[str] | None:
    before = len(rows.problems)
    found: Counter[str] = Counter()
    if answer_col:
        text = text_of(cells.get(answer_col))
        if text in scale:
            found[text] += 1
        else:
            rows.bad(n, answer_col, f"期望 {'、'.join(scale)} 之一，实际为“{text}”")
    for column in count_cols:
        if column not in scale and text_of(cells.get(column)) not in {"", "0"}:
            rows.bad(n, column, f"“{column}”属于五级评价，但站点设置为三级（满意/基本满意/不满意）")
        found[column] += _count(rows, n, column, cells.get(column))
    return found if len(rows.problems) == before else None


def _survey_item(period: str, channel: str, member: str | None, counts: Counter[str], shape: tuple[str, ...]) -> CommentedMap:
    item = CommentedMap()
    item["period"] = value_for("period", period)
    item["channel"] = channel
    if member:
        item["member"] = value_for("member", member)
    item["counts"] = CommentedMap((a, counts[a]) for a in FIVE if a in shape or counts[a])
    return item


def _same(item: Any, period: str, channel: str, member: str | None, kind: str | None = None) -> bool:
    return (str(item.get("period")) == period and item.get("member") == member
            and (kind is None or item.get("kind") == kind) and (channel == "" or item.get("channel") == channel))


def import_survey(root: Path, site: Site, file: Path, *, unit_id: str, period_id: str, channel: str,
                  replace: bool = False, sheet: str | None = None) -> tuple[dict[Path, str], list[str]]:
    """The new evaluations.yml (not yet written) and Chinese lines saying what was imported."""
    folder = unit_folder(root, unit_id)
    period = _period(site, period_id)
    table = read_table(file, str(file), sheet)
    totals = survey_counts(table, site, unit_id, period)
    if not sum(totals[None].values()):
        raise StaffError(f"{table.shown} 没有任何评价数据", "G704")
    doc = load(folder / "evaluations.yml")
    shape = tuple(a for a in FIVE if a in table.columns) or THREE
    order = [None, *(m.id for m in site.units[unit_id].members if m.id in totals)]
    summary = []
    for member in order:
        new = _survey_item(period_id, channel, member, totals[member], shape)
        old = next((s for s in doc.get("surveys") or [] if _same(s, period_id, channel, member)), None)
        if old is not None and not replace:
            who = f"成员 {member}" if member else "单位整体"
            raise StaffError(f"evaluations.yml 里已有 {period_id}“{channel}”{who}的评议结果。"
                             "如要用这份文件覆盖，请加 --replace", "G706")
        if old is not None:
            tail = take_trailing(old["counts"])
            old["counts"] = new["counts"]
            give_trailing(old["counts"], tail)
        else:
            append_item(doc, "surveys", new)
        summary.append(f"{member or '单位整体'}：" + "，".join(f"{a} {n}" for a, n in new["counts"].items()))
    if "意见" in table.columns:
        summary.append("“意见”列没有导入：网站公开的是归纳后的主要意见，请在 opinions 里手工填写")
    return {folder / "evaluations.yml": dump(doc)}, summary


def review_rows(table: Table, site: Site, unit_id: str, default_kind: str) -> list[dict[str, Any]]:
    """One review per row: member, kind, grade, optional score and summary; every bad row reported."""
    rows, lookup = Rows(table), member_lookup(site, unit_id)
    member_col, grade_col = table.column(*MEMBER_COLUMNS), table.column("等次", "评议等次", "grade")
    if not member_col or not grade_col:
        raise StaffError(f"{table.shown} 需要“成员编号”（或工号、服务卡号、姓名）列和“等次”列。现有列：{'、'.join(table.columns)}", "G704")
    score_col, note_col, kind_col = table.column("得分", "分数", "score"), table.column("评语", "summary"), table.column("类别", "kind")
    found: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for n, cells in table.rows:
        member = _member(rows, n, member_col, cells, lookup)
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


def _score(rows: Rows, n: int, column: str | None, cells: dict[str, Any]) -> float | int | None:
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
    _period(site, period_id)
    found = review_rows(read_table(file, str(file), sheet), site, unit_id, kind)
    doc = load(folder / "evaluations.yml")
    reviews = doc.get("reviews") or []
    for row in found:
        old = next((r for r in reviews if _same(r, period_id, "", row["member"], row["kind"])), None)
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
    summary = [f"{r['member']}：{r['kind']} {r['grade']}" + (f" {r['score']} 分" if r["score"] is not None else "")
               for r in found]
    return {folder / "evaluations.yml": dump(doc)}, summary
