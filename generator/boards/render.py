"""Jinja2 → HTML for one board (autoescape on: everything from content is escaped).

The same HTML is handed to WeasyPrint and written next to the PDF as the
print-styled page for browsers. CSS is inlined so the page prints on its own and
the cache key (a hash of the HTML) covers the styles too.

Templates get the board's fit steps as ``fit`` (:class:`generator.boards.fit.Fit`):
the type size of each fit box, how long a pledge may be and how many are shown.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from .. import jinja_escape, themes
from . import twice
from .fit import Fit, clip
from .fonts import SUBSTITUTE
from .press import css_bleed_mm, k_only, k_only_svg
from .sizes import CARD_SHEET, CARD_SINGLE

if TYPE_CHECKING:  # plan renders boards to stamp them, so it imports this module
    from .plan import BoardSpec

def _folders(theme: tuple[Path, ...]) -> list[Path]:
    """A spec's search path (overrides/boards, then the theme); the theme alone if it has none."""
    return list(theme) or [themes.theme_dir("boards")]


@cache
def environment(theme: tuple[Path, ...] = ()) -> Environment:
    jinja_escape.install()  # before any board template compiles
    env = Environment(
        loader=themes.loader("boards", _folders(theme)), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
    )
    env.filters["clip"] = clip
    return env


def compile_templates(theme: tuple[Path, ...] = ()) -> None:
    """Compile every board template of ``theme`` now (before workers fork: they inherit them)."""
    themes.compile_all(environment(theme))


# The CSS files of each board kind, in cascade order.
STYLES: dict[str, tuple[str, ...]] = {
    "poster": ("base.css", "wall.css", "poster.css"),
    "members": ("base.css", "wall.css", "members.css"),
    "tent": ("base.css", "tent.css"),
    "cards": ("base.css", "cards.css"),
    "card": ("base.css", "cards.css"),
    "guide": ("base.css", "guide.css"),
    "directory": ("base.css", "wall.css", "directory.css"),
    "pledge": ("base.css", "pledge.css"),
}


@cache
def stylesheet(kind: str, theme: tuple[Path, ...] = ()) -> Markup:
    """The kind's CSS files (each from overrides/boards if the project has it there), inlined into the page."""
    folders = _folders(theme)
    return Markup("\n".join(themes.find("boards", name, folders).read_text(encoding="utf-8")
                             for name in STYLES[kind]))


def page_css(spec: BoardSpec, fit: Fit | None = None, browsers: bool = True) -> Markup:
    """The ``@page`` rule: exact trim size, margins, and bleed and crop marks when set.

    Wall posters keep a band at the foot of every sheet (the page's bottom padding)
    for the footer, a fixed box that WeasyPrint repeats on every sheet, plus the
    balancing band of :mod:`generator.boards.sheets`; the stamp also runs in the top
    margin, so a poster on more sheets says on each that it continues. Browsers get one more
    rule (``browsers``), left out of what the worker hands WeasyPrint, which would only log
    that it does not know ``@supports``.
    Only generated values (sizes, date, stamp) go into CSS, never content text.
    """
    page = spec.page
    rules = [f"size: {page.css_size};", f"margin: {page.margin_mm:g}mm;"]
    if page.bleed_mm or page.crop_marks:  # with marks: bleed plus a slug for them (press.py)
        rules.append(f"bleed: {css_bleed_mm(page.bleed_mm, page.crop_marks):g}mm;")
    if page.crop_marks:
        rules.append("marks: crop;")
    root = (f"font-size: {page.type_pt:g}pt; --sheet-width: {page.width_mm:g}mm; "
            f"--sheet-height: {page.height_mm:g}mm; --sheet-margin: {page.margin_mm:g}mm;")
    css = [f"@page {{ {' '.join(rules)} }}", f"html {{ {root} }}"]
    if page.foot_mm:
        band = page.foot_mm + (fit.reserve_mm if fit else 0.0)
        stamp = spec.context.footer
        css += [f"@page {{ padding-bottom: {band:g}mm; }}",
                # WeasyPrint places fixed boxes against the page's content box: down into the band
                f".board-foot {{ height: {page.foot_mm - 2:g}mm; bottom: -{band:g}mm; }}",
                f'@page {{ @top-right {{ content: "续页 · 截至 {stamp.as_of} · 版本 {stamp.stamp}"; '
                'font-size: 7pt; color: #5f5650; } }',
                f'@page :first {{ @top-right {{ content: "截至 {stamp.as_of} · 版本 {stamp.stamp}"; }} }}']
    if page.foot_mm and browsers:
        # WeasyPrint drops @supports: browsers put the footer after the content, at the foot of
        # the first sheet, as they do not repeat fixed boxes in a page's padding.
        css.append(f"@supports (display: block) {{ @page {{ padding-bottom: 0; }} html .board-foot "
                   f"{{ position: static; }} .wall {{ min-height: "
                   f"{page.height_mm - 2 * page.margin_mm - page.foot_mm - 1:g}mm; }} }}")
    return Markup("\n".join(css))


