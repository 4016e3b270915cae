"""The pledge ledger by unit: each unit with subordinate units gets its subtree's ledger (一级抓一级).

A leaf unit's pledges stand on its own page, so only units with children get ledger pages
(``ledgers/pledges/unit/<id>/``); the index (``ledgers/pledges/units/``) lists every unit and
links each to one or the other. The filter bar would carry thousands of links if every unit
were a filter on every ledger page, so units have this index instead.
"""

from __future__ import annotations

from .. import urls
from ..model import PledgeItem, Site
from .overview import TableContext, ledger_pages, pledge_order, table_pages
from .plan import PageSpec


def _subtree_pledges(site: Site, unit_id: str) -> list[PledgeItem]:
    return sorted((p for u in site.subtree(unit_id) for p in u.pledges if p.published), key=pledge_order)


def unit_ledgers(site: Site) -> list[PageSpec]:
    """The subtree ledger of each unit that has children."""
    specs = []
    for unit in site.units.values():
        if not unit.children:
            continue
        label = f"{unit.short_name}（含下级）"
        rows: list[object] = list(_subtree_pledges(site, unit.id))
        more = (("全部单位", urls.ledger("pledges"), False), ("按单位…", urls.PLEDGES_BY_UNIT, False))
        specs += ledger_pages(site, "pledges", urls.unit_ledger(unit.id), "承诺台账", {label: rows}, more)
    return specs


def units_index(site: Site) -> list[PageSpec]:
    """Every unit, indented by depth, with its pledges and overdue counts and where to read them."""
    rows = []
    for unit in site.units.values():
        pledges = _subtree_pledges(site, unit.id) if unit.children else [p for p in unit.pledges if p.published]
        link = urls.unit_ledger(unit.id) if unit.children else urls.unit(unit.id, "#pledges")
        rows.append((("　" * unit.depth + unit.name, link), ("含下级" if unit.children else "本单位", None),
                     (str(len(pledges)), None), (str(sum(p.overdue for p in pledges)), None)))
    context = TableContext("承诺台账：按单位", f"点单位名称查看其承诺；有下级单位的，列出本单位和全部下级单位的承诺"
                           f"（一级抓一级）。数据截至 {site.as_of}。", ("单位", "范围", "公开承诺", "逾期"), tuple(rows),
                           links=(("全部单位", urls.ledger("pledges"), False), ("按单位", urls.PLEDGES_BY_UNIT, True)))
    return table_pages(urls.PLEDGES_BY_UNIT, "承诺台账：按单位", context)
