"""Site decisions the MkDocs layer only carries out: the navigation, how each navigation page is
laid out, what every page's footer shows, and which pages the sitemap lists.

``generator.mkdocs_site`` imports these; a move to a successor of MkDocs keeps them as they are.
"""

from __future__ import annotations

from typing import Any

from ..model import Site
from .plan import PageSpec

Sidebars = tuple[str, ...]  # the sidebars a page hides
TOC: Sidebars = ("toc",)
SIDEBAR: Sidebars = ("navigation",)
BOTH: Sidebars = ("navigation", "toc")
Item = tuple[str, str, Sidebars]  # title, navigation page, the sidebars it hides

# The navigation: pages, and sections of pages. Navigation pages are rendered by MkDocs as
# themselves (every other page goes into a shell of its depth and layout). Whether a page is
# searchable is not decided here: see generator.web.indexed.
MENU: tuple[Item | tuple[str, tuple[Item, ...]], ...] = (
    ("首页", "index.md", TOC),
    ("窗口单位", "units/index.md", TOC),
    ("台账", (
        ("承诺台账", "ledgers/pledges/index.md", TOC),
        ("整改台账", "ledgers/rectifications/index.md", TOC),
        ("评议台账", "ledgers/evaluations/index.md", TOC),
        ("排行榜", "ledgers/rankings/index.md", TOC),
        ("晋位升级", "ledgers/grading/index.md", TOC),
        ("到期提醒", "ledgers/reminders/index.md", TOC),
    )),
    ("搜索", "search/index.md", BOTH),
    ("开放数据", "data/index.md", BOTH),
    ("关于", (
        ("关于本平台", "about/index.md", SIDEBAR),
        ("意见反馈", "feedback/index.md", SIDEBAR),
        ("编辑指南", "guide/index.md", SIDEBAR),
        ("字段参考", "guide/reference/index.md", SIDEBAR),
    )),
)


def _items(entry: Item | tuple[str, tuple[Item, ...]]) -> tuple[Item, ...]:
    return entry[1] if len(entry) == 2 else (entry,)  # a section, or one page


def _nav(entry: Item | tuple[str, tuple[Item, ...]]) -> dict[str, Any]:
    if len(entry) == 2:
        return {entry[0]: [{title: path} for title, path, _ in _items(entry)]}
    return {entry[0]: entry[1]}


NAV = [_nav(entry) for entry in MENU]  # the menu as MkDocs' ``nav`` setting
NAV_KINDS: dict[str, Sidebars] = {path: hide for entry in MENU for _, path, hide in _items(entry)}


def site_facts(site: Site) -> dict[str, Any]:
    """What every page's footer and scripts need (the ``gs`` of the templates)."""
    info = site.config.site
    return {"as_of": site.as_of.isoformat(), "period": site.period.name, "owner": info.owner, "icp": info.icp,
            "phone": site.config.supervision_phone,
            "periods": {p.id: p.name for p in site.config.periods}}  # pages name periods, never show their ids


# Kinds of page group (see generator.web.plan_site) whose pages the sitemap lists besides the
# indexed pages and the navigation: the site-wide tables. Ledger filter pages, member pages,
# hall screens and removed units are left out.
LISTED_KINDS = frozenset({"evaluations", "rankings", "grading", "pledges-by-unit", "reminders"})


def in_sitemap(kind: str, page: PageSpec) -> bool:
    """Whether sitemap.xml lists ``page``, one of a group of ``kind``."""
    return page.search or page.path in NAV_KINDS or (kind in LISTED_KINDS and not page.standalone)
