"""Stage 4, figures: every number the site and boards show, computed once.

:func:`tabulate` makes a site's :class:`FigureTable` right after the model (it is kept as
:attr:`generator.model.Site.figures`): each unit's figures alone and with its subtree, in
every period, and the totals, summed bottom-up from :mod:`generator.tally`. ``unit_figures``,
``rolled_up`` and ``site_figures`` only look them up.

Definitions (shown on the site's 关于 page, see :data:`FORMULAS`):

* 践诺率 = pledges rated 已兑现 ÷ pledges of the year that have fallen due by the
  as-of date (due on or before it, or already rated); withdrawn and not-yet-public
  ones excluded. This is how offices report it (seed 003: 4,842 kept of about 6,820
  due → 71 %); ``figures.fulfilment_base: 全年`` divides by every public pledge of the
  year instead. Overdue = due before the as-of date and still 已公开 or 履行中.
* 群众满意率 = (满意 + 基本满意, plus 非常满意 on the 5-level scale) ÷ all answers, or
  满意 (+ 非常满意) alone when ``satisfaction.formula`` is 仅满意. Unit-level survey
  entries only; per-member entries are a breakdown shown on member pages.
* 岗位能手比率 = party members (中共党员, 预备党员) holding the configured title in the year ÷ party
  members: seed 002 sets its 98 % target for “窗口单位在职党员岗位能手比率”.
* Roll-ups follow the unit tree: a parent's figures are the sums over its subtree.

Percentages are printed with ``figures.percent_decimals`` places, rounded half up as
offices round (70.5 % → 71 %), not to even as Python's ``round`` does; the exact
numerator and denominator are kept beside every rate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

from . import schema
from .rates import Rate, percent_text
from .settings import SiteConfig
from .tally import Tally, unit_counts

if TYPE_CHECKING:  # only for the types: the model imports this module to make its table
    from .model import Site, Unit
    from .modelmemo import ModelMemo

FULFILMENT = {  # figures.fulfilment_base -> the 践诺率 formula as the about page states it
    "已到期": "评定为“已兑现”的承诺数 ÷ 本年度已到期的承诺数。已到期：完成期限在统计截止日期当天或之前，"
              "或已经评定兑现情况（提前评定的计入）；已撤回、未公开的不计。"
              "可设置为 ÷ 本年度全部公开承诺数（figures.fulfilment_base: 全年）",
    "全年": "评定为“已兑现”的承诺数 ÷ 本年度全部公开承诺数（含尚未到期的；已撤回、未公开的不计）。"
            "本站按设置 figures.fulfilment_base: 全年 计算；默认算法只除以已到期的承诺",
}
FORMULAS = {
    "践诺率": FULFILMENT["已到期"],
    "未到期承诺": "本年度已公开、完成期限在统计截止日期之后且尚未评定的承诺，不计入践诺率",
    "逾期承诺": "完成期限早于统计截止日期、且仍为“已公开”或“履行中”的承诺（各年度的，不只本年度）",
    "群众满意率": "（满意 + 基本满意）÷ 全部评价数；五级评价时“非常满意”计入满意；可设置为仅计“满意”",  # see SATISFACTION
    "岗位能手比率": "本年度获得“岗位能手”称号的在职党员数 ÷ 在职党员数（中共党员、预备党员）",
    "百分比": "按设置保留小数位数（figures.percent_decimals），四舍五入（逢五进一，如 70.5% 记为 71%）",
    "汇总": "上级单位的数字是其全部下级单位（含自身）之和（一级抓一级）",
}
SATISFACTION = {  # (satisfaction.scale, satisfaction.formula) -> the 群众满意率 formula as the site states it
    ("三级", "满意加基本满意"): "（满意 + 基本满意）÷ 全部评价数；可设置为仅计“满意”（satisfaction.formula: 仅满意）",
    ("三级", "仅满意"): "评价为“满意”的数 ÷ 全部评价数（本站按设置 satisfaction.formula: 仅满意 计算；默认算法把“基本满意”也计入）",
    ("五级", "满意加基本满意"): "（非常满意 + 满意 + 基本满意）÷ 全部评价数；可设置为仅计“非常满意”和“满意”（satisfaction.formula: 仅满意）",
    ("五级", "仅满意"): "（非常满意 + 满意）÷ 全部评价数（本站按设置 satisfaction.formula: 仅满意 计算；默认算法把“基本满意”也计入）",
}
BASES = {"已到期": "已到期承诺", "全年": "本年度公开承诺"}  # figures.fulfilment_base -> denominator label
SATISFIED_LABELS = {  # (satisfaction.scale, satisfaction.formula) -> what the numerator counts
    ("三级", "满意加基本满意"): "满意与基本满意", ("三级", "仅满意"): "满意",
    ("五级", "满意加基本满意"): "非常满意、满意与基本满意", ("五级", "仅满意"): "非常满意与满意",
}


def formulas(config: SiteConfig) -> dict[str, str]:
    """:data:`FORMULAS` as this site's settings apply them (the about page, ``stats``)."""
    places = config.figures.percent_decimals
    example = "70." + "4" * places + "5"  # a tie at this precision: 70.5, 70.45, 70.445 …
    title = config.targets.skill_title
    return FORMULAS | {
        "践诺率": FULFILMENT[config.figures.fulfilment_base],
        "群众满意率": SATISFACTION[config.satisfaction.scale, config.satisfaction.formula],
        "岗位能手比率": f"本年度获得“{title}”称号的在职党员数 ÷ 在职党员数（中共党员、预备党员）"
                        + ("" if title == "岗位能手" else f"（本站按设置 targets.skill_title 计“{title}”）"),
        "百分比": f"保留 {places} 位小数（figures.percent_decimals），四舍五入（逢五进一，如 {example}% 记为 "
                  f"{percent_text(Fraction(example) / 100, places)}，不按“银行家舍入”）；数据文件另给出准确的分子和分母",
    }


