"""The periodic report (通报) as a plain document model: headings, paragraphs and tables.

``build.py report`` renders the same :class:`Report` as .docx (:mod:`generator.report_docx`)
and as PDF (:mod:`generator.report_pdf`), so Word, WPS and the printed copy agree. Every
number comes from :mod:`generator.figures`, :mod:`generator.trends` and
:mod:`generator.rankings`; each rate is printed with its numerator, denominator, period,
as-of date and target, and the definitions are quoted from the site's own formulas.
With ``unit`` the report covers that unit and its subtree (一级抓一级).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .figures import (
    BASES,
    Figures,
    formulas,
    grade_shares,
    make_rate,
    percent_of,
    rolled_up,
    site_figures,
    unit_figures,
)
from .model import Site, Unit
from .rankings import ranking_rows
from .settings import Period
from .trends import attention_reasons, change, period_points
from .trends import formulas as trend_formulas


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class Section:
    heading: str
    blocks: list[str | Table] = field(default_factory=list)  # a paragraph or a table


@dataclass
class Report:
    title: str
    subtitle: str  # owner, period, as-of date
    sections: list[Section]


def _verdict(meets: bool | None) -> str:
    return {True: "达标", False: "未达标", None: "无数据"}[meets]


def _figures(site: Site, fig: Figures) -> Section:
    cfg = site.config
    rows = []
    for name, rate in (("践诺率", fig.fulfilment), ("群众满意率", fig.satisfaction), ("岗位能手比率", fig.skilled)):
        rows.append((name, rate.percent(), rate.fraction(), rate.target_percent() or "—", _verdict(rate.meets),
                     rate.scope))
    defs = formulas(cfg)
    return Section("一、主要数字与目标", [
        f"公开承诺 {fig.pledges} 件，{fig.pledge_note()}；逾期承诺（各年度）{fig.overdue} 件。"
        f"群众评价 {fig.satisfaction.denominator} 人次。",
        Table(("指标", "数值", "分子 ÷ 分母", "目标", "对照目标", "统计范围"), tuple(rows)),
        *(f"{name}：{defs[name]}" for name in ("践诺率", "群众满意率", "岗位能手比率")),
        f"百分比保留 {cfg.figures.percent_decimals} 位小数，四舍五入；分子、分母为准确数。",
    ])


def _rankings(site: Site, scope: set[str]) -> Section:
    section = Section("二、排行榜")
    for board in ("满意率", "践诺率", "星级"):
        columns, rows = ranking_rows(site, board)
        kept = tuple((str(n), u.short_name, *cells) for n, u, cells in rows if u.id in scope)
        section.blocks += [f"按{board}：", Table(("名次", "单位", *columns), kept)]
    return section


def _attention(site: Site, units: list[Unit]) -> Section:
    rows = tuple((u.short_name, "；".join(reasons)) for u in units if (reasons := attention_reasons(site, u)))
    return Section("三、需要关注的单位", [Table(("单位", "原因"), rows) if rows else "没有需要关注的单位。"])


def _pledges(site: Site, units: list[Unit]) -> Section:
    rows = []
    for u in units:
        f = unit_figures(site, u.id)
        rows.append((u.short_name, str(f.pledges), str(f.due), str(f.kept), str(f.partly_kept), str(f.not_kept),
                     f.fulfilment.short(), str(f.overdue)))
    return Section("四、各单位承诺兑现情况", [
        f"{site.year} 年度承诺，截至 {site.as_of}；践诺率 = 已兑现 ÷ {BASES[site.config.figures.fulfilment_base]}；"
        "逾期为各年度承诺中逾期的。",
        Table(("单位", "公开承诺", "已到期", "已兑现", "部分兑现", "未兑现", "践诺率", "逾期（各年度）"), tuple(rows))])


def _rectifications(site: Site, units: list[Unit], period: Period) -> Section:
    rows = []
    for u in units:
        rects = u.rectifications
        closed = sum(r.data.closed_on is not None and period.start <= r.data.closed_on <= period.end for r in rects)
        rows.append((u.short_name, str(len(rects)), str(closed), str(sum(r.data.status != "已完成" for r in rects)),
                     str(sum(r.overdue for r in rects))))
    return Section("五、整改落实情况", [
        f"整改台账全部事项；“本时段完成”按完成日期落在{period.name}内计。",
        Table(("单位", "整改事项", "本时段完成", "未完成", "其中超期"), tuple(rows))])


def _grading(site: Site, units: list[Unit]) -> Section:
    shares = grade_shares(site)
    if not shares:
        return Section("六、晋位升级", ["尚无定级记录。"])
    year = max(shares)
    advanced, graded = shares[year]
    cap = percent_of(site.config, site.config.targets.advanced_cap)
    share = make_rate(site.config, advanced, graded, site.config.targets.advanced_cap).percent()  # never the cap's text
    # beside a share on the other side of it (61 of 300 is 20.3 %, not “20%” said to be over a cap of 20%)
    over = graded and advanced / graded > site.config.targets.advanced_cap
    rows = tuple((u.short_name, g.grade, g.plan or "—") for u in units for g in u.grading.grading if g.year == year)
    return Section("六、晋位升级", [
        f"{year} 年度全部 {graded} 个参加定级的党组织中，“先进” {advanced} 个，占 {share}（{advanced}/{graded}），"
        f"上限 {cap}，{'超过上限' if over else '未超过上限'}。",
        Table(("单位", "定级", "晋位升级措施"), rows)])


def _changes(site: Site, unit_id: str | None) -> Section:
    points = [p for p in period_points(site, unit_id, subtree=unit_id is not None)
              if p.period.start <= site.period.start]
    rows = []
    for i, p in enumerate(points):
        b = points[i - 1] if i else None
        rows.append((p.period.name, p.satisfaction.short(), change(p.satisfaction, b.satisfaction if b else None),
                     p.fulfilment.short(), change(p.fulfilment, b.fulfilment if b else None)))
    return Section("七、与上一时段相比", [
        Table(("时段", "群众满意率", "变化", "期内践诺率", "变化"), tuple(rows)),
        *(f"{name}：{text}" for name, text in trend_formulas(site.config).items())])


def build_report(site: Site, period_id: str | None = None, unit_id: str | None = None) -> Report:
    """The report for ``period_id`` (default: the current period), of the site or of a unit's subtree."""
    period = site.period_by_id(period_id or site.period.id)
    if period.id != site.period.id:
        site = type(site)(site.config.model_copy(update={"current_period": period.id}), site.root, site.as_of,
                          site.units, site.roots)
    units = list(site.subtree(unit_id)) if unit_id else list(site.units.values())
    scope = {u.id for u in units}
    fig = rolled_up(site, unit_id) if unit_id else site_figures(site)
    who = site.units[unit_id].name if unit_id else ""
    return Report(
        title=f"{who}{period.name}“三亮三比三评”工作通报",
        subtitle=f"{site.config.site.owner}（{site.config.site.name}）　统计时段 {period.name}（承诺按 {period.end.year} 年度）　数据截至 {site.as_of}",
        sections=[_figures(site, fig), _rankings(site, scope), _attention(site, units), _pledges(site, units),
                  _rectifications(site, units, period), _grading(site, units), _changes(site, unit_id)],
    )
