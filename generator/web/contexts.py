"""What each page template is given: its context ``g``, a frozen dataclass per template.

The contract between the Python that decides a page and the template that displays it,
as Datasette's ``template_contexts.py``: every field has a docstring saying what it holds,
:data:`TEMPLATES` names each template's context class, and ``tests/test_template_context.py``
checks that a template reads only fields its class declares and that every field is read
by its template or is listed here as read elsewhere. A project's ``overrides/site/``
templates can rely on exactly these fields.

Besides ``g``, every template gets ``gs`` (site facts: period, as-of date, …, from
``generator.mkdocs_site.site_facts``), ``urls`` (:mod:`generator.urls`, every address)
and the filter ``url`` (makes a root-relative address relative to the page).

Contexts hold only what a reader may see: a rule that decides what is published (a
member's consent) is applied when the context is made, never in a template.
Unit, member and hall-screen contexts are in :mod:`generator.web.unitcontexts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..figures import Figures
from ..model import PledgeItem, Site, Unit
from ..schema import Comment
from .trendview import TrendView
from .unitcontexts import MemberContext, ScreenContext, UnitContext

# A pager: (number, path, current) per link; (None, None, False) where numbers are left out.
Pager = tuple[tuple[int | None, str | None, bool], ...]
Links = tuple[tuple[str, str], ...]  # (label, root-relative path)
Tabs = tuple[tuple[str, str, bool], ...]  # (label, root-relative path, whether it is this page)


@dataclass(frozen=True)
class DocContext:
    """``gongshi/doc.html``: a page of our own Markdown (trusted text, not content)."""

    body: Markup
    """The page rendered to HTML (about, feedback, the staff guide, the field reference)."""


@dataclass(frozen=True)
class DataContext:
    """``gongshi/data.html``: the open data downloads."""

    files: tuple[tuple[str, str, int], ...]
    """Each data file: label, root-relative path, size in bytes."""
    as_of: str
    """The as-of date, ISO."""
    workbook: str
    """Root-relative path of the workbook holding every ledger."""


@dataclass(frozen=True)
class SearchContext:
    """``gongshi/search.html``: nothing of the content; the page is the same for every site."""


@dataclass(frozen=True)
class GoneContext:
    """``gongshi/gone.html``: what was here, since when, and where to go instead."""

    heading: str
    """Who or what is gone, e.g. “李明已不在县税务局办税服务厅服务”."""
    message: str
    """One sentence saying what happened and since when."""
    note: str | None
    """The office's note from the ``retired:`` record, if any."""
    links: Links
    """Where to go instead, the most useful first (the unit, the unit list, home)."""


@dataclass(frozen=True)
class HomeContext:
    """``gongshi/home.html``: headline figures, news, attention list, honour roll."""

    site: Site
    """The site: its name and the unit names of the latest pledges."""
    total: Figures
    """The whole site's figures (pledges, 践诺率, 满意率, overdue)."""
    units: int
    """How many units."""
    members: int
    """How many members are shown (those who consented)."""
    latest_kept: tuple[PledgeItem, ...]
    """The latest fulfilled published pledges, newest first."""
    latest_comments: tuple[tuple[Unit, Comment], ...]
    """The latest leader comments on units, newest first."""
    attention: tuple[tuple[Unit, tuple[str, ...]], ...]
    """Units needing attention with the reasons, at most ``HOME_LIST``."""
    honours: tuple[tuple[Unit, str, str], ...]
    """The honour roll: unit, title, detail."""
    more_attention: int
    """Units needing attention beyond those listed."""
    trend: TrendView | None
    """The whole site's figures per period and per year."""
    overdue_pledges: str
    """Root-relative path of the pledge ledger's filter of overdue pledges."""
    overdue_rectifications: str
    """Root-relative path of the rectification ledger's filter of overdue rectifications."""


@dataclass(frozen=True)
class UnitsContext:
    """``gongshi/units.html``: the unit tree, each with kind, stars and headline figures."""

    rows: tuple[tuple[Unit, Figures], ...]
    """The units of this page, in tree order, with their rolled-up figures."""
    kinds: tuple[str, ...]
    """Every kind of unit, for the kind filter."""
    total: int
    """How many units in all pages."""
    pager: Pager
    """Links to the other pages of the tree; empty when there is one page."""
    year: int
    """The pledge year of 践诺率."""
    period: str
    """The evaluation period of 满意率."""
    as_of: str
    """E.g. “截至 2026-11-20”."""


@dataclass(frozen=True)
class LedgerContext:
    """``gongshi/ledger.html``: one page of a ledger table with its filters and pager."""

    kind: str
    """``pledges`` or ``rectifications``."""
    heading: str
    """The ledger and its filter, e.g. “承诺台账：逾期”."""
    rows: tuple[object, ...]
    """The pledges (PledgeItem) or rectifications (RectItem) of this page."""
    filters: Tabs
    """Every filter of the ledger, the current one marked."""
    pager: Pager
    """Links to the other pages of this filter; empty when there is one page."""
    units: dict[str, Unit]
    """Unit id -> unit, for each row's unit name."""
    as_of: str
    """The as-of date, ISO."""
    downloads: Links
    """The ledger as .xlsx and .csv, and the site's workbook."""


@dataclass(frozen=True)
class TableContext:
    """``gongshi/table.html``: a heading, an intro and a plain table."""

    heading: str
    """The table's title."""
    intro: str
    """What the table lists and how its figures are made."""
    columns: tuple[str, ...]
    """Column headings."""
    rows: tuple[tuple[tuple[str, str | None], ...], ...]
    """The rows of this page; each cell is (text, root-relative link or None)."""
    pager: Pager = ()
    """Links to the other pages of the table; empty when there is one page."""
    links: Tabs = ()
    """Sibling tables (the other rankings, the other evaluations), the current one marked."""
    downloads: Links = ()
    """The table as .xlsx and .csv, and the site's workbook."""
    trend: TrendView | None = None
    """The site's figures per period and per year, under the table of the first page."""


@dataclass(frozen=True)
class Page:
    """A body template and the context class it is given as ``g``."""

    context: type | None
    """The context class; None for a template that is not a page (macros, the MkDocs shell)."""
    read_elsewhere: tuple[str, ...] = ()
    """Fields the template does not print, with who reads them (``"jsonld: …"``)."""


JSONLD = "jsonld: generator.mkdocs_site puts it in the page head"
TEMPLATES: dict[str, Page] = {
    "gongshi/data.html": Page(DataContext),
    "gongshi/doc.html": Page(DocContext),
    "gongshi/gone.html": Page(GoneContext),
    "gongshi/home.html": Page(HomeContext),
    "gongshi/ledger.html": Page(LedgerContext),
    "gongshi/member.html": Page(MemberContext, (JSONLD,)),
    "gongshi/screen.html": Page(ScreenContext),
    "gongshi/search.html": Page(SearchContext),
    "gongshi/table.html": Page(TableContext),
    "gongshi/unit.html": Page(UnitContext, (JSONLD,)),
    "gongshi/units.html": Page(UnitsContext),
    "gongshi/macros.html": Page(None),  # macros read only their arguments (and gs, urls)
    "gongshi/shell.html": Page(None),  # MkDocs' Material page around each body; it has markers, no g
}
