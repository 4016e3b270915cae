"""Which boards exist, where they go, and what each one is given to render.

A unit has a poster (公示栏), a members poster (党员公示栏), a card sheet (服务卡)
and the organisation's pledge sheet (承诺书); each public member has a desk tent
(承诺桌牌) and, if they made pledges this year, a pledge sheet. Boards with nothing
to show are not made (no members: no members poster or cards; no pledges: no
pledge sheet).

Output: ``<out>/boards/<unit-id>/<stem>.pdf`` and ``.html``.

Each board's version stamp is :func:`board_stamp`, a digest of what the board prints
(see :mod:`generator.stamps`); the live pages ask :class:`UnitStamps` (one per unit's pages), so
boards and pages can never disagree. A member's card on the card sheet is stamped on its own
(:func:`card`), since its QR code leads to the member's page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ..errors import Problem, error
from ..model import Person, Site, Unit
from ..stamps import stamp_of
from ..urls import board
from . import guides
from .contexts import (
    BoardContext,
    PhotoCache,
    PhotoDigests,
    Stamp,
    UnitViews,
    board_pledges,
    photo_px,
    stamp_for,
)
from .render import body_html
from .sizes import CARD_SHEET, Page, Press, a4, card_page, poster_page

# --kind values, in the order boards are listed, with their Chinese names.
KINDS: dict[str, str] = {
    "poster": "公示栏",
    "members": "党员公示栏",
    "tent": "承诺桌牌",
    "cards": "服务卡",
    "pledge": "承诺书",
    "card": "名片",  # one member's card alone, 90 × 54 mm with bleed (print.cards_per_person)
    "guide": "一次性告知单",  # one A4 per service item (print.service_guides)
    "directory": "窗口导引",  # a service centre's windows and their QR codes (print.hall_directory)
}


@dataclass(frozen=True)
class Entry:
    """A board the content calls for, before anything is rendered."""

    unit_id: str
    kind: str
    stem: str  # file name without extension: poster, tent-li-ming, pledge-org …
    label: str  # 公示栏, 承诺桌牌：李明 …
    member_id: str | None = None

    @property
    def id(self) -> str:
        """Stable board id, ``<unit>/<stem>``: cache entries and --shard use it."""
        return f"{self.unit_id}/{self.stem}"

    def path(self, ext: str) -> str:
        """Path relative to the output folder, with forward slashes."""
        return board(self.unit_id, self.stem, ext)


@dataclass(frozen=True)
class BoardSpec:
    """Everything a worker needs to render one board."""

    entry: Entry
    template: str
    page: Page
    max_pages: int | None  # more pages than this: shrink first, then warn (G602)
    context: BoardContext
    theme: tuple[Path, ...] = ()  # where templates and CSS are found: overrides/boards, then the theme
    missing: tuple[str, ...] = ()  # characters the board fonts lack: printed as fonts.SUBSTITUTE


def entries(site: Site, unit: Unit) -> list[Entry]:
    """Every board of a unit, in a fixed order."""
    out = [Entry(unit.id, "poster", "poster", KINDS["poster"])]
    public = unit.public_members
    if public:
        out.append(Entry(unit.id, "members", "members", KINDS["members"]))
        out.append(Entry(unit.id, "cards", "cards", KINDS["cards"]))
    if board_pledges(site, unit, None):
        out.append(Entry(unit.id, "pledge", "pledge-org", "党组织承诺书"))
    for m in public:
        out.append(Entry(unit.id, "tent", f"tent-{m.id}", f"承诺桌牌：{m.data.name}", m.id))
    for m in public:
        if board_pledges(site, unit, m.id):
            out.append(Entry(unit.id, "pledge", f"pledge-{m.id}", f"承诺书：{m.data.name}", m.id))
    if site.config.print.hall_directory and unit.children:  # 窗口导引 of a service centre
        out.append(Entry(unit.id, "directory", "directory", KINDS["directory"]))
    if site.config.print.service_guides:  # 一次性告知单, one per service item
        out += [Entry(unit.id, "guide", f"{guides.PREFIX}{s.id}", f"一次性告知单：{s.name}")
                for s in unit.data.services]
    if site.config.print.cards_per_person:  # for a print shop: each person's own cards
        for m in public:
            out.append(Entry(unit.id, "cards", f"cards-{m.id}", f"服务卡拼版：{m.data.name}", m.id))
            out.append(Entry(unit.id, "card", f"namecard-{m.id}", f"名片：{m.data.name}", m.id))
    return out


def collisions(site: Site, plan: list[Entry]) -> list[Problem]:
    """Two boards may never share a file (a member with id ``org`` would overwrite pledge-org)."""
    seen: dict[str, Entry] = {}
    problems = []
    for e in plan:
        if e.id in seen:
            problems.append(error(
                f"content/units/{e.unit_id}/members.yml", 1, 1, "G601",
                f"展板文件 {e.path('pdf')} 会被写两次（“{seen[e.id].label}”和“{e.label}”）。"
                f"请把成员编号“{e.member_id}”改成别的，例如加上姓氏拼音"))
        seen.setdefault(e.id, e)
    return problems


def board_links(site: Site, unit: Unit) -> list[tuple[str, str]]:
    """``(label, path relative to the site root)`` of a unit's boards, PDF then print page."""
    links = []
    for e in entries(site, unit):
        links.append((f"{e.label}（PDF）", e.path("pdf")))
        links.append((f"{e.label}（网页打印版）", e.path("html")))
    return links