def percent_of(config: SiteConfig, value: float) -> str:
    """A setting such as a target (0.95) printed like the rates: "95.0%", or "95%" with 0 decimals."""
    return percent_text(Fraction(repr(value)), config.figures.percent_decimals)


def make_rate(config: SiteConfig, numerator: int, denominator: int, target: float | None = None,
              counted: str = "", base: str = "", scope: str = "") -> Rate:
    """A rate printed as the settings say (``figures.percent_decimals``)."""
    return Rate(numerator, denominator, target, config.figures.percent_decimals, counted, base, scope)


@dataclass(frozen=True)
class Figures:
    """Figures of one unit, alone (``own``) or with its subtree (``rolled up``)."""

    unit_id: str
    rolled_up: bool
    year: int
    period_id: str
    members: int
    party_members: int
    pledges: int  # pledges made: counted (public, not withdrawn) pledges of the year
    kept: int
    partly_kept: int
    not_kept: int
    not_rated: int
    overdue: int  # pledges of any year overdue at the as-of date (a 2025 pledge still open counts)
    withdrawn: int
    fulfilment: Rate
    answers: dict[str, int] = field(default_factory=dict)
    satisfaction: Rate = Rate(0, 0)  # noqa: RUF009 - a frozen dataclass: one shared default is safe
    skilled: Rate = Rate(0, 0)  # noqa: RUF009 - as above
    stars: int | None = None
    rect_open: int = 0
    rect_closed: int = 0
    rect_overdue: int = 0
    grade: str | None = None  # the latest yearly grade up to this year, e.g. "2025 一般"
    due: int = 0  # pledges made that have fallen due by the as-of date (or were rated early)
    not_due: int = 0  # pledges made, not yet due and not rated: outside the default 践诺率
    period_name: str = ""  # e.g. "2026年下半年"
    as_of: dt.date | None = None

    def pledge_note(self) -> str:
        """Pledges made, split into due and not yet due, e.g. "已到期 5（已兑现 3），未到期 3"."""
        return f"已到期 {self.due}（已兑现 {self.kept}），未到期 {self.not_due}"

    def as_of_note(self) -> str:
        return f"截至 {self.as_of}" if self.as_of else ""


def satisfied(answers: dict[str, int], formula: str) -> int:
    keys = {"非常满意", "满意"} if formula == "仅满意" else {"非常满意", "满意", "基本满意"}
    return sum(n for a, n in answers.items() if a in keys)


def answers_of(surveys: Iterable[schema.Survey], period_id: str) -> dict[str, int]:
    total: Counter[str] = Counter()
    for s in surveys:
        if s.period == period_id:
            total.update(s.counts)
    return dict(total)


def _figures(site: Site, tally: Tally, own: Unit | None, unit_id: str, rolled_up: bool, period_id: str) -> Figures:
    """The figures of a tally; stars and grade are ``own``'s (the unit the figures are headed by),
    none for the totals of every unit (``own`` None): they are a unit's, never a sum."""
    cfg = site.config
    period = site.period_by_id(period_id)
    year = period.end.year
    base = tally.due if cfg.figures.fulfilment_base == "已到期" else tally.pledges
    stars = next((s.stars for s in own.compare.stars if s.period == period_id), None) if own else None
    graded = sorted((g.year, g.grade) for g in own.grading.grading if g.year <= year) if own else []
    return Figures(
        unit_id=unit_id, rolled_up=rolled_up, year=year, period_id=period_id, period_name=period.name,
        as_of=site.as_of, members=tally.members, party_members=tally.party_members,
        pledges=tally.pledges, due=tally.due, not_due=tally.pledges - tally.due, kept=tally.kept,
        partly_kept=tally.partly_kept, not_kept=tally.not_kept, not_rated=tally.not_rated,
        overdue=tally.overdue, withdrawn=tally.withdrawn,
        fulfilment=make_rate(cfg, tally.kept, base, cfg.targets.fulfilment, "已兑现",
                             BASES[cfg.figures.fulfilment_base], f"{year} 年度承诺，截至 {site.as_of}"),
        answers=dict(tally.answers),
        satisfaction=satisfaction_rate(site, dict(tally.answers), period.name),
        skilled=make_rate(cfg, tally.skilled, tally.party_members, cfg.targets.skill_ratio, f"{cfg.targets.skill_title}党员",
                          "在职党员", f"{year} 年度，截至 {site.as_of}"),
        stars=stars, grade=f"{graded[-1][0]} {graded[-1][1]}" if graded else None,
        rect_open=tally.rect_open, rect_closed=tally.rect_closed, rect_overdue=tally.rect_overdue,
    )


