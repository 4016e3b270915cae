"""Pages across units: home, unit index, ledgers, rankings, grading, about, data, search."""

from __future__ import annotations

import typing
from dataclasses import replace
from typing import TypeVar

from .. import urls
from ..figures import grade_shares, percent_of, rolled_up, site_figures
from ..model import PledgeItem, RectItem, Site, Unit
from ..schema import Pledge, Topic
from ..trends import attention_reasons
from .contexts import HomeContext, LedgerContext, Pager, TableContext, UnitsContext
from .plan import PageSpec
from .trendview import trend_view

T = TypeVar("T")

LEDGER_PAGE = 80  # pledges a ledger page (about 1.3 KB each), so no page grows with the province
HOME_LIST = 20  # units named on the home page's attention list and honour roll
TABLE_PAGE = 300  # rows of a plain table page
UNITS_PAGE = 200  # units a page of the unit tree

PLEDGE_KINDS = typing.get_args(Pledge.model_fields["kind"].annotation)
PLEDGE_FORMS = typing.get_args(Pledge.model_fields["form"].annotation)
# Every ledger's first filters, in this order: filter 1 of each ledger lists what is overdue (the
# home page links there, see overdue_filter); new filters go after the others, so links stay valid.
FIRST_FILTERS = ("全部", "逾期")
STATE_ORDER = {"已公开": 1, "履行中": 2, "已完成": 3, "已评议": 4, "已撤回": 5}


def home_pages(site: Site) -> list[PageSpec]:
    pledges = [p for p in site.all_pledges() if p.published and p.data.outcome == "已兑现"]
    pledges.sort(key=lambda p: (p.data.completed_on or p.data.due, p.unit_id, p.id), reverse=True)
    comments = sorted(((u, c) for u in site.units.values() for c in u.evaluations.comments),
                      key=lambda uc: (uc[1].date, uc[0].id, uc[1].id), reverse=True)
    attention = [(unit, reasons) for unit in site.units.values() if (reasons := attention_reasons(site, unit))]
    context = HomeContext(
        site=site, total=site_figures(site), units=len(site.units),
        members=sum(len(u.public_members) for u in site.units.values()),
        latest_kept=tuple(pledges[:6]), latest_comments=tuple(comments[:4]),
        attention=tuple(attention[:HOME_LIST]), honours=tuple(_honours(site)[:HOME_LIST]),
        more_attention=max(len(attention) - HOME_LIST, 0), trend=trend_view(site, None, "全部单位"),
        overdue_pledges=overdue_filter("pledges"), overdue_rectifications=overdue_filter("rectifications"),
    )
    return [PageSpec(urls.source(urls.HOME), site.config.site.name, "gongshi/home.html", context, hide=("toc",),
                     description=site.config.site.description or site.config.site.name)]


def overdue_filter(ledger: str) -> str:
    """The filter page of a ledger that lists its overdue items."""
    return urls.ledger_filter(urls.ledger(ledger), FIRST_FILTERS.index("逾期"))


def _honours(site: Site) -> list[tuple[Unit, str, str]]:
    honours = []
    month = current_red_flag(site)
    for unit in site.units.values():
        if month and month in unit.compare.red_flags:
            honours.append((unit, "流动红旗（现持有）", f"{month[:4]}年{int(month[5:])}月评定"))
        stars = next((s.stars for s in unit.compare.stars if s.period == site.period.id), None)
        if stars == 5:
            honours.append((unit, "五星级窗口", site.period.name))
        for award in unit.compare.awards:
            if award.date.year == site.year and award.member is None:
                honours.append((unit, award.title, f"{award.grantor}，{award.date}"))
    return honours


def current_red_flag(site: Site) -> str | None:
    """The latest month up to the as-of date for which a red flag was recorded: its holder holds it now."""
    month = site.as_of.strftime("%Y-%m")
    held = [m for u in site.units.values() for m in u.compare.red_flags if m <= month]
    return max(held, default=None)


PAGER_AROUND = 2  # links either side of the current page; the first and last are always shown


def pager(paths: list[str], number: int) -> Pager:
    """Links to the first, the last and the pages around ``number`` (1-based), gaps marked.

    Every page listing all others made each of the 1,125 pages of the 2,000-unit pledge
    ledger carry 1,125 links (56 KB) and cost quadratic time to plan.
    """
    if len(paths) < 2:
        return ()
    shown = {1, len(paths), *range(number - PAGER_AROUND, number + PAGER_AROUND + 1)}
    links: list[tuple[int | None, str | None, bool]] = []
    last = 0
    for n in sorted(k for k in shown if 1 <= k <= len(paths)):
        if last and n - last > 1:  # one page left out is shown; more become a gap
            links.append((None, None, False) if n - last > 2 else (n - 1, paths[n - 2], False))
        links.append((n, paths[n - 1], n == number))
        last = n
    return tuple(links)


def paged(base: str, rows: list[T], size: int) -> list[tuple[str, list[T], Pager]]:
    """Rows split into pages: ``(path, rows, pager)``; page 1 at ``base``, page n at ``base/page/n/``."""
    chunks = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    paths = [urls.page(base, n) for n in range(1, len(chunks) + 1)]
    out = []
    for number, (path, chunk) in enumerate(zip(paths, chunks, strict=True), 1):
        out.append((path, chunk, pager(paths, number)))
    return out


