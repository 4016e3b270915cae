"""Wall posters: as few sheets as the content needs, type never below the floor, sheets balanced.

A poster is first laid out at its design size. If it needs more than one sheet,
its type shrinks (fit box ``page``), but never below the paper's floor
(:attr:`generator.boards.sizes.Page.min_type_pt`: 10 pt body text on A3, scaled
with the paper). If it still needs more sheets at the floor, it is printed on
that many sheets (the fewest), at the largest type that still needs no more,
and the sheets are balanced: a blank band (:attr:`Fit.reserve_mm`) above the
footer of every sheet shortens each sheet's text area so the content spreads
evenly, instead of leaving the last sheet nearly empty. The footer (supervision
phone, stamp, QR code) is a fixed box, which WeasyPrint repeats on every sheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .fit import SCALES, Fit, Step, bottom, descendants
from .sizes import Page

BALANCED = 0.75  # a last sheet filled less than this is balanced with the others
SLACK = 1.06  # balanced sheets' text area: the even share of the content, plus this margin
MM_PER_PX = 25.4 / 96


@dataclass(frozen=True)
class Sheets:
    """The fitted poster: its fit, its layout, and how far it went."""

    fit: Fit
    document: Any
    body_pt: float  # body text size reached


def floor_step(page: Page) -> int:
    """The smallest type step of :data:`SCALES` that keeps body text at or above the floor."""
    return max((i for i, s in enumerate(SCALES) if page.type_pt * s >= page.min_type_pt - 1e-6), default=0)


def filled(document: Any) -> float:
    """Sheets' worth of content: full sheets before the last, plus the share of the last one used."""
    last = document.pages[-1]._page_box
    root = last.children[0]  # the <html> box; margin boxes and footnote areas are not content
    area_top = last.content_box_y()
    lowest = max((bottom(d) for d in descendants(root)), default=area_top)
    share = min(max((lowest - area_top) / max(last.height, 1.0), 0.0), 1.0)
    return len(document.pages) - 1 + share


def fit_sheets(layout: Callable[[Fit], Any], page: Page, budget: int) -> Sheets:
    """Lay the poster out with at most ``budget`` layouts (see the module docstring)."""
    floor = floor_step(page)
    done: dict[tuple[int, float], tuple[Fit, Any]] = {}

    def at(scale: int, reserve: float = 0.0) -> tuple[Fit, Any]:
        if (scale, reserve) not in done:
            fit = replace(Fit(), reserve_mm=reserve).with_step("page", Step(scale))
            done[scale, reserve] = fit, layout(fit)
        return done[scale, reserve]

    fit, document = at(0)
    used, scale = 1, 0
    while len(document.pages) > 1 and scale < floor and used < budget:  # shrink, down to the floor
        wanted = SCALES[scale] / math.sqrt(filled(document)) * 1.02
        scale = next((i for i in range(scale + 1, floor + 1) if SCALES[i] <= wanted), floor)
        fit, document = at(scale)
        used += 1
    sheets = len(document.pages)
    if sheets > 1:  # the largest type that needs no more sheets than the floor did
        need = filled(document)
        for larger in range(scale):
            if used >= budget - 1 or need * (SCALES[larger] / SCALES[scale]) ** 2 > sheets * 0.97:
                continue
            used += (larger, 0.0) not in done
            tried = at(larger)
            if len(tried[1].pages) <= sheets:
                (fit, document), scale = tried, larger
                break
        fit, document = _balance(at, scale, document, page, budget - used)
    return Sheets(fit, document, round(page.type_pt * SCALES[scale], 1))


def _balance(at: Callable[[int, float], tuple[Fit, Any]], scale: int, document: Any, page: Page,
             budget: int) -> tuple[Fit, Any]:
    """Spread the content evenly over the sheets it needs (a band above each footer)."""
    sheets, need = len(document.pages), filled(document)
    fit = Fit().with_step("page", Step(scale))
    if need - (sheets - 1) >= BALANCED or budget <= 0:
        return fit, document
    area_mm = document.pages[0]._page_box.height * MM_PER_PX
    share = min(need / sheets * SLACK, 1.0)
    for _ in range(min(budget, 2)):
        tried = at(scale, round(area_mm * (1 - share), 1))
        if len(tried[1].pages) <= sheets:
            return tried
        share = (share + 1) / 2  # a sheet broke early (rows kept together): give back half the band
    return fit, document
