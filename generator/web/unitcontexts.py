"""The contexts of a unit's pages: the unit page, a member's page, the hall screen.

Part of the template contract described in :mod:`generator.web.contexts`: one frozen
dataclass per template, a docstring on every field. Built by :mod:`generator.web.units`
and :mod:`generator.web.screen`; members who did not consent are never in them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from .. import schema
from ..figures import Figures, Rate
from ..history import Trail
from ..model import Person, PledgeItem, RectItem, Unit
from .trendview import TrendView

Links = tuple[tuple[str, str], ...]  # (label, root-relative path)
Stamps = tuple[tuple[str, str], ...]  # (board name, stamp)


@dataclass(frozen=True)
class PeriodRow:
    """Survey results of one period, as a table row and a chart bar."""

    period: str
    """The period's name."""
    answers: dict[str, int]
    """Answer (非常满意 …) -> count."""
    total: int
    """All answers of the period."""
    rate: Rate
    """满意率 of the period."""
    opinions: tuple[str, ...]
    """The citizens' main opinions, as recorded."""
    channels: tuple[tuple[str, int, Rate], ...] = ()
    """Each survey channel (评价器、好差评 …): its answers and rate."""


@dataclass(frozen=True)
class ReviewLine:
    """A member's peer or self review as the member page lists it."""

    period: str
    """The period's name."""
    kind: str
    """互评 or 自评."""
    grade: str
    """优秀, 合格 …"""
    score: str
    """E.g. “92.5 分”, or "" when no score was given."""
    summary: str | None
    """The review's summary, if any."""


@dataclass(frozen=True)
class UnitContext:
    """``gongshi/unit.html``: 亮标准 / 亮身份 / 亮承诺 / 比 / 评 of one unit."""

    unit: Unit
    """The unit: its name, kind, services, rules, stars, red flags, conduct and grading."""
    own: Figures
    """The unit's own figures."""
    total: Figures
    """The figures of the unit and all units under it."""
    url: str
    """The live address, printed under the QR code."""
    stamps: Stamps
    """The current stamp of each board whose QR code leads here."""
    qr: Markup
    """The QR code of :attr:`url`, as SVG."""
    breadcrumbs: Links
    """The units above, the root first."""
    children: tuple[tuple[Unit, Figures], ...]
    """The units directly under this one, with their rolled-up figures."""
    description: Markup
    """The unit's description, rendered Markdown."""
    regimes: tuple[tuple[str, Markup], ...]
    """Service rules: name, rendered Markdown."""
    members: tuple[Person, ...]
    """The members who consented to be shown."""
    org_pledges: tuple[PledgeItem, ...]
    """The party organisation's published pledges."""
    member_pledges: tuple[PledgeItem, ...]
    """The published pledges of members who consented."""
    awards: tuple[tuple[schema.Award, str | None], ...]
    """Awards shown: the unit's own (name None) and those of members who consented (their name)."""
    contests: tuple[tuple[schema.Contest, tuple[tuple[str, schema.Result], ...]], ...]
    """Every contest with the results shown: the unit's own (“集体”) and those of members who consented."""
    periods: tuple[PeriodRow, ...]
    """Survey results per period that has any."""
    answers: tuple[str, ...]
    """The answer columns in use."""
    chart: Markup
    """满意率 per period, as an SVG bar chart."""
    reviews: dict[str, dict[str, int]]
    """Period name -> grade -> count of peer reviews (publish.reviews)."""
    review_scores: dict[str, str]
    """Period name -> mean peer-review score, e.g. “平均 91.3 分（6 人）”."""
    comments: tuple[schema.Comment, ...]
    """Leader comments on the unit, newest first."""
    rectifications: tuple[RectItem, ...]
    """The unit's rectifications."""
    feedback_url: str | None
    """The office's feedback form for the unit, if one is set."""
    boards: Links
    """The unit's printable boards (PDF and print page)."""
    jsonld: Markup
    """schema.org JSON-LD of the unit and its services."""
    supervision_phone: str
    """The unit's supervision phone, or the site's."""
    changed: dt.date | None
    """The last change of the unit's files, from git."""
    trails: dict[str, Trail]
    """Pledge id -> its (date, status) changes, from git."""
    trend: TrendView | None
    """践诺率, 满意率 and stars per period and per year."""
    workbook: str
    """Root-relative path of the unit's ledgers as .xlsx."""


@dataclass(frozen=True)
class MemberContext:
    """``gongshi/member.html``: one member, where a QR code on a desk tent or service card lands."""

    unit: Unit
    """The member's unit (its name and address)."""
    person: Person
    """The member, who consented to be shown."""
    photo: str | None
    """Root-relative path of the cleaned photo; None without one."""
    url: str
    """The live address."""
    stamps: Stamps
    """The current stamp of the member's tent, card and pledge sheet."""
    pledges: tuple[PledgeItem, ...]
    """The member's published pledges."""
    reviews: tuple[ReviewLine, ...]
    """The member's peer and self reviews (publish.reviews)."""
    satisfaction: Rate
    """The member's own 满意率."""
    comments: tuple[schema.Comment, ...]
    """Leader comments on the member."""
    awards: tuple[schema.Award, ...]
    """The member's awards."""
    results: tuple[tuple[schema.Contest, schema.Result], ...]
    """The member's contest results."""
    feedback_url: str | None
    """The office's feedback form for the member, if one is set."""
    boards: Links
    """The member's printable boards."""
    jsonld: Markup
    """schema.org JSON-LD of the member."""
    show_phone: bool
    """Whether the work phone is published (publish.member_phone)."""
    show_card: bool
    """Whether the service card number is published (publish.member_card_no)."""
    changed: dt.date | None
    """The last change of the members or pledges file, from git."""
    trails: dict[str, Trail]
    """Pledge id -> its (date, status) changes, from git."""


@dataclass(frozen=True)
class Slide:
    """One slide of the hall screen."""

    kind: str
    """``services``, ``members`` or ``pledges``."""
    heading: str
    """E.g. “亮身份 · 为您服务的党员（1/2）”."""
    services: tuple[tuple[str, str], ...] = ()
    """Service name and promised time limit."""
    members: tuple[Person, ...] = ()
    """Members who consented to be shown."""
    pledges: tuple[tuple[str, str], ...] = ()
    """Who made it and the pledge's text, cut to fit."""
    figures: str = ""
    """The headline figures line, on the last pledge slide."""


@dataclass(frozen=True)
class ScreenContext:
    """``gongshi/screen.html``: the slides, the cycle, the reload and the QR code."""

    unit: Unit
    """The unit (its name)."""
    slides: tuple[Slide, ...]
    """The slides, in order."""
    slide_seconds: int
    """How long each slide is shown."""
    visible_percent: str
    """Each slide is shown for this share of the cycle (CSS keyframes)."""
    fade_percent: str
    """… and faded out by this share."""
    reload_ms: int
    """How often the screen reloads itself, if the page answers."""
    qr: Markup
    """The QR code of the unit's live page, as SVG."""
    supervision_phone: str
    """The unit's supervision phone, or the site's."""
    as_of: str
    """The as-of date, ISO."""