def units_pages(site: Site) -> list[PageSpec]:
    rows = [(u, rolled_up(site, u.id)) for u in site.units.values()]
    kinds = tuple(sorted({u.data.kind for u in site.units.values()}))
    specs = []
    for number, (path, chunk, pager) in enumerate(paged(urls.UNITS, rows, UNITS_PAGE), 1):
        title = "窗口单位" if number == 1 else f"窗口单位（第{number}页）"
        specs.append(PageSpec(urls.source(path), title, "gongshi/units.html",
                              UnitsContext(tuple(chunk), kinds, len(rows), pager, site.year, site.period.name,
                                           f"截至 {site.as_of}"), hide=("toc",),
                              description="全部窗口单位及其星级、践诺率、满意率"))
    return specs


def table_pages(path: str, title: str, context: TableContext) -> list[PageSpec]:
    specs = []
    for number, (page_path, chunk, pager) in enumerate(paged(path, list(context.rows), TABLE_PAGE), 1):
        page_title = title if number == 1 else f"{title}（第{number}页）"
        specs.append(PageSpec(urls.source(page_path), page_title, "gongshi/table.html",
                              replace(context, rows=tuple(chunk), pager=pager,
                                      trend=context.trend if number == 1 else None), hide=("toc",)))
    return specs


def pledge_order(p: PledgeItem) -> tuple[object, ...]:
    return (not p.overdue, STATE_ORDER.get(p.data.status, 9), p.data.due, p.unit_id, p.id)


def ledger_pages(site: Site, kind: str, base: str, heading: str, groups: dict[str, list[object]],
                 more: tuple[tuple[str, str, bool], ...] = ()) -> list[PageSpec]:
    """A ledger split by filter (``groups``: label -> rows) and into pages of LEDGER_PAGE rows.

    ``more``: further filter links (label, path, current) shown after the groups' own.
    """
    specs = []
    units = dict(site.units)
    slugs = {label: urls.ledger_filter(base, i) for i, label in enumerate(groups)}
    for label, rows in groups.items():
        chunks = [rows[i:i + LEDGER_PAGE] for i in range(0, len(rows), LEDGER_PAGE)] or [[]]
        filters = tuple((lab, slugs[lab], lab == label) for lab in groups) + more
        paths = [urls.page(slugs[label], n) for n in range(1, len(chunks) + 1)]
        for number, chunk in enumerate(chunks, 1):
            path = paths[number - 1]
            title = heading if label == "全部" else f"{heading}：{label}"
            context = LedgerContext(kind, title, tuple(chunk), filters, pager(paths, number), units,
                                    site.as_of.isoformat(), urls.downloads(kind))
            specs.append(PageSpec(urls.source(path), title if number == 1 else f"{title}（第{number}页）",
                                  "gongshi/ledger.html", context, hide=("toc",)))
    return specs


def pledge_ledger(site: Site) -> list[PageSpec]:
    pledges = sorted((p for p in site.all_pledges() if p.published), key=pledge_order)
    groups: dict[str, list[object]] = dict(zip(FIRST_FILTERS, (list(pledges), []), strict=True))
    groups |= {label: [] for label in (*STATE_ORDER, "已兑现", "部分兑现", "未兑现", *typing.get_args(Topic))}
    # kind, form and year come after the older filters, so their numbered paths stay where they were
    groups |= {label: [] for label in (*PLEDGE_KINDS, *PLEDGE_FORMS)}
    groups |= {f"{year}年": [] for year in sorted({p.year for p in pledges}, reverse=True)}
    for p in pledges:  # one pass, each pledge into its filters, in ledger order
        if p.overdue:
            groups["逾期"].append(p)
        for label in (p.data.status, p.data.outcome, p.data.topic, p.data.kind, p.data.form, f"{p.year}年"):
            if label in groups:
                groups[label].append(p)
    return ledger_pages(site, "pledges", urls.ledger("pledges"), "承诺台账", groups,
                        (("按单位…", urls.PLEDGES_BY_UNIT, False),))


def rect_ledger(site: Site) -> list[PageSpec]:
    rects: list[RectItem] = sorted(
        (r for u in site.units.values() for r in u.rectifications),
        key=lambda r: (not r.overdue, r.data.status == "已完成", r.data.deadline, r.unit_id, r.data.id))
    groups: dict[str, list[object]] = dict(zip(FIRST_FILTERS, (list(rects), [r for r in rects if r.overdue]),
                                               strict=True))
    for status in ("未开始", "整改中", "已完成"):
        groups[status] = [r for r in rects if r.data.status == status]
    return ledger_pages(site, "rectifications", urls.ledger("rectifications"), "整改台账", groups)


def _unit_cell(unit: Unit) -> tuple[str, str]:
    return (unit.short_name, urls.unit(unit.id))


def grading_page(site: Site) -> list[PageSpec]:
    rows: list[tuple[tuple[str, str | None], ...]] = []
    for year, (advanced, graded) in sorted(grade_shares(site).items(), reverse=True):
        for unit in site.units.values():
            for g in unit.grading.grading:
                if g.year == year:
                    rows.append(((str(year), None), _unit_cell(unit), (g.grade, None), (g.plan or "—", None)))
        rows.append(((str(year), None), ("合计", None), (f"先进 {advanced}/{graded}", None), ("", None)))
    context = TableContext("晋位升级", "每年对基层党组织按带头人、工作思路、工作制度、活动阵地、保障机制、工作业绩、"
                           f"群众评价七项指标定级为先进、一般、后进；“先进”比例不超过 "
                           f"{percent_of(site.config, site.config.targets.advanced_cap)}。",
                           ("年度", "单位", "定级", "晋位升级措施"), tuple(rows), downloads=urls.downloads("grading"))
    return table_pages(urls.ledger("grading"), "晋位升级", context)
