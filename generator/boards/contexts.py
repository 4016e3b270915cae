"""What a board shows, as plain frozen dataclasses built from the model.

Templates only display these values: every choice (which members are public,
which pledges a board carries, how a time limit reads, where the QR code points)
is made here, once. The dataclasses pickle, so a worker process can render them.

Rules:

* Only public members (``Person.published``: they consented) appear.
* A board carries the pledges that are published, counted (not withdrawn) and of
  the site's pledge year (:attr:`Site.year`); older ones live on the website.
* Photos are re-encoded by :func:`generator.photos.clean_jpeg` (no EXIF, no GPS)
  and inlined as ``data:`` URIs; members without a photo get the placeholder.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import schema
from ..model import Person, PledgeItem, Site, Unit
from ..photos import clean_jpeg, placeholder_svg
from ..qr import qr_svg
from ..themes import search_path
from ..urls import member_url, unit_url, with_stamp

PHOTO_PPI = 300  # photos are embedded at up to this many pixels per inch of their printed size
PHOTO_MIN_PPI = 200  # below this a photo prints visibly soft: G614 (a 300 × 400 px photo gives
#                      about 230 ppi on an A3 members poster, 115 on an A1)
# Height of each kind's largest photo, in em of the board's body size (themes/boards/*.css):
# wall poster 8.4 em, members poster 11.2 em, tent 11.47 em, a card's 26.7 mm at 7.5 pt.
# A poster's type scales with its paper (sizes.py), so an A1 poster embeds twice the A3 pixels.
PHOTO_EM = {"poster": 8.4, "members": 11.2, "tent": 11.47, "cards": 10.1, "card": 10.1}


def photo_px(kind: str, type_pt: float) -> int:
    """Longer side in pixels that gives :data:`PHOTO_PPI` at the kind's largest photo."""
    return math.ceil(PHOTO_EM.get(kind, 11.5) * type_pt / 72 * PHOTO_PPI)


@dataclass(frozen=True)
class PersonView:
    """A public member as boards print them."""

    id: str
    name: str
    post: str
    title: str | None
    political_status: str
    badge: str | None
    is_party: bool
    card_no: str | None  # None when ``publish.member_card_no`` is off
    work_phone: str | None  # None when ``publish.member_phone`` is off
    photo_src: str | None  # ``data:image/jpeg;base64,…`` of the cleaned photo
    photo_file: str | None  # where it came from, for G614
    placeholder: Markup  # inline SVG used when there is no photo


@dataclass(frozen=True)
class PledgeView:
    id: str
    owner: str | None  # member's name; None for the organisation
    topic: str
    kind: str  # 年度承诺 / 即时承诺
    form: str  # 个人承诺 / 集体承诺 / 共同承诺
    text: str
    target: str | None
    made: str
    due: str
    year: int


@dataclass(frozen=True)
class ServiceView:
    name: str
    code: str | None
    promised: str  # "即办", "5 个工作日" or "—"
    legal: str
    fee: str
    window: str | None
    visits: str | None  # "最多跑 1 次" / "不用跑"


@dataclass(frozen=True)
class UnitView:
    id: str
    name: str
    short_name: str
    party_org: str | None
    secretary: str | None
    address: str | None
    hours: str | None
    phone: str | None
    brands: tuple[str, ...]
    regimes: tuple[str, ...]
    phrases: tuple[str, ...]
    services: tuple[ServiceView, ...]


@dataclass(frozen=True)
class Stamp:
    """What every board carries: as-of date, version stamp and the QR code to its live page."""

    as_of: str  # 2026年11月20日
    as_of_iso: str  # 2026-11-20, also the PDF creation and modification date
    stamp: str  # 8 hex digits from generator.stamps
    url: str  # live page with ?v=<stamp>
    qr: Markup  # inline vector SVG of ``url``
    supervision_phone: str


@dataclass(frozen=True)
class BoardContext:
    """The template context of every board (documented in docs/boards.md).

    ``person`` and ``pledges`` are set for a member's boards (tent, pledge sheet);
    ``pledges`` holds the organisation's pledges on its pledge sheet. ``footer``
    is the board's own stamp and QR (the member's page for member boards, else
    the unit's); on the card sheet each card also has its member's stamp.
    """

    site_name: str
    owner: str
    period: str  # current evaluation period, e.g. 2026年下半年
    year: int  # pledge year the board shows
    kind: str
    title: str
    unit: UnitView
    members: tuple[PersonView, ...]
    member_pledges: tuple[tuple[PersonView, tuple[PledgeView, ...]], ...]
    org_pledges: tuple[PledgeView, ...]
    person: PersonView | None
    pledges: tuple[PledgeView, ...]
    footer: Stamp
    member_footers: Mapping[str, Stamp]  # card sheet: each card's own stamp and QR
    service: Any = None  # 一次性告知单: the service item (guides.GuideView)
    windows: tuple[Any, ...] = ()  # 窗口导引: the centre's windows (guides.WindowView)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def limit_text(limit: int | str | None) -> str:
    if limit is None:
        return "—"
    return "即办" if limit == "即办" else f"{limit} 个工作日"


def _visits(visits: int | None) -> str | None:
    if visits is None:
        return None
    return "不用跑" if visits == 0 else f"最多跑 {visits} 次"


