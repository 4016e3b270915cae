"""The evaluations ledger: citizen surveys, peer and self reviews, leader comments (三评), one table each."""

from __future__ import annotations

from .. import urls
from ..figures import formulas, percent_of, unit_figures
from ..model import Site, Unit
from .overview import TableContext, table_pages
from .plan import PageSpec
from .trendview import trend_view

Cell = tuple[str, str | None]
TABLES = (("群众评议", urls.ledger("surveys")), ("党员互评、自评", urls.ledger("reviews")),
          ("领导点评", urls.ledger("comments")))


def _unit_cell(unit: Unit, anchor: str = "") -> Cell:
    return (unit.short_name, urls.unit(unit.id, anchor))


def _links(current: str) -> tuple[tuple[str, str, bool], ...]:
    return tuple((label, path, label == current) for label, path in TABLES)


def survey_rows(site: Site) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for period in reversed(site.config.periods):
        for unit in site.units.values():
            fig = unit_figures(site, unit.id, period.id)
            if fig.satisfaction.denominator:
                channels = sorted({s.channel for s in unit.surveys_of(None) if s.period == period.id})
                rows.append(((period.name, None), _unit_cell(unit), ("、".join(channels), None),
                             (str(fig.satisfaction.denominator), None), (fig.satisfaction.short(), None),
                             ("达标" if fig.satisfaction.meets else "未达标", None)))
    return rows


def review_rows(site: Site) -> list[tuple[Cell, ...]]:
    """Each published member's reviews, newest period first; none when ``publish.reviews`` is off."""
    if not site.config.publish.reviews:
        return []
    order = {p.id: i for i, p in enumerate(site.config.periods)}
    names = {p.id: p.name for p in site.config.periods}
    rows = []
    for unit in site.units.values():
        for r in unit.evaluations.reviews:
            person = unit.member(r.member)
            if person is None or not person.published:
                continue
            rows.append((-order.get(r.period, -1), unit.id, r.member, r.kind,
                         ((names.get(r.period, r.period), None), _unit_cell(unit),
                          (person.data.name, urls.member(unit.id, person.id)), (r.kind, None),
                          (r.grade, None), ("—" if r.score is None else f"{r.score:g}", None), (r.summary or "—", None))))
    return [row for *_, row in sorted(rows, key=lambda r: r[:4])]


def comment_rows(site: Site) -> list[tuple[Cell, ...]]:
    """Leader comments on units and on published members, newest first."""
    rows = []
    for unit in site.units.values():
        for c in unit.evaluations.comments:
            person = unit.member(c.member)
            if c.member and (person is None or not person.published):
                continue
            rows.append((c.date, unit.id, c.id, (
                (c.date.isoformat(), None), _unit_cell(unit, "#comments"), (person.data.name if person else "单位整体", None),
                (f"{c.leader}（{c.leader_title}）", None), (c.kind, None), (c.achievements or "—", None),
                (c.problems or "—", None), (c.suggestions or "—", None))))
    rows.sort(key=lambda r: (-r[0].toordinal(), r[1], r[2]))
    return [row for *_, row in rows]


def evaluations_pages(site: Site) -> list[PageSpec]:
    target = percent_of(site.config, site.config.targets.satisfaction)
    surveys = TableContext("评议台账：群众评议", f"按时段列出各单位的群众评议，数据截至 {site.as_of}。满意率目标 "
                           f"{target}。{formulas(site.config)['群众满意率']}。",
                           ("时段", "单位", "评议方式", "评价数", "满意率", "对照目标"), tuple(survey_rows(site)),
                           links=_links("群众评议"), downloads=urls.downloads("surveys"),
                           trend=trend_view(site, None, "全部单位"))
    reviews = TableContext("评议台账：党员互评、自评", f"各时段党员互评、自评的等次和得分，数据截至 {site.as_of}。"
                           "只列同意公开的成员。", ("时段", "单位", "成员", "方式", "等次", "得分", "评语"),
                           tuple(review_rows(site)), links=_links("党员互评、自评"),
                           downloads=urls.downloads("reviews"))
    comments = TableContext("评议台账：领导点评", f"领导集中、个别、随机、现场点评，数据截至 {site.as_of}。",
                            ("日期", "单位", "点评对象", "点评领导", "方式", "成绩", "问题", "建议"),
                            tuple(comment_rows(site)), links=_links("领导点评"),
                            downloads=urls.downloads("comments"))
    return [*table_pages(urls.ledger("surveys"), "群众评议结果", surveys),
            *table_pages(urls.ledger("reviews"), "党员互评、自评", reviews),
            *table_pages(urls.ledger("comments"), "领导点评", comments)]
