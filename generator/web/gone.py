"""Pages that stay at the address of a member or unit removed from the content.

A desk tent or poster printed years ago still carries a QR code to the old page: it must
say who no longer serves there (or that the unit was merged or closed) and lead on, from
the day of removal. The record is ``retired:`` in site_config.yml (see generator.retired).
"""

from __future__ import annotations

from .. import urls
from ..model import Site
from ..settings import RetiredMember
from .contexts import GoneContext
from .plan import PageSpec


def _unit_name(site: Site, unit_id: str) -> str | None:
    unit = site.units.get(unit_id)
    return unit.name if unit else None


def _unit_links(site: Site, unit_id: str | None) -> list[tuple[str, str]]:
    name = _unit_name(site, unit_id) if unit_id else None
    return [(f"{name}的公示页", urls.unit(unit_id))] if unit_id and name else []


def _member_page(site: Site, entry: RetiredMember) -> PageSpec:
    gone_unit = next((u for u in site.config.retired.units if u.id == entry.unit), None)
    unit_name = _unit_name(site, entry.unit) or (gone_unit.name if gone_unit else entry.unit)
    who = entry.name or "这位工作人员"
    links = _unit_links(site, entry.unit) or _unit_links(site, gone_unit.merged_into if gone_unit else None)
    if entry.moved_to:
        links.insert(0, (f"现所在单位：{_unit_name(site, entry.moved_to)}", urls.unit(entry.moved_to)))
    message = f"{who}自 {entry.left_on.isoformat()} 起已不在{unit_name}服务，本页不再更新。"
    context = GoneContext(f"{who}已不在{unit_name}服务", message, entry.note,
                          (*links, ("全部窗口单位", urls.UNITS), ("首页", urls.HOME)))
    return PageSpec(urls.source(urls.member(entry.unit, entry.id)), context.heading, "gongshi/gone.html", context)


def gone_pages(site: Site) -> list[PageSpec]:
    """One page per retired member and unit, at the address its printed QR codes carry."""
    pages = [_member_page(site, entry) for entry in site.config.retired.members]
    for unit in site.config.retired.units:
        merged = _unit_name(site, unit.merged_into) if unit.merged_into else None
        what = f"已于 {unit.closed_on.isoformat()} 并入{merged}" if merged else f"已于 {unit.closed_on.isoformat()} 撤销"
        context = GoneContext(f"{unit.name}{what}",
                              f"{unit.name}{what}，本页不再更新。", unit.note,
                              (*_unit_links(site, unit.merged_into), ("全部窗口单位", urls.UNITS), ("首页", urls.HOME)))
        pages.append(PageSpec(urls.source(urls.unit(unit.id)), context.heading, "gongshi/gone.html", context))
    return pages