def select(site: Site, unit: str | None, kind: str | None) -> list[Entry]:
    """All boards, or those of one unit and/or one kind."""
    units = [site.units[unit]] if unit else list(site.units.values())
    return [e for u in units for e in entries(site, u) if kind is None or e.kind == kind]


def shard(plan: list[Entry], index: int, count: int) -> list[Entry]:
    """Shard ``index`` of ``count`` (1-based): the k-th board by sorted id goes to shard k mod count.

    Depends only on the board ids, so every machine of a CI matrix agrees.
    """
    ordered = sorted(plan, key=lambda e: e.id)
    return [e for k, e in enumerate(ordered) if k % count == index - 1]


def card(unit: Unit, person: Person) -> Entry:
    """One member's card of the card sheet: not a file of its own, but stamped on its own,
    since its QR code leads to the member's page."""
    return Entry(unit.id, "cards", f"card-{person.id}", f"服务卡：{person.data.name}", person.id)


Footer = Callable[[Entry, Person | None], Stamp]


def spec(site: Site, entry: Entry, photos: PhotoCache) -> BoardSpec:
    """Build the context of one board (cleans the photos it shows), stamped with what it prints."""
    return BoardSpecs(site, photos)(entry)


class BoardSpecs:
    """The specs of many boards, given unit by unit: what a unit's boards share (their views,
    and the stamps of the boards and cards they carry) is made once a unit, not once a board."""

    def __init__(self, site: Site, photos: PhotoCache):
        self.site, self.photos = site, photos
        self._unit: Unit | None = None

    def __call__(self, entry: Entry) -> BoardSpec:
        unit = self.site.units[entry.unit_id]
        if unit is not self._unit:
            self._unit, self._views, self._stamps = unit, UnitViews(self.site, unit, self.photos), UnitStamps(self.site, unit)

        def footer(board: Entry, person: Person | None) -> Stamp:
            return stamp_for(self.site, unit, person, self._stamps.board(board))

        return _spec(self.site, entry, self.photos, footer, self._views)


def board_stamp(site: Site, entry: Entry) -> str:
    """The stamp of a board: :func:`generator.stamps.stamp_of` the board rendered with a blank
    stamp, QR code and as-of date, each photo standing for the digest of its file.

    Boards and the live pages both call this, so the two always agree.
    """
    return UnitStamps(site, site.units[entry.unit_id]).board(entry)


@cache
def _digests() -> PhotoDigests:
    """Photo digests, each file read once per process (keyed by its path, size and time)."""
    return PhotoDigests()


