"""The hall screen (电子显示屏): slides sized here so that none runs over the QR code.

A slide holds what fits at 16:9 (1920×1080, 1366×768) and on portrait screens
(1080×1920) at the screen's type size: long lists are split over several slides
instead of spilling into the footer, where they covered the QR code (6 of 27 demo
slides did not decode). Only this year's pledges that still stand are shown: a
withdrawn (已撤回) pledge or last year's is not a current promise. The screen is
left on for months, so it reloads itself every ``screen.reload_minutes``, and only
when the page can be fetched, so a network outage never blanks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from markupsafe import Markup

from ..model import PledgeItem, Site, Unit
from ..qr import qr_svg
from ..urls import unit_url
from .unitcontexts import ScreenContext, Slide

# What one slide holds, measured at 1366×768 (the tightest 16:9 screen: the same layout as 1920×1080,
# scaled) with two-line service names and pledge texts; portrait screens have more room.
T = TypeVar("T")

SERVICES_PER_SLIDE = 5
MEMBERS_PER_SLIDE = 6
PLEDGES_PER_SLIDE = 3
PLEDGE_CHARS = 56  # a pledge's text beyond this is cut with "…" (two lines on the screen)
SERVICE_CHARS = 24


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)] or [()]


def _numbered(heading: str, index: int, count: int) -> str:
    return f"{heading}（{index + 1}/{count}）" if count > 1 else heading


def current_pledges(site: Site, unit: Unit) -> list[PledgeItem]:
    """This year's published pledges that stand (not withdrawn): the party organisation's first."""
    standing = [p for p in unit.pledges if p.year == site.year and p.counted and p.published]
    return [p for p in standing if p.owner is None] + [p for p in standing if p.owner is not None]


def _slides(site: Site, unit: Unit, figures: str) -> list[Slide]:
    services = [(_cut(s.name, SERVICE_CHARS), "即办" if s.promised_limit == "即办" else
                 f"{s.promised_limit} 个工作日" if s.promised_limit is not None else "") for s in unit.data.services]
    slides = []
    parts = _chunks(services, SERVICES_PER_SLIDE)
    for i, part in enumerate(parts):
        slides.append(Slide("services", _numbered("亮标准 · 服务事项", i, len(parts)), services=part))
    groups = _chunks(unit.public_members, MEMBERS_PER_SLIDE)
    for i, group in enumerate(groups):
        slides.append(Slide("members", _numbered("亮身份 · 为您服务的党员", i, len(groups)), members=group))
    pledges = [(p.owner.data.name if p.owner else "党组织", _cut(p.data.text, PLEDGE_CHARS))
               for p in current_pledges(site, unit)]
    parts = _chunks(pledges, PLEDGES_PER_SLIDE)
    for i, part in enumerate(parts):
        slides.append(Slide("pledges", _numbered(f"亮承诺 · {site.year} 年承诺", i, len(parts)), pledges=part,
                            figures=figures if i == len(parts) - 1 else ""))
    return slides


def screen_context(site: Site, unit: Unit, figures: str) -> ScreenContext:
    """``figures``: the headline line, e.g. "2026 年践诺率 80.0%（4/5）　2026年下半年群众满意率 96.0%（96/100）"."""
    settings = site.config.screen
    slides = tuple(_slides(site, unit, figures))
    share = 100 / len(slides)
    return ScreenContext(
        unit=unit, slides=slides, slide_seconds=settings.slide_seconds,
        visible_percent=f"{share * 0.9:.2f}", fade_percent=f"{share:.2f}",
        reload_ms=settings.reload_minutes * 60_000,
        qr=Markup(qr_svg(unit_url(site, unit), title=f"{unit.name}公示页二维码")),
        supervision_phone=unit.data.supervision_phone or site.config.supervision_phone,
        as_of=site.as_of.isoformat(),
    )
