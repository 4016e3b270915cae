"""Every address of the website, in one place: pages, photos, downloads, data files, boards.

Printed QR codes carry these addresses for years (README, "URLs"), so the scheme is decided
here and nowhere else: a template or module that needs a link asks this module, and
changing the scheme is a change to this file. Addresses are root-relative with forward
slashes, and a page's address ends with ``/`` (``units/tax-hall/``, ``""`` for the home
page); the template filter ``url`` (:mod:`generator.web.render`) is the one place that
makes them relative to the page that shows them. :func:`absolute` prefixes
``site.base_url`` for what leaves the site: QR codes, JSON-LD, the feed, the data files.

Templates reach this module as the Jinja global ``urls`` (``{{ urls.unit(u.id) | url }}``),
as Datasette's templates reach ``urls``; a link that depends on content decisions (which
ledger filter lists overdue pledges, which boards a member has) stands ready in the page's
context instead. No template builds an address by concatenation (tests/test_urls.py).

Nothing here imports the rest of the package, so every stage can use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Person, Site, Unit

HOME = ""
UNITS = "units/"  # the unit tree
SEARCH = "search/"
SEARCH_NAMES = "search/names/"  # exact names, one file per first character (generator.web.names)
ABOUT = "about/"  # what the figures mean
FEEDBACK = "feedback/"
GUIDE = "guide/"  # the staff's editing guide
REFERENCE = "guide/reference/"  # the field reference
DATA = "data/"  # the open data files and their page
FEED = "feed.xml"  # Atom: new and fulfilled pledges, leader comments
INDEX_FILE = "index.html"  # the home page as a file: Pagefind's results lead to files
PAGEFIND = "pagefind/"  # Pagefind's bundle: the index and its UI
PAGEFIND_CSS = "pagefind/pagefind-ui.css"
PAGEFIND_JS = "pagefind/pagefind-ui.js"
SCREEN_CSS = "assets/screen.css"  # the hall screen's own stylesheet (it has no Material around it)
PHOTOS = "assets/photos/"
BOARDS = "boards/"
SITE_WORKBOOK = "ledgers/gongshi-ledgers.xlsx"  # every ledger in one .xlsx
PLEDGES_BY_UNIT = "ledgers/pledges/units/"  # the list of units, each linking to its pledges

LEDGERS = {  # ledger name -> the folder of its page, where its files stand
    "pledges": "ledgers/pledges/", "rectifications": "ledgers/rectifications/",
    "surveys": "ledgers/evaluations/", "reviews": "ledgers/evaluations/reviews/",
    "comments": "ledgers/evaluations/comments/", "rankings": "ledgers/rankings/", "grading": "ledgers/grading/",
    "reminders": "ledgers/reminders/",
}


def source(page: str) -> str:
    """The Markdown source name MkDocs gives the page at ``page``: ``units/a/`` -> ``units/a/index.md``."""
    return f"{page}index.md"


def unit(unit_id: str, anchor: str = "") -> str:
    """A unit's page; ``anchor`` (``#comments``) a place on it."""
    return f"{UNITS}{unit_id}/{anchor}"


def service_anchor(service_id: str) -> str:
    """Where a service item stands on its unit's page (``id="service-…"`` in unit.html)."""
    return f"#service-{service_id}"


def service(unit_id: str, service_id: str) -> str:
    """A service item on its unit's page (one-time notices and name search lead there)."""
    return unit(unit_id, service_anchor(service_id))


def pledge(unit_id: str, pledge_id: str) -> str:
    """A pledge on its unit's page."""
    return unit(unit_id, f"#pledge-{pledge_id}")


def member(unit_id: str, member_id: str) -> str:
    return f"{unit(unit_id)}members/{member_id}/"


def member_photo(unit_id: str, member_id: str) -> str:
    """The cleaned photo (480 px, no metadata) of a member who has one."""
    return f"{PHOTOS}{unit_id}/{member_id}.jpg"


def screen(unit_id: str) -> str:
    """A unit's hall screen (电子显示屏)."""
    return f"{unit(unit_id)}screen/"


def unit_workbook(unit_id: str) -> str:
    """A unit's own rows of every ledger, as .xlsx."""
    return f"{unit(unit_id)}ledgers.xlsx"


def page(first: str, number: int) -> str:
    """Page ``number`` (1-based) of a list paged from ``first``: page 1 is ``first`` itself."""
    return first if number == 1 else f"{first}page/{number}/"


def ledger(name: str) -> str:
    """The page of a ledger (``pledges``, ``surveys`` …, see :data:`LEDGERS`)."""
    return LEDGERS[name]


def ledger_filter(first: str, number: int) -> str:
    """Filter ``number`` of a ledger whose whole list is at ``first``: filter 0 is the whole list."""
    return first if number == 0 else f"{first}{number}/"


def ledger_file(name: str, ext: str) -> str:
    """A ledger as ``.xlsx`` or ``.csv``, beside its page."""
    return f"{LEDGERS[name]}{name}.{ext}"


def downloads(name: str) -> tuple[tuple[str, str], ...]:
    """Links a ledger page shows: its own .xlsx and .csv, and the whole site's workbook."""
    return ((f"{name}.xlsx（Excel）", ledger_file(name, "xlsx")), (f"{name}.csv", ledger_file(name, "csv")),
            ("全部台账（Excel 工作簿）", SITE_WORKBOOK))


def unit_ledger(unit_id: str) -> str:
    """The pledge ledger of a unit and all its subordinate units (一级抓一级)."""
    return f"{LEDGERS['pledges']}unit/{unit_id}/"


def ranking(slug: str) -> str:
    """A ranking other than the first (满意率, at the rankings' own page): ``fulfilment``, ``stars`` …"""
    return f"{LEDGERS['rankings']}{slug}/"


def data_file(name: str) -> str:
    """An open data file: ``pledges.json``, ``schema/pledges.schema.json`` …"""
    return f"{DATA}{name}"


def board(unit_id: str, stem: str, ext: str) -> str:
    """A printable board: ``pdf`` or its print page ``html`` (generator.boards.plan.Entry)."""
    return f"{BOARDS}{unit_id}/{stem}.{ext}"


def absolute(site: Site, path: str) -> str:
    """``path`` as an address that works outside the site: QR codes, JSON-LD, the feed, the data."""
    return f"{site.config.site.base_url}{path}"


def unit_url(site: Site, unit_: Unit) -> str:
    """The live unit page a QR code leads to."""
    return absolute(site, unit(unit_.id))


def member_url(site: Site, person: Person) -> str:
    """The live member page a QR code leads to."""
    return absolute(site, member(person.unit_id, person.id))


def with_stamp(url: str, stamp: str) -> str:
    """A board's QR target: the live page with the board's version stamp (generator.stamps)."""
    return f"{url}?v={stamp}"


def feedback_url(site: Site, unit_: Unit, person: Person | None = None) -> str | None:
    """The office's own feedback form for a unit or member (``feedback_url`` in site_config.yml), if set."""
    template = site.config.feedback_url
    if not template:
        return None
    return template.replace("{unit}", unit_.id).replace("{member}", person.id if person else "")
