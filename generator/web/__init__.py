"""The website's core: decides every page and file; knows nothing of MkDocs.

:func:`plan_site` returns a :class:`~generator.web.plan.SitePlan` that
``generator.mkdocs_site`` hands to MkDocs.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import markdown
from markupsafe import Markup

from .. import themes, urls
from ..diskcache import DiskCache
from ..exports import Fragment, atom_feed, data_files, unit_fragment
from ..fieldref import reference_markdown
from ..figures import formulas
from ..history import History
from ..ledgers import site_ledgers
from ..model import Person, Site, Unit
from ..photos import clean_jpeg
from ..staff.decap import admin_files
from . import overview
from .contexts import DataContext, DocContext, SearchContext
from .evaluations import evaluations_pages
from .gone import gone_pages
from .keys import Keys, digest
from .ledgerfiles import ledger_files, reminder_pages, unit_workbook
from .ledgerpages import ledger_groups
from .names import name_files
from .plan import PageSpec, SitePlan
from .pledgeunits import units_index
from .rankings import ranking_pages
from .units import member_pages, unit_pages

DOCS = themes.theme_dir("pages")  # about, feedback and the staff guide (docs/site/ in this repository)

BoardLinks = Callable[[Unit, Person | None], tuple[tuple[str, str], ...]]


def _doc(path: str, title: str, text: str) -> PageSpec:
    html = markdown.markdown(text, extensions=["tables", "toc", "fenced_code"])
    # Code blocks and tables that scroll are reachable by keyboard, and a table says that it scrolls.
    html = html.replace("<pre>", '<pre tabindex="0">').replace("</table>", "</table></div>")
    html = html.replace("<table>", '<div class="g-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动"><table>')
    return PageSpec(path, title, "gongshi/doc.html", DocContext(Markup(html)), hide=("navigation",))


def doc_pages(site: Site) -> list[PageSpec]:
    table = "\n".join(f"| {name} | {text} |" for name, text in formulas(site.config).items())
    about = (DOCS / "about.md").read_text(encoding="utf-8").replace("{{formulas}}", table)
    feedback = (DOCS / "feedback.md").read_text(encoding="utf-8").replace(
        "{{phone}}", site.config.supervision_phone)
    return [
        _doc(urls.source(urls.ABOUT), "关于", about),
        _doc(urls.source(urls.FEEDBACK), "意见反馈", feedback),
        _doc(urls.source(urls.GUIDE), "编辑指南", (DOCS / "guide.md").read_text(encoding="utf-8")),
        _doc(urls.source(urls.REFERENCE), "字段参考", reference_markdown()),
    ]


def _guide_images() -> dict[str, bytes]:
    """Screenshots of the web editor the guide shows (docs/site/images/, taken by the editor's browser test)."""
    return {f"{urls.GUIDE}images/{p.name}": p.read_bytes() for p in sorted((DOCS / "images").glob("*.png"))}


def _photos(unit: Unit) -> dict[str, bytes]:
    files = {}
    for person in unit.public_members:
        if person.photo:
            files[urls.member_photo(unit.id, person.id)] = clean_jpeg(person.photo, 480)
    return files


def no_boards(unit: Unit, person: Person | None) -> tuple[tuple[str, str], ...]:
    return ()


Make = Callable[[], tuple[list[PageSpec], dict[str, bytes]]]


def _pages(make: Callable[..., list[PageSpec]], *args: object) -> Make:
    """A group's maker for pages without files: ``make(*args)`` when the group is rendered."""
    return lambda: (make(*args), {})


def _unit_group(site: Site, unit: Unit, boards: BoardLinks, history: History) -> Make:
    """The unit page, its hall screen and its ledgers workbook (the workbook shows the unit's own rows only)."""
    return lambda: (unit_pages(site, unit, boards, history), unit_workbook(site, unit))


def _member_group(site: Site, unit: Unit, boards: BoardLinks, history: History) -> Make:
    return lambda: (member_pages(site, unit, boards, history), _photos(unit))


class FragmentStore:
    """Each unit's part of the open-data files, kept on disk by the unit's own key.

    Encoding every record as JSON and CSV took 4.8 s at 2,000 units; with the parts kept,
    an edit re-encodes the units it touched and the files are joined from the rest.
    Parts of keys no longer in use are deleted after each build.
    """

    def __init__(self, site: Site, keys: Keys, folder: Path | None):
        self.site, self.keys = site, keys
        self.store = DiskCache(folder) if folder else None

    def __call__(self, unit: Unit) -> Fragment:
        if self.store is None:
            return unit_fragment(self.site, unit)
        key = self.keys.own_unit(unit.id)
        data = self.store.get(key)
        try:
            if data is not None:
                cached: Fragment = pickle.loads(data)
                return cached
        except Exception:  # a damaged entry is a miss (pickle raises a dozen kinds)
            pass
        fragment = unit_fragment(self.site, unit)
        self.store.put(key, pickle.dumps(fragment, protocol=pickle.HIGHEST_PROTOCOL))
        return fragment

    def prune(self) -> None:
        if self.store is not None:
            self.store.prune()


class LedgerFileStore:
    """The ledgers' downloads, kept on disk by what their rows hold.

    The site's workbook and each ledger's files show every unit's rows, so their group's key
    changes with any edit; but most edits (a unit's hours, a member's post, a photo) change no
    ledger row, and writing the workbooks was half of such an edit (200 units, py-spy). The files
    are a function of the ledgers (frozen dataclasses whose ``repr`` is every value), the
    as-of date and settings (in the build key with the code and library versions), so the same
    digest gives the same bytes. One entry is kept: the last build's.
    """

    def __init__(self, site: Site, keys: Keys, folder: Path | None):
        self.site, self.keys = site, keys
        self.store = DiskCache(folder) if folder else None

    def __call__(self) -> dict[str, bytes]:
        ledgers = site_ledgers(self.site)
        if self.store is None:
            return ledger_files(self.site, ledgers)
        key = digest(self.keys.build, repr(ledgers))
        data = self.store.get(key)
        try:
            if data is not None:
                cached: dict[str, bytes] = pickle.loads(data)
                self.store.prune()
                return cached
        except Exception:  # a damaged entry is a miss (pickle raises a dozen kinds)
            pass
        files = ledger_files(self.site, ledgers)
        self.store.put(key, pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
        self.store.prune()
        return files


def _data_group(site: Site, store: FragmentStore) -> tuple[list[PageSpec], dict[str, bytes]]:
    files = data_files(site, store)
    store.prune()
    listing = tuple((p.removeprefix(urls.DATA), p, len(c)) for p, c in files.items() if p.startswith(urls.DATA))
    context = DataContext(listing, site.as_of.isoformat(), urls.SITE_WORKBOOK)
    page = PageSpec(urls.source(urls.DATA), "开放数据", "gongshi/data.html", context, hide=("navigation", "toc"))
    return [page], files


def plan_site(site: Site, boards: BoardLinks = no_boards, history: History | None = None,
              cache: Path | None = None) -> SitePlan:
    """Every page and file of the website, in a fixed order, as groups made on demand.

    ``cache`` (a folder) keeps each unit's part of the open-data files, the ledgers' downloads and
    the list of ledger pages between builds.
    """
    history = history or History()
    keys = Keys(site, history, "no boards" if boards is no_boards else "boards")
    plan = SitePlan(build_key=keys.build)
    plan.add_group("home", keys.summary("home"), _pages(overview.home_pages, site))
    plan.add_group("units", keys.summary("units"), _pages(overview.units_pages, site))
    for unit in site.units.values():
        key = keys.unit(unit.id)
        plan.add_group(f"unit:{unit.id}", key, _unit_group(site, unit, boards, history))
        plan.add_group(f"members:{unit.id}", key, _member_group(site, unit, boards, history))
    for name, key, make in ledger_groups(site, keys, cache / "ledger-pages" if cache else None):
        plan.add_group(name, key, make)
    for name, tables in (("evaluations", evaluations_pages), ("rankings", ranking_pages),
                         ("grading", overview.grading_page)):
        plan.add_group(name, keys.summary(name), _pages(tables, site))
    plan.add_group("pledges-by-unit", keys.summary("pledges-by-unit"), _pages(units_index, site))
    plan.add_group("reminders", keys.summary("reminders"), _pages(reminder_pages, site))
    ledger_store = LedgerFileStore(site, keys, cache / "ledger-files" if cache else None)
    plan.add_group("ledger-files", keys.summary("ledger-files"), lambda: ([], ledger_store()))
    plan.add_group("docs", keys.static("docs"), lambda: (doc_pages(site), _guide_images()))
    store = FragmentStore(site, keys, cache / "exports" if cache else None)
    plan.add_group("data", keys.site_wide("data"), lambda: _data_group(site, store))
    plan.add_group("feed", keys.summary("feed"), lambda: ([], {urls.FEED: atom_feed(site)}))
    # removed members and units; a unit's page matches the glob Pagefind reads, but a gone page is not indexed
    plan.add_group("gone", keys.summary("gone"), _pages(gone_pages, site))
    search = PageSpec(urls.source(urls.SEARCH), "搜索", "gongshi/search.html", SearchContext(),
                      hide=("navigation", "toc"))
    plan.add_group("search", keys.site_wide("search"), lambda: ([search], name_files(site)))
    editor = DiskCache(cache / "admin", suffix=".yml") if cache else None
    for path, content in admin_files(site, kept=editor, build_key=keys.build).items():  # the web editor (Decap CMS) at /admin/
        plan.add_file(path, content)
    return plan
