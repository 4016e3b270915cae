"""Which column of an export is what: the header synonyms real exports use.

Rating devices, the 好差评 platform and hand-made summary sheets name the same
thing differently (评价 / 评价结果 / 评价等级 / 评定等次; 工号 / 工作人员 / 员工姓名;
月份 / 评价时间 / 日期; 满意 / 满意数 / 满意（次）). :func:`assign` reads each header
once, prints which column was read as what, refuses two columns that could both be
the same thing (naming their letters, G719), and warns about every non-empty column
it does not import — a column is never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tables import Table, letter
from .yamlio import StaffError

FIVE = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
MEMBER_IDS = ("成员编号", "工号", "服务卡号", "服务卡编号", "员工编号", "member")
MEMBER_NAMES = ("姓名", "工作人员", "员工姓名", "人员姓名", "被评价人", "被评价人员", "办理人员", "窗口人员", "受理人")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "time": ("评价时间", "时间", "日期", "评价日期", "时段", "统计时段", "月份", "统计月份", "评价月份", "年月", "date"),
    "answer": ("评价", "评价结果", "满意度", "评价等级", "评定等次", "满意程度", "评价结论", "answer"),
    "row_total": ("合计", "总计", "小计", "总数", "评价总数", "评价次数", "评价数", "参评人数", "总票数"),
    "grade": ("等次", "评议等次", "评定等次", "grade"),
    "score": ("得分", "分数", "评分", "score"),
    "summary": ("评语", "简要评语", "summary"),
    "kind": ("类别", "评议类别", "kind"),
    **{f"count:{a}": (a,) for a in FIVE},
}
LABELS = {"member": "成员", "time": "评价时间（对应时段）", "answer": "评价（每行一次，汇总为票数）",
          "row_total": "每行合计（用来核对）", "grade": "等次", "score": "得分", "summary": "评语", "kind": "类别",
          **{f"count:{a}": f"“{a}”票数" for a in FIVE}}
NOT_IMPORTED = {
    **dict.fromkeys(("序号", "编号", "窗口", "窗口号", "窗口名称", "单位", "单位名称", "部门", "事项名称", "办件编号",
                     "受理编号", "评价渠道", "备注"), "不导入（只在原系统里有用）"),
    **dict.fromkeys(("满意率", "满意度（%）", "满意比例", "好评率", "差评率"), "不导入（网站按票数自己算）"),
    **dict.fromkeys(("意见", "意见建议", "评价内容", "群众意见", "差评原因", "评价意见"),
                    "不导入（网站公开的是归纳后的主要意见，请在 opinions 里手工填写）"),
}
SURVEY_ROLES = ("member", "time", "answer", "row_total", *(f"count:{a}" for a in FIVE))
REVIEW_ROLES = ("member", "grade", "score", "summary", "kind")


def normal(header: str) -> str:
    """A header without spaces, unit suffixes and count words: “满意（次）”, “满意数”, “满意票数” → 满意."""
    text = re.sub(r"\s+", "", header).replace("（", "(").replace("）", ")")
    text = re.sub(r"\((次|票|人|人次|个|件)\)$", "", text)
    if text.endswith("满意") or not re.search(r"满意(票数|次数|人数|数|票)$", text):
        return text
    return re.sub(r"(票数|次数|人数|数|票)$", "", text)


def role_of(header: str, roles: tuple[str, ...]) -> str | None:
    name = normal(header)
    if "member" in roles and (name in MEMBER_IDS or name in MEMBER_NAMES):
        return "member"
    return next((r for r in roles if r != "member" and name in SYNONYMS[r]), None)


def known(header: str) -> bool:
    """Whether a cell reads like a header of some export (used to find the header row)."""
    return role_of(header, SURVEY_ROLES + REVIEW_ROLES) is not None or normal(header) in NOT_IMPORTED


def useful(header: str) -> bool:
    """Whether some import reads this column's values (other columns are only checked for being filled)."""
    return role_of(header, SURVEY_ROLES + REVIEW_ROLES) is not None


@dataclass
class Columns:
    """Role → header of the column read as it; what to print; what was left out."""

    chosen: dict[str, str] = field(default_factory=dict)
    read_as: dict[int, str] = field(default_factory=dict)  # column number → “A 列“月份”→ 评价时间”
    warnings: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [self.read_as[i] for i in sorted(self.read_as)]

    def get(self, role: str) -> str | None:
        return self.chosen.get(role)

    def counts(self) -> list[str]:
        return [self.chosen[f"count:{a}"] for a in FIVE if f"count:{a}" in self.chosen]


def _ambiguous(table: Table, headers: list[str], what: str) -> StaffError:
    shown = "和".join(f"{letter(table.columns[h])} 列“{h}”" for h in headers)
    return StaffError(f"{table.shown}：{shown}都可能是{what}，无法确定用哪一列。请删掉或改名其中一列后重新导入", "G719")


def _members(table: Table, found: list[str], out: Columns) -> None:
    ids = [h for h in found if normal(h) in MEMBER_IDS]
    names = [h for h in found if normal(h) not in MEMBER_IDS]
    for group in (ids, names):
        if len(group) > 1:
            raise _ambiguous(table, group, "成员")
    out.chosen["member"] = (ids or names)[0]
    if ids and names:
        for name in names:
            index = table.columns[name]
            out.read_as[index] = f"{letter(index)} 列“{name}”→ 不导入（已按“{ids[0]}”列找成员）"


def assign(table: Table, roles: tuple[str, ...]) -> Columns:
    """Read every header of ``table`` as one of ``roles``; refuse ambiguity (G719), warn about leftovers."""
    out, found = Columns(), {}  # type: Columns, dict[str, list[str]]
    for header in table.columns:
        role = role_of(header, roles)
        if role:
            found.setdefault(role, []).append(header)
    for role, headers in found.items():
        if role == "member":
            _members(table, headers, out)
        elif len(headers) > 1:
            raise _ambiguous(table, headers, LABELS[role])
        else:
            out.chosen[role] = headers[0]
    if "answer" in out.chosen and out.counts():
        raise _ambiguous(table, [out.chosen["answer"], *out.counts()],
                         "评价结果（“评价”列是每次评价一行的明细，票数列是汇总，一份文件只能是其中一种）")
    used = set(out.chosen.values())
    for header, index in table.columns.items():
        where = f"{letter(index)} 列“{header}”"
        if header in used:
            role = next(r for r, h in out.chosen.items() if h == header)
            out.read_as[index] = f"{where}→ {LABELS[role]}"
        elif normal(header) in NOT_IMPORTED:
            out.read_as[index] = f"{where}→ {NOT_IMPORTED[normal(header)]}"
        elif index in table.filled and index not in out.read_as:
            out.warnings.append(f"{where}有内容，但没有导入（不认识这个列名）。如果它是票数、成员或时间，"
                                "请把表头改成 docs/staff-workflow.md 里列出的名称")
    out.warnings += [f"{letter(i)} 列没有表头，但有内容，没有导入。请补上表头后重新导入" for i in table.headless]
    return out
