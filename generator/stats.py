"""``build.py stats``: the figures of every unit as a plain-text table."""

from __future__ import annotations

import unicodedata

from .figures import BASES, Figures, formulas, percent_of, rolled_up, site_figures
from .model import Site


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(size - width(text), 0)
    return gap + text if right else text + gap


def _row(label: str, fig: Figures) -> list[str]:
    return [
        label,
        str(fig.members),
        str(fig.pledges),
        str(fig.due),
        str(fig.not_due),
        str(fig.kept),
        fig.fulfilment.percent(),
        str(fig.fulfilment.denominator),
        str(fig.overdue),
        fig.satisfaction.percent(),
        str(sum(fig.answers.values())),
        fig.skilled.percent(),
        "★" * fig.stars if fig.stars else "—",
        f"{fig.rect_open}/{fig.rect_overdue}",
        fig.grade or "—",
    ]


HEADER = ["单位", "成员", "承诺", "已到期", "未到期", "已兑现", "践诺率", "践诺率分母", "逾期", "满意率", "评价数", "能手比", "星级", "整改未结/逾期", "定级"]


def table(site: Site) -> str:
    """Every unit (indented by tree depth, figures rolled up over its subtree), then totals."""
    rows = [HEADER]
    for unit in site.units.values():
        label = "  " * unit.depth + unit.short_name + (" (含下级)" if unit.children else "")
        rows.append(_row(label, rolled_up(site, unit.id)))
    rows.append(_row("全部单位", site_figures(site)))
    widths = [max(width(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = []
    for index, row in enumerate(rows):
        cells = [pad(c, widths[i], right=i > 0) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    cfg = site.config
    head = [
        f"{cfg.site.name}：统计时段 {site.period.name}（承诺按 {site.year} 年度），截至 {site.as_of}",
        f"目标：践诺率 {percent_of(cfg, cfg.targets.fulfilment)}，满意率 {percent_of(cfg, cfg.targets.satisfaction)}，"
        f"岗位能手比率 {percent_of(cfg, cfg.targets.skill_ratio)}；满意率算法：{cfg.satisfaction.formula}",
        f"践诺率 = 已兑现 ÷ {BASES[cfg.figures.fulfilment_base]}（践诺率分母列）；"
        f"百分比保留 {cfg.figures.percent_decimals} 位小数，四舍五入",
        "",
    ]
    foot = ["", *[f"{name}：{text}" for name, text in formulas(cfg).items()]]
    return "\n".join(head + lines + foot)
