"""Measure a laid-out board: which fit boxes overflow, and by how much.

WeasyPrint exposes the layout of each page as a box tree (``page._page_box``;
no public API gives element geometry). A fit box overflows when any box inside
it ends below the bottom of its padding box. The whole document overflows when
it has more pages than the board may have. Absolutely positioned and fixed
boxes (footers placed in reserved space) are not part of the flow and are skipped. The ratio (needed ÷ available
height) lets the fitting loop jump straight to a small enough type size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .render import ABRIDGE, SCALES, Fit

EPSILON = 0.5  # CSS px of rounding we forgive


def _children(box: Any) -> Iterator[Any]:
    yield from getattr(box, "children", ()) or ()


def _positioned(box: Any) -> bool:
    """Absolutely positioned or fixed: placed by the designer in reserved space, not in the flow."""
    style = getattr(box, "style", None)
    return style is not None and style["position"] in {"absolute", "fixed"}


def _descendants(box: Any) -> Iterator[Any]:
    """Boxes in the flow inside ``box`` (positioned boxes and their contents are skipped)."""
    for child in _children(box):
        if _positioned(child):
            continue
        yield child
        yield from _descendants(child)


def _bottom(box: Any) -> float:
    """Bottom of the border box."""
    return float(box.position_y + box.margin_top + box.border_height())


@dataclass(frozen=True)
class Over:
    """An overflowing fit box: needed ÷ available height, and how far it may shrink."""

    ratio: float
    abridge: bool = False  # data-fit-abridge: long texts may be shortened
    floor: int = len(SCALES) - 1  # smallest allowed step of SCALES (data-fit-min)


def _fit_attrs(box: Any) -> tuple[str | None, bool, int]:
    element = getattr(box, "element", None)
    if element is None or not hasattr(element, "get") or getattr(box, "element_tag", None) is None:
        return None, False, 0
    name = element.get("data-fit")
    minimum = float(element.get("data-fit-min") or SCALES[-1])
    floor = max(i for i, s in enumerate(SCALES) if s >= minimum - 1e-9)
    return name, element.get("data-fit-abridge") is not None, floor


def _overflow(box: Any) -> float:
    """Needed ÷ available height of a fixed-height box (1.0 when it fits).

    Flow content must end inside the content box; the padding is reserved space
    (e.g. for an absolutely placed footer).
    """
    top = box.content_box_y()
    limit = top + box.height
    lowest = max((_bottom(d) for d in _descendants(box)), default=top)
    if lowest <= limit + EPSILON or box.height <= 0:
        return 1.0
    return (lowest - top) / max(box.height, 1.0)


def overflowing(document: Any, max_pages: int | None) -> dict[str, Over]:
    """The fit boxes that do not fit, and ``page`` if there are too many pages."""
    found: dict[str, Over] = {}
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(_children(box))
            name, abridge, floor = _fit_attrs(box)
            if not name or name == "page":
                continue
            ratio = _overflow(box)
            if ratio > 1.0:
                ratio = max(ratio, found[name].ratio) if name in found else ratio
                found[name] = Over(ratio, abridge, floor)
    if max_pages is not None and len(document.pages) > max_pages:
        found["page"] = Over(_page_ratio(document, max_pages))
    return found


def _page_ratio(document: Any, max_pages: int) -> float:
    """How many pages' worth the content fills, ÷ the pages allowed."""
    last = document.pages[-1]._page_box
    area_top = last.content_box_y()
    lowest = max((_bottom(d) for d in _descendants(last)), default=area_top)
    fill = min(max((lowest - area_top) / max(last.height, 1.0), 0.05), 1.0)
    return (len(document.pages) - 1 + fill) / max_pages


def next_step(fit: Fit, box: str, over: Over) -> tuple[int, int]:
    """The step to try next: the first type size small enough for the overflow, then abridging.

    Text area grows with the square of the type size, so a box 1.5× too tall
    needs type about 1/√1.5 ≈ 0.82 of its current size.
    """
    scale, abridge = fit.step(box)
    if scale < over.floor:
        wanted = SCALES[scale] / math.sqrt(over.ratio) * 1.02
        for candidate in range(scale + 1, over.floor + 1):
            if SCALES[candidate] <= wanted:
                return candidate, abridge
        return over.floor, abridge
    if over.abridge and abridge < len(ABRIDGE):
        return scale, abridge + 1
    return scale, abridge
