"""Reminders for the office: pledges and rectifications falling due soon, and those overdue.

"Soon" is ``reminders.days`` after the as-of date (a setting). A pledge is listed while
it is still being fulfilled (已公开 or 履行中) and not yet rated; a rectification while
it is not 已完成. Pledges of members who did not consent are left out everywhere: the
reminders page and its files are as public as the pledge ledger.

Two groupings: by unit (the page, the ledgers) and by the unit's maintainers (the
accounts in ``maintainers`` of site_config.yml who edit its content). Maintainers' accounts are never
published (see :mod:`generator.published`), so that grouping exists only in
``build.py remind``'s output, which the office keeps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Site, Unit

OPEN_PLEDGE = frozenset({"已公开", "履行中"})


@dataclass(frozen=True)
class Reminder:
    """One item to remind a unit of."""

    unit_id: str
    kind: str  # "承诺" or "整改"
    item_id: str
    text: str  # the pledge, or the problem to fix
    who: str  # the member, 党组织, or the responsible leader / person
    due: dt.date
    status: str
    days_left: int  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def when(self) -> str:
        """ "逾期 3 天", "今天到期", "还有 5 天"."""
        if self.days_left < 0:
            return f"逾期 {-self.days_left} 天"
        return "今天到期" if self.days_left == 0 else f"还有 {self.days_left} 天"


def _unit_reminders(site: Site, unit: Unit, horizon: dt.date) -> list[Reminder]:
    out = []
    for p in unit.pledges:
        if p.published and p.data.status in OPEN_PLEDGE and p.data.outcome is None and p.data.due <= horizon:
            who = p.owner.data.name if p.owner else "党组织"
            out.append(Reminder(unit.id, "承诺", p.id, p.data.text, who, p.data.due, p.data.status,
                                (p.data.due - site.as_of).days))
    for r in unit.rectifications:
        if r.data.status != "已完成" and r.data.deadline <= horizon:
            out.append(Reminder(unit.id, "整改", r.data.id, r.data.problem, f"{r.data.leader} / {r.data.person}",
                                r.data.deadline, r.data.status, (r.data.deadline - site.as_of).days))
    return sorted(out, key=lambda x: (x.due, x.kind, x.item_id))


def reminders(site: Site, days: int | None = None, unit_id: str | None = None) -> dict[str, list[Reminder]]:
    """Unit id -> its reminders (overdue first, then by due date); units with none are left out.

    ``unit_id`` limits them to one unit (each unit's workbook asks for its own: asking for all
    and filtering made 2,000 workbooks scan 2,000 units each).
    """
    horizon = site.as_of + dt.timedelta(days=site.config.reminders.days if days is None else days)
    out = {}
    for unit in site.units.values() if unit_id is None else [site.units[unit_id]]:
        items = _unit_reminders(site, unit, horizon)
        if items:
            out[unit.id] = items
    return out


def by_maintainer(site: Site, items: dict[str, list[Reminder]]) -> dict[str, list[str]]:
    """Maintainer account -> the units whose reminders they receive; units without one under "（未设置维护人）"."""
    out: dict[str, list[str]] = {}
    for unit_id in items:
        for account in site.config.maintainers.get(unit_id) or ["（未设置维护人）"]:
            out.setdefault(account, []).append(unit_id)
    return dict(sorted(out.items()))


def message(site: Site, unit_id: str, items: list[Reminder], days: int) -> str:
    """The text of one unit's reminder, ready to paste into a message."""
    unit = site.units[unit_id]
    late = sum(i.overdue for i in items)
    who = " ".join(site.config.maintainers.get(unit_id, [])) or "（未设置维护人，请在 site_config.yml 的 maintainers 中填写）"
    lines = [f"【{unit.name}】{who}",
             f"截至 {site.as_of}，以下 {len(items)} 项已逾期或将在 {days} 天内到期（其中逾期 {late} 项）："]
    for n, i in enumerate(items, 1):
        lines.append(f"{n}. [{i.kind}] {i.text[:60]}（{i.who}；期限 {i.due}，{i.when}；状态 {i.status}）")
    lines.append(f"请按期办结，或在 content/units/{unit_id}/ 更新进展。")
    return "\n".join(lines)
