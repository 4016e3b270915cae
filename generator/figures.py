"""Stage 4, figures: every number the site and boards show, computed once.

Definitions (shown on the site's 关于 page, see :data:`FORMULAS`):

* 践诺率 = pledges rated 已兑现 ÷ pledges made public in the year (withdrawn and
  not-yet-public ones excluded). Overdue = due before the as-of date and still
  已公开 or 履行中.
* 群众满意率 = (满意 + 基本满意, plus 非常满意 on the 5-level scale) ÷ all answers, or
  满意 (+ 非常满意) alone when ``satisfaction.formula`` is 仅满意. Unit-level survey
  entries only; per-member entries are a breakdown shown on member pages.
* 岗位能手比率 = members holding the configured title in the year ÷ members.
* Roll-ups follow the unit tree: a parent's figures are the sums over its subtree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import schema
from .model import Site, Unit

FORMULAS = {
    "践诺率": "评定为“已兑现”的承诺数 ÷ 本年度已公开的承诺数（已撤回、未公开的不计）",
    "逾期承诺": "完成期限早于统计截止日期、且仍为“已公开”或“履行中”的承诺",
    "群众满意率": "（满意 + 基本满意）÷ 全部评价数；五级评价时“非常满意”计入满意；可设置为仅计“满意”",
    "岗位能手比率": "本年度获得“岗位能手”称号的成员数 ÷ 成员数",
    "汇总": "上级单位的数字是其全部下级单位（含自身）之和（一级抓一级）",
}


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    target: float | None = None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def meets(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target - 1e-9

    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass(frozen=True)
class Figures:
    """Figures of one unit, alone (``own``) or with its subtree (``rolled up``)."""

    unit_id: str
    rolled_up: bool
    year: int
    period_id: str
    members: int
    party_members: int
    pledges: int  # counted (public, not withdrawn) pledges of the year
    kept: int
    partly_kept: int
    not_kept: int
    not_rated: int
    overdue: int
    withdrawn: int
    fulfilment: Rate
    answers: dict[str, int] = field(default_factory=dict)
    satisfaction: Rate = Rate(0, 0)
    skilled: Rate = Rate(0, 0)
    stars: int | None = None
    rect_open: int = 0
    rect_closed: int = 0
    rect_overdue: int = 0
    grade: str | None = None  # the latest yearly grade up to this year, e.g. "2025 一般"


def satisfied(answers: dict[str, int], formula: str) -> int:
    keys = {"非常满意", "满意"} if formula == "仅满意" else {"非常满意", "满意", "基本满意"}
    return sum(n for a, n in answers.items() if a in keys)


def answers_of(surveys: Iterable[schema.Survey], period_id: str) -> dict[str, int]:
    total: Counter[str] = Counter()
    for s in surveys:
        if s.period == period_id:
            total.update(s.counts)
    return dict(total)


def _skilled_ids(unit: Unit, title: str, year: int) -> set[str]:
    return {a.member for a in unit.compare.awards if a.member and a.title == title and a.date.year == year}


def _compute(site: Site, units: list[Unit], unit_id: str, rolled_up: bool, period_id: str) -> Figures:
    cfg = site.config
    year = site.period_by_id(period_id).end.year
    pledges = [p for u in units for p in u.pledges if p.year == year]
    counted = [p for p in pledges if p.counted]
    outcomes = Counter(p.data.outcome for p in counted)
    answers: Counter[str] = Counter()
    for u in units:
        answers.update(answers_of(u.surveys_of(None), period_id))
    members = [m for u in units for m in u.members]
    skilled = sum(len(_skilled_ids(u, cfg.targets.skill_title, year) & {m.id for m in u.members}) for u in units)
    rects = [r for u in units for r in u.rectifications]
    own = units[0]
    stars = next((s.stars for s in own.compare.stars if s.period == period_id), None)
    graded = sorted((g.year, g.grade) for g in own.grading.grading if g.year <= year)
    grade = f"{graded[-1][0]} {graded[-1][1]}" if graded else None
    return Figures(
        unit_id=unit_id, rolled_up=rolled_up, year=year, period_id=period_id,
        members=len(members), party_members=sum(m.is_party for m in members),
        pledges=len(counted), kept=outcomes["已兑现"], partly_kept=outcomes["部分兑现"],
        not_kept=outcomes["未兑现"], not_rated=outcomes[None],
        overdue=sum(p.overdue for p in counted),
        withdrawn=sum(p.data.status == "已撤回" for p in pledges),
        fulfilment=Rate(outcomes["已兑现"], len(counted), cfg.targets.fulfilment),
        answers=dict(answers),
        satisfaction=Rate(satisfied(answers, cfg.satisfaction.formula), sum(answers.values()),
                          cfg.targets.satisfaction),
        skilled=Rate(skilled, len(members), cfg.targets.skill_ratio),
        stars=stars, grade=grade,
        rect_open=sum(r.data.status != "已完成" for r in rects),
        rect_closed=sum(r.data.status == "已完成" for r in rects),
        rect_overdue=sum(r.overdue for r in rects),
    )


def unit_figures(site: Site, unit_id: str, period_id: str | None = None) -> Figures:
    """Figures of the unit alone."""
    return _compute(site, [site.units[unit_id]], unit_id, False, period_id or site.period.id)


def rolled_up(site: Site, unit_id: str, period_id: str | None = None) -> Figures:
    """Figures of the unit and its whole subtree."""
    return _compute(site, list(site.subtree(unit_id)), unit_id, True, period_id or site.period.id)


def site_figures(site: Site, period_id: str | None = None) -> Figures:
    """Totals over every unit."""
    return _compute(site, list(site.units.values()), "", True, period_id or site.period.id)


def all_figures(site: Site) -> dict[str, tuple[Figures, Figures]]:
    """``unit id -> (own, rolled up)`` for the current period, computed bottom-up once."""
    result: dict[str, tuple[Figures, Figures]] = {}
    for unit_id in site.units:
        result[unit_id] = (unit_figures(site, unit_id), rolled_up(site, unit_id))
    return result


def grade_shares(site: Site) -> dict[int, tuple[int, int]]:
    """``year -> (units graded 先进, units graded)``."""
    shares: dict[int, list[int]] = {}
    for unit in site.units.values():
        for g in unit.grading.grading:
            counts = shares.setdefault(g.year, [0, 0])
            counts[0] += g.grade == "先进"
            counts[1] += 1
    return {year: (a, n) for year, (a, n) in sorted(shares.items())}


def member_satisfaction(site: Site, unit: Unit, member_id: str) -> Rate:
    answers = answers_of(unit.surveys_of(member_id), site.period.id)
    return Rate(satisfied(answers, site.config.satisfaction.formula), sum(answers.values()),
                site.config.targets.satisfaction)
