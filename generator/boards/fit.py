"""Fit steps, and measuring a laid-out board: which fit boxes overflow, and by how much.

A board has *fit boxes* (``data-fit="<name>"`` on a box of fixed height). While one
overflows, the fitting loop in :mod:`generator.boards.pdf` shrinks the type of the
part of it that carries ``style="{{ fit.style(name) }}"`` (:data:`SCALES`, never
below ``data-fit-min``); for boxes marked ``data-fit-abridge`` it then shortens each
long pledge to :data:`ABRIDGE` characters, and at last prints only the first pledges
(``data-fit-items`` says how many are shown), each cut marked “详见二维码”. The
wall posters' box ``page`` is the whole document; :mod:`generator.boards.sheets` fits it.

WeasyPrint exposes the layout of each page as a box tree (``page._page_box``;
no public API gives element geometry). A fit box overflows when any box inside
it ends below the bottom of its content box. Absolutely positioned and fixed boxes
(footers, QR codes placed in reserved space) are not part of the flow and are
skipped: nothing can push them off a board. The ratio (needed ÷ available height)
lets the loop jump straight to a small enough type size or text length.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from markupsafe import Markup

SCALES = (1.0, 0.95, 0.91, 0.85, 0.8, 0.7, 0.62, 0.55)  # type size steps, relative to the design size
ABRIDGE = (120, 80, 50, 30)  # then: characters of each long pledge kept, at the smallest size
ABRIDGED_NOTE = "……详见二维码"
EPSILON = 0.5  # CSS px of rounding we forgive
T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """How far one fit box has given way: type size, text length, items shown."""

    scale: int = 0  # index into SCALES
    limit: int | None = None  # characters of each long text kept; None: all
    keep: int | None = None  # items shown; None: all


@dataclass(frozen=True)
class Fit:
    """The steps of every fit box of a board, and the wall posters' balancing band."""

    steps: Mapping[str, Step] = field(default_factory=dict)
    reserve_mm: float = 0.0  # blank band above the footer of every sheet (sheets.py)

    def step(self, box: str) -> Step:
        return self.steps.get(box, Step())

    def scale(self, box: str) -> float:
        return SCALES[self.step(box).scale]

    def style(self, box: str) -> Markup:
        """Inline style of the part of a fit box that shrinks: its type size."""
        return Markup(f"font-size: {self.scale(box) * 100:g}%")

    def limit(self, box: str) -> int | None:
        """Characters of a long text the box may show, or None for all."""
        return self.step(box).limit

    def shown(self, box: str, items: Sequence[T]) -> Sequence[T]:
        keep = self.step(box).keep
        return items if keep is None else items[:keep]

    def hidden(self, box: str, items: Sequence[object]) -> int:
        """How many items the box leaves out (printed as “另有 N 条…详见二维码”)."""
        return len(items) - len(self.shown(box, items))

    def with_step(self, box: str, step: Step) -> Fit:
        return replace(self, steps={**self.steps, box: step})