def _fields(spec: BoardSpec, fit: Fit | None, inline_css: bool = True, for_stamp: bool = False) -> dict[str, object]:
    fields = {f.name: getattr(spec.context, f.name) for f in dataclasses.fields(spec.context)}
    css = (stylesheet(spec.entry.kind, spec.theme), page_css(spec, fit)) if inline_css else ("", "")
    return {**fields, "page": spec.page, "fit": fit or Fit(), "css": css[0], "page_css": css[1],
            "inline_css": inline_css, "board_id": spec.entry.id, "for_stamp": for_stamp,
            "layout": CARD_SINGLE if spec.entry.kind == "card" else CARD_SHEET}


def _drawable(spec: BoardSpec, text: str) -> str:
    """``text`` with the characters the board fonts lack replaced (see :mod:`.fonts`)."""
    return text.translate({ord(c): SUBSTITUTE for c in spec.missing}) if spec.missing else text


def render_html(spec: BoardSpec, fit: Fit | None = None) -> str:
    """The board's HTML at the given fit steps (all at the design size by default)."""
    template = environment(spec.theme).get_template(spec.template)
    return _drawable(spec, template.render(**_fields(spec, fit), draw_faces_once=False))


def body_html(spec: BoardSpec) -> str:
    """:func:`render_html` without its ``<style>``, for a stamp: the same printed text (all a stamp
    reads) for a third of the bytes. A template may take ``for_stamp`` as leave to leave out what
    prints no text (a card's crop marks) and to draw what repeats once and copy it (a tent's two
    faces): 0.14 → 0.10 ms a tent, 0.245 → 0.204 ms a card with its digest, one of each for each of
    30,000 members at 2,000 units."""
    template = environment(spec.theme).get_template(spec.template)
    return _drawable(spec, template.render(**_fields(spec, None, inline_css=False, for_stamp=True), draw_faces_once=False))


def print_parts(spec: BoardSpec, fit: Fit | None = None) -> tuple[str, tuple[str, str, str]]:
    """What WeasyPrint lays out: :func:`render_html` without its ``<style>``, and that style's
    three parts in cascade order (``@page`` and root size, the kind's stylesheet, the
    template's own ``style`` block).

    The worker parses the kind's stylesheet once and hands all three to WeasyPrint as
    stylesheets, in the same order, so the cascade is the one of the inlined page. A face that
    prints twice is left empty the second time and drawn as a copy (:mod:`.twice`).
    """
    template = environment(spec.theme).get_template(spec.template)
    context = template.new_context({**_fields(spec, fit), "inline_css": False,
                                     "draw_faces_once": twice.supported()})
    html = "".join(template.root_render_func(context))  # as render(); fills context.blocks
    own = "".join(context.blocks["style"][0](context))  # the most derived template's block
    press = k_only if spec.page.variant else str  # offset: greys and black on the K plate only
    bare = k_only_svg(_drawable(spec, html)) if spec.page.variant else _drawable(spec, html)
    return bare, (press(page_css(spec, fit, browsers=False)),
                                   press(stylesheet(spec.entry.kind, spec.theme)), press(_drawable(spec, own)))
