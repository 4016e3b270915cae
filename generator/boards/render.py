"""Jinja2 → HTML for one board (autoescape on: everything from content is escaped).

The same HTML is handed to WeasyPrint and written next to the PDF as the
print-styled page for browsers. CSS is inlined so the page prints on its own and
the cache key (a hash of the HTML) covers the styles too.

A board has *fit boxes* (``data-fit="<name>"``): the fitting loop in
:mod:`generator.boards.pdf` shrinks a box's type while it overflows
(:data:`SCALES`, down to ``data-fit-min`` if given), and for boxes marked
``data-fit-abridge`` it then shortens long pledge texts with a visible
“全文请扫码查看” note (:data:`ABRIDGE`).
The box named ``page`` is the whole document: it shrinks when the board needs
more pages than it may have.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .fonts import SUBSTITUTE

if TYPE_CHECKING:  # plan renders boards to stamp them, so it imports this module
    from .plan import BoardSpec

THEME = Path(__file__).resolve().parent.parent.parent / "themes" / "boards"
SCALES = (1.0, 0.9, 0.8, 0.7, 0.62, 0.55)  # type size steps, relative to the design size
ABRIDGE = (180, 110, 60)  # then: characters of a long text kept, at the smallest size
ABRIDGED_NOTE = "……（全文请扫码查看）"


@dataclass(frozen=True)
class Fit:
    """Per fit box: (type size step into :data:`SCALES`, abridge step into :data:`ABRIDGE`, 0 = none)."""

    steps: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def step(self, box: str) -> tuple[int, int]:
        return self.steps.get(box, (0, 0))

    def scale(self, box: str) -> float:
        return SCALES[self.step(box)[0]]

    def style(self, box: str) -> Markup:
        """Inline style of a fit box: its type size."""
        return Markup(f"font-size: {self.scale(box) * 100:g}%")

    def limit(self, box: str) -> int | None:
        """Characters of a long text the box may show, or None for all."""
        abridge = self.step(box)[1]
        return ABRIDGE[abridge - 1] if abridge else None

    def with_step(self, box: str, step: tuple[int, int]) -> Fit:
        return Fit({**self.steps, box: step})


def clip(text: str, limit: int | None) -> str:
    """``text``, or its first ``limit`` characters and a note pointing to the live page."""
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rstrip() + ABRIDGED_NOTE


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(THEME), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["clip"] = clip
    return env


# The CSS files of each board kind, in cascade order.
STYLES: dict[str, tuple[str, ...]] = {
    "poster": ("base.css", "wall.css", "poster.css"),
    "members": ("base.css", "wall.css", "members.css"),
    "tent": ("base.css", "tent.css"),
    "cards": ("base.css", "cards.css"),
    "pledge": ("base.css", "pledge.css"),
}


@cache
def stylesheet(kind: str) -> Markup:
    """The kind's CSS files, inlined into the page."""
    return Markup("\n".join((THEME / name).read_text(encoding="utf-8") for name in STYLES[kind]))


def page_css(spec: BoardSpec) -> Markup:
    """The ``@page`` rule: exact trim size, margins, and bleed and crop marks when set.

    Wall posters also get the height of their content area (so the footer sits at
    the foot of the sheet) and the stamp in the top margin of every sheet, so a
    poster that had to run onto more sheets still dates each one.
    Only generated values (sizes, date, stamp) go into CSS, never content text.
    """
    page = spec.page
    rules = [f"size: {page.css_size};", f"margin: {page.margin_mm:g}mm;"]
    if page.bleed_mm:
        rules.append(f"bleed: {page.bleed_mm:g}mm;")
    if page.crop_marks:
        rules.append("marks: crop;")
    root = (f"font-size: {page.type_pt:g}pt; --sheet-width: {page.width_mm:g}mm; "
            f"--sheet-height: {page.height_mm:g}mm; --sheet-margin: {page.margin_mm:g}mm;")
    css = [f"@page {{ {' '.join(rules)} }}", f"html {{ {root} }}"]
    if page.foot_mm:
        inner = page.height_mm - 2 * page.margin_mm
        stamp = spec.context.footer
        css += [f".wall {{ min-height: {inner - page.foot_mm - 1:g}mm; }}",
                f".board-foot {{ height: {page.foot_mm - 2:g}mm; }}",
                f'@page {{ @top-right {{ content: "续页 · 截至 {stamp.as_of} · 版本 {stamp.stamp}"; '
                'font-size: 7pt; color: #5f5650; } }',
                f'@page :first {{ @top-right {{ content: "截至 {stamp.as_of} · 版本 {stamp.stamp}"; }} }}']
    return Markup("\n".join(css))


def _fields(spec: BoardSpec, fit: Fit | None) -> dict[str, object]:
    fields = {f.name: getattr(spec.context, f.name) for f in dataclasses.fields(spec.context)}
    return {**fields, "page": spec.page, "fit": fit or Fit(), "css": stylesheet(spec.entry.kind),
            "page_css": page_css(spec), "board_id": spec.entry.id}


def _drawable(spec: BoardSpec, text: str) -> str:
    """``text`` with the characters the board fonts lack replaced (see :mod:`.fonts`)."""
    return text.translate({ord(c): SUBSTITUTE for c in spec.missing}) if spec.missing else text


def render_html(spec: BoardSpec, fit: Fit | None = None) -> str:
    """The board's HTML at the given fit steps (all at the design size by default)."""
    return _drawable(spec, environment().get_template(spec.template).render(**_fields(spec, fit), inline_css=True))


def print_parts(spec: BoardSpec, fit: Fit | None = None) -> tuple[str, tuple[str, str, str]]:
    """What WeasyPrint lays out: :func:`render_html` without its ``<style>``, and that style's
    three parts in cascade order (``@page`` and root size, the kind's stylesheet, the
    template's own ``style`` block).

    The worker parses the kind's stylesheet once and hands all three to WeasyPrint as
    stylesheets, in the same order, so the cascade is the one of the inlined page.
    """
    template = environment().get_template(spec.template)
    context = template.new_context({**_fields(spec, fit), "inline_css": False})
    html = "".join(template.root_render_func(context))  # as render(); fills context.blocks
    own = "".join(context.blocks["style"][0](context))  # the most derived template's block
    return _drawable(spec, html), (page_css(spec), stylesheet(spec.entry.kind), _drawable(spec, own))