class PhotoCache:
    """Cleaned photos as ``data:`` URIs, each source decoded once per build."""

    def __init__(self, clean: Callable[[Path, int], bytes] = clean_jpeg):
        self._clean = clean
        self._seen: dict[tuple[str, int, int, int], bytes] = {}

    def _clean_once(self, path: Path, max_px: int) -> bytes:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, max_px)
        if key not in self._seen:
            self._seen[key] = self._clean(path, max_px)
        return self._seen[key]

    def data_uri(self, path: Path, max_px: int) -> str:
        """The photo at most ``max_px`` on its longer side (never enlarged)."""
        return "data:image/jpeg;base64," + base64.b64encode(self._clean_once(path, max_px)).decode("ascii")


class PhotoDigests(PhotoCache):
    """Photos as ``photo:sha256:<hex of the file>``: what a board's stamp sees of a photo.

    The printed photo is re-encoded from exactly these bytes, so a new photo file changes
    the stamp, and no photo is decoded to compute one.
    """

    def __init__(self) -> None:
        super().__init__(lambda path, size: hashlib.sha256(path.read_bytes()).digest())

    def data_uri(self, path: Path, max_px: int = 0) -> str:
        return "photo:sha256:" + base64.b16encode(self._clean_once(path, 0)).decode("ascii").lower()


def person_view(site: Site, person: Person, photos: PhotoCache, max_px: int = 0) -> PersonView:
    """A member as boards print them; photos at most ``max_px`` (:func:`photo_px`) long."""
    data, publish = person.data, site.config.publish
    return PersonView(
        id=person.id, name=data.name, post=data.post, title=data.title,
        political_status=data.political_status, badge=data.badge, is_party=person.is_party,
        card_no=data.card_no if publish.member_card_no else None,
        work_phone=data.work_phone if publish.member_phone else None,
        photo_src=photos.data_uri(person.photo, max_px) if person.photo else None,
        photo_file=f"content/units/{person.unit_id}/{data.photo}" if person.photo else None,
        placeholder=Markup(placeholder_svg(f"{data.name}（暂无照片）")),
    )


def board_pledges(site: Site, unit: Unit, member_id: str | None) -> tuple[PledgeItem, ...]:
    """The pledges a board carries: published, not withdrawn, of the site's pledge year."""
    return tuple(p for p in unit.pledges_of(member_id)
                 if p.published and p.counted and p.year == site.year)


def pledge_view(item: PledgeItem) -> PledgeView:
    p: schema.Pledge = item.data
    return PledgeView(
        id=p.id, owner=item.owner.data.name if item.owner else None, topic=p.topic, kind=p.kind,
        form=p.form, text=p.text, target=p.target, made=cn_date(p.made), due=cn_date(p.due),
        year=item.year,
    )


def unit_view(unit: Unit) -> UnitView:
    d = unit.data
    services = tuple(
        ServiceView(name=s.name, code=s.code, promised=limit_text(s.promised_limit),
                    legal=limit_text(s.legal_limit), fee=s.fee, window=s.window,
                    visits=_visits(s.visits))
        for s in d.services
    )
    return UnitView(
        id=unit.id, name=d.name, short_name=unit.short_name,
        party_org=d.party_org.name if d.party_org else None,
        secretary=d.party_org.secretary if d.party_org else None,
        address=d.address, hours=d.hours, phone=d.phone, brands=tuple(d.brands),
        regimes=tuple(r.name for r in d.regimes), phrases=tuple(d.phrases), services=services,
    )


def live_url(site: Site, unit: Unit, person: Person | None) -> str:
    """The page a board's QR code leads to: the member's for member boards, else the unit's."""
    return unit_url(site, unit) if person is None else member_url(site, person)


def stamp_for(site: Site, unit: Unit, person: Person | None, stamp: str | None) -> Stamp:
    """As-of date, stamp and QR code of a board whose stamp is ``stamp``.

    ``None`` gives the blank footer a board is stamped with (generator/stamps.py): the
    live page's address and the supervision phone print, the rest is left empty.
    """
    phone = unit.data.supervision_phone or site.config.supervision_phone
    url = live_url(site, unit, person)
    if stamp is None:
        return Stamp(as_of="", as_of_iso="", stamp="", url=url, qr=Markup(""), supervision_phone=phone)
    url = with_stamp(url, stamp)
    return Stamp(as_of=cn_date(site.as_of), as_of_iso=site.as_of.isoformat(), stamp=stamp, url=url,
                 qr=Markup(qr_svg(url)), supervision_phone=phone)


class UnitViews:
    """A unit's board views, each made once: the same member is on the poster, the members
    poster, the card sheet, their card, tent and pledge sheet."""

    def __init__(self, site: Site, unit: Unit, photos: PhotoCache):
        self.site, self.unit, self.photos = site, unit, photos
        self.theme = tuple(search_path("boards", site.root))
        self._unit: UnitView | None = None
        self._people: dict[tuple[str, int], PersonView] = {}
        self._pledges: dict[str | None, tuple[PledgeView, ...]] = {}

    def of_unit(self) -> UnitView:
        if self._unit is None:
            self._unit = unit_view(self.unit)
        return self._unit

    def person(self, person: Person, px: int) -> PersonView:
        key = (person.id, px)
        if key not in self._people:
            self._people[key] = person_view(self.site, person, self.photos, px)
        return self._people[key]

    def pledges(self, member_id: str | None) -> tuple[PledgeView, ...]:
        """:func:`board_pledges` of the organisation (None) or a member, as views."""
        if member_id not in self._pledges:
            self._pledges[member_id] = tuple(pledge_view(p) for p in board_pledges(self.site, self.unit, member_id))
        return self._pledges[member_id]