class UnitStamps:
    """The stamps of one unit's boards, for its pages: what a unit's boards share (its entries,
    its unit, member and pledge views, the theme's search path) is made once, not once a board.

    A unit page and its member pages stamp up to 5 boards each; at 200 units that was a quarter
    of a site build, most of it making the same views again.
    """

    def __init__(self, site: Site, unit: Unit):
        self.site, self.unit = site, unit
        self.views = UnitViews(site, unit, _digests())

    @cached_property
    def entries(self) -> list[Entry]:
        return entries(self.site, self.unit)

    def board(self, entry: Entry) -> str:
        """:func:`board_stamp` of one of the unit's boards."""
        def blank(board: Entry, person: Person | None) -> Stamp:
            return stamp_for(self.site, self.unit, person, None)

        return stamp_of(body_html(_spec(self.site, entry, self.views.photos, blank, self.views)))

    def page(self, person: Person | None) -> tuple[tuple[str, str], ...]:
        """:func:`page_stamps` of the unit's page (``person`` None) or of a member's page."""
        boards = [e for e in self.entries if e.member_id == (person.id if person else None)]
        if person is not None:
            boards.insert(1, card(self.unit, person))
        return tuple((e.label.split("：")[0], self.board(e)) for e in boards)


def page_stamps(site: Site, unit: Unit, person: Person | None) -> tuple[tuple[str, str], ...]:
    """``(board name, stamp)`` of every board whose QR code leads to the unit's page
    (``person`` None) or to the member's page, in the order boards are listed.
    A page group of many of a unit's pages asks one :class:`UnitStamps`."""
    return UnitStamps(site, unit).page(person)


def _spec(site: Site, entry: Entry, photos: PhotoCache, footer: Footer, views: UnitViews | None = None) -> BoardSpec:
    unit = site.units[entry.unit_id]
    views = views or UnitViews(site, unit, photos)
    person = unit.member(entry.member_id)
    cards = entry.kind in {"cards", "card"}
    shown = [m for m in unit.public_members if not cards or entry.member_id in {None, m.id}]
    page, max_pages = _page(site, entry.kind)
    px = photo_px(entry.kind, page.type_pt)  # 300 ppi at the board's largest photo
    members = tuple(views.person(m, px) for m in shown if entry.kind in {"poster", "members"} or cards)
    by_id = {m.id: m for m in members}
    member_pledges = tuple(
        (by_id[m.id], views.pledges(m.id)) for m in shown if m.id in by_id and (entry.kind == "poster" or cards)
    ) * (CARD_SHEET.per_sheet if entry.stem.startswith("cards-") else 1)  # one person's sheet: N-up
    own = views.person(person, px) if person and not cards else None
    cfg = site.config
    context = BoardContext(
        site_name=cfg.site.name, owner=cfg.site.owner, period=site.period.name, year=site.year,
        kind=entry.kind,
        title=entry.label, unit=views.of_unit(), members=members, member_pledges=member_pledges,
        org_pledges=views.pledges(None) if entry.kind == "poster" else (),
        person=own, pledges=views.pledges(entry.member_id) if entry.kind in {"tent", "pledge"} else (),
        footer=footer(entry, person),
        member_footers={m.id: footer(card(unit, m), m) for m in shown} if cards else {},
    )
    if entry.kind == "directory":
        context = dataclasses.replace(context, windows=guides.windows(site, unit))
    if entry.kind == "guide":  # the service item, and a QR code to it on the unit page
        item = guides.service(unit, entry.stem)
        context = dataclasses.replace(context, footer=guides.anchored(context.footer, item.id),
                                      service=guides.guide_view(item, context.unit.services[
                                          unit.data.services.index(item)].visits))
    return BoardSpec(entry, "cards.html" if cards else f"{entry.kind}.html", page, max_pages, context, views.theme)


def _page(site: Site, kind: str) -> tuple[Page, int | None]:
    p = site.config.print
    press = Press(p.bleed_mm, p.crop_marks, p.pdf_variant)
    if kind in {"poster", "members", "directory"}:
        return poster_page(p.poster_size, press), 1
    if kind in {"pledge", "guide"}:
        return a4(margin_mm=20, press=press), None  # a document: it may run onto more pages
    if kind == "tent":
        return a4(press=press), 1  # the faces are fit boxes; a second sheet would be a layout bug
    if kind == "card":
        return card_page(press), 2  # front, then back
    return a4(type_pt=7.5, press=press), None  # card sheets: as many as the members need