def clip(text: str, limit: int | None) -> str:
    """``text``, or its first ``limit`` characters and a note pointing to the live page."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rstrip() + ABRIDGED_NOTE


def _children(box: Any) -> Iterator[Any]:
    yield from getattr(box, "children", ()) or ()


def _positioned(box: Any) -> bool:
    """Absolutely positioned or fixed: placed by the designer in reserved space, not in the flow."""
    style = getattr(box, "style", None)
    return style is not None and style["position"] in {"absolute", "fixed"}


def descendants(box: Any) -> Iterator[Any]:
    """Boxes in the flow inside ``box`` (positioned boxes and their contents are skipped)."""
    for child in _children(box):
        if _positioned(child):
            continue
        yield child
        yield from descendants(child)


def bottom(box: Any) -> float:
    """Bottom of the border box."""
    return float(box.position_y + box.margin_top + box.border_height())


@dataclass(frozen=True)
class Over:
    """An overflowing fit box: needed ÷ available height, and how far it may give way."""

    ratio: float
    abridge: bool = False  # data-fit-abridge: long texts may be shortened, items left out
    floor: int = len(SCALES) - 1  # smallest allowed step of SCALES (data-fit-min)
    items: int = 0  # data-fit-items: items the box shows now
    fitting: int = 0  # items (data-fit-item) that end inside the box with a line to spare for the note


def _fit_attrs(box: Any) -> tuple[str | None, bool, int, int]:
    element = getattr(box, "element", None)
    if element is None or not hasattr(element, "get") or getattr(box, "element_tag", None) is None:
        return None, False, 0, 0
    name = element.get("data-fit")
    minimum = float(element.get("data-fit-min") or SCALES[-1])
    floor = max(i for i, s in enumerate(SCALES) if s >= minimum - 1e-9)
    return name, element.get("data-fit-abridge") is not None, floor, int(element.get("data-fit-items") or 0)


def _fitting(box: Any) -> int:
    """Items of ``box`` (elements marked ``data-fit-item``) that end inside its content box
    and leave room below for one more line (the “另有 N 条…” note)."""
    items = [d for d in descendants(box) if getattr(d, "element_tag", None) and hasattr(d.element, "get")
             and d.element.get("data-fit-item") is not None]
    firsts = {id(d.element): d for d in reversed(items)}  # one box per element (the outer one)
    if not firsts:
        return 0
    line = min(float(d.border_height()) for d in firsts.values())
    limit = box.content_box_y() + box.height
    return sum(1 for d in firsts.values() if bottom(d) + line <= limit + EPSILON)


def _overflow(box: Any) -> float:
    """Needed ÷ available height of a fixed-height box (1.0 when it fits).

    Flow content must end inside the content box; the padding is reserved space
    (e.g. for an absolutely placed footer).
    """
    top = box.content_box_y()
    limit = top + box.height
    lowest = max((bottom(d) for d in descendants(box)), default=top)
    if lowest <= limit + EPSILON or box.height <= 0:
        return 1.0
    return (lowest - top) / max(box.height, 1.0)


def overflowing(document: Any) -> dict[str, Over]:
    """The fit boxes (other than ``page``) that do not fit."""
    found: dict[str, Over] = {}
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(_children(box))
            name, abridge, floor, items = _fit_attrs(box)
            if not name or name == "page":
                continue
            ratio = _overflow(box)
            if ratio > 1.0:
                ratio = max(ratio, found[name].ratio) if name in found else ratio
                found[name] = Over(ratio, abridge, floor, items, _fitting(box) if abridge else 0)
    return found


def next_step(fit: Fit, box: str, over: Over) -> Step:
    """The step to try next: a small enough type size, then shorter texts, then fewer items.

    Text area grows with the square of the type size, so a box 1.5× too tall
    needs type about 1/√1.5 ≈ 0.82 of its current size; shortened texts and the
    number of items shown shrink in proportion to the overflow.
    """
    step = fit.step(box)
    if step.scale < over.floor:
        wanted = SCALES[step.scale] / math.sqrt(over.ratio) * 1.02
        smaller = [i for i in range(step.scale + 1, over.floor + 1) if SCALES[i] <= wanted]
        return replace(step, scale=smaller[0] if smaller else over.floor)
    if not over.abridge:
        return step
    if step.limit is None or step.limit > ABRIDGE[-1]:
        wanted = (step.limit or ABRIDGE[0] * 1.5) / over.ratio
        shorter = [n for n in ABRIDGE if n < (step.limit or math.inf) and n <= wanted]
        return replace(step, limit=shorter[0] if shorter else ABRIDGE[-1])
    if over.items > 0:
        return replace(step, keep=max(0, min(over.items - 1, over.fitting)))
    return step


def _walk(box: Any) -> Iterator[Any]:
    for child in _children(box):
        yield child
        yield from _walk(child)


def type_sizes(document: Any) -> dict[str, float]:
    """Per shrinking part (``data-fit-type="<box>"``), the size in pt of its longest text run."""
    found: dict[str, float] = {}
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            name = element.get("data-fit-type") if element is not None and hasattr(element, "get") else None
            if not name or name in found:
                continue
            runs = [d for d in _walk(box) if getattr(d, "text", None)]
            if runs:
                longest = max(runs, key=lambda run: len(run.text))
                found[name] = round(float(longest.style["font_size"]) * 0.75, 1)  # CSS px → pt
    return found