@dataclass(frozen=True)
class FigureTable:
    """Stage 4's result: every unit's figures, alone and rolled up, in every period, and the totals.

    Made once per site by :func:`tabulate` (bottom-up: a parent's subtree tally is its own plus
    its children's) and kept as :attr:`generator.model.Site.figures`; the functions below look
    figures up here and compute nothing.
    """

    own: Mapping[tuple[str, str], Figures]  # (unit id, period id) -> the unit alone
    rolled_up: Mapping[tuple[str, str], Figures]  # (unit id, period id) -> the unit and its subtree
    totals: Mapping[str, Figures]  # period id -> every unit


def tabulate(site: Site, memo: ModelMemo | None = None) -> FigureTable:
    """Compute :class:`FigureTable` for ``site``: each unit and period once, then sums up the tree.

    With ``memo`` (``serve``'s, kept between rebuilds; the CLI's, kept in the check cache) the
    figures of every subtree whose files did not change are taken from it (:mod:`generator.modelmemo`)."""
    own: dict[tuple[str, str], Figures] = {}
    rolled: dict[tuple[str, str], Figures] = {}
    totals: dict[str, Figures] = {}
    years = {p.end.year for p in site.config.periods}
    keys = memo.begin(site) if memo else {}
    counts: dict[str, dict[int, dict[str, int]]] = {}
    for period in site.config.periods:
        subtree: dict[str, Tally] = {}
        for unit in reversed(list(site.units.values())):  # tree order reversed: children before their parent
            key = keys.get(unit.id, "")
            kept = memo.get(key, period.id) if memo else None
            if kept is None:
                if unit.id not in counts:
                    counts[unit.id] = unit_counts(site, unit, years)
                alone = Tally(**counts[unit.id][period.end.year], answers=answers_of(unit.surveys_of(None), period.id))
                total = sum((subtree[c] for c in unit.children), alone)
                mine = _figures(site, alone, unit, unit.id, False, period.id)
                kept = (total, mine, _figures(site, total, unit, unit.id, True, period.id)
                        if unit.children else replace(mine, rolled_up=True))  # a leaf: the same
                if memo:
                    memo.put(key, period.id, kept)
            subtree[unit.id], own[unit.id, period.id], rolled[unit.id, period.id] = kept
        if site.roots:
            everything = sum((subtree[r] for r in site.roots[1:]), subtree[site.roots[0]])
            totals[period.id] = _figures(site, everything, None, "", True, period.id)
    if memo:
        memo.end()
    return FigureTable(MappingProxyType(own), MappingProxyType(rolled), MappingProxyType(totals))


def satisfaction_rate(site: Site, answers: dict[str, int], period_name: str) -> Rate:
    """群众满意率 of these answers, with the site's formula, target and decimals."""
    cfg = site.config
    counted = SATISFIED_LABELS[cfg.satisfaction.scale, cfg.satisfaction.formula]
    return make_rate(cfg, satisfied(answers, cfg.satisfaction.formula), sum(answers.values()),
                     cfg.targets.satisfaction, counted, "评价", f"{period_name}，截至 {site.as_of}")


def unit_figures(site: Site, unit_id: str, period_id: str | None = None) -> Figures:
    """Figures of the unit alone (a lookup in :attr:`Site.figures`)."""
    return site.figures.own[unit_id, period_id or site.period.id]


def rolled_up(site: Site, unit_id: str, period_id: str | None = None) -> Figures:
    """Figures of the unit and its whole subtree (a lookup in :attr:`Site.figures`)."""
    return site.figures.rolled_up[unit_id, period_id or site.period.id]


def site_figures(site: Site, period_id: str | None = None) -> Figures:
    """Totals over every unit (a lookup in :attr:`Site.figures`)."""
    return site.figures.totals[period_id or site.period.id]


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
    return satisfaction_rate(site, answers_of(unit.surveys_of(member_id), site.period.id), site.period.name)
