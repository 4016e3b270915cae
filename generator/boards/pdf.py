"""HTML → PDF with WeasyPrint: restricted fetching, fitting, reproducible bytes.

* :class:`RestrictedFetcher` hands WeasyPrint ``data:`` URIs and files under the
  folders the board stage names; ``file:///etc/passwd``, ``http(s)://`` and every
  other URL are refused (and reported), so content can never make a board
  read the disk or the network.
* :func:`render_board` lays the board out, fits it (wall posters: :mod:`.sheets`;
  fit boxes of tents and cards: :mod:`.fit`), and writes the PDF with its
  dates taken from the as-of date and a stable identifier, so the same content
  and as-of date give the same bytes.

Runs inside a worker process (:mod:`generator.boards.worker`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import engine, press
from .fit import Fit, Over, next_step, overflowing, type_sizes
from .notices import box_notices, photo_notices, photo_ppi, wall_notices
from .plan import BoardSpec
from .render import print_parts, render_html, stylesheet
from .rendered import Rendered
from .sheets import fit_sheets
from .twice import copies_drawn

MAX_LAYOUTS = 8  # layouts tried per board before giving up on fitting it


class RefusedURL(ValueError):
    """A board asked for something the board stage did not provide."""


class RestrictedFetcher(URLFetcher):
    """WeasyPrint URL fetcher: ``data:`` URIs and files under ``allowed`` only."""

    def __init__(self, allowed: Iterable[Path] = ()):
        super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.allowed = tuple(p.resolve() for p in allowed)
        self.refused: list[str] = []

    def permitted(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
            return False
        path = Path(unquote(parts.path)).resolve()  # symlinks and .. resolved
        return any(path.is_relative_to(root) for root in self.allowed) and path.is_file()

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not self.permitted(url):
            self.refused.append(url[:200])
            raise RefusedURL(f"展板只能使用生成器提供的文件，已拒绝：{url[:200]}")
        return super().fetch(url, headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage()[:300])


def pdf_options(spec: BoardSpec, html: str) -> dict[str, object]:
    """WeasyPrint options that make the bytes reproducible.

    The creation and modification dates come from ``<meta name=dcterms.created>``
    (the as-of date) in the HTML; the file identifier is a hash of the board.
    """
    identifier = hashlib.sha256(f"{spec.entry.id}\n{html}".encode()).hexdigest()[:32]
    page = spec.page
    return {"pdf_identifier": identifier.encode("ascii"), "uncompressed_pdf": False,
            "optimize_images": False, "pdf_variant": page.variant,
            # boxes, font subset tags unique to this file, PDF/X metadata: press.py
            "finisher": press.finisher(identifier.encode("ascii"), page.bleed_mm, page.variant)}


@cache
def theme_css(kind: str, theme: tuple[Path, ...] = (), offset: bool = False) -> CSS:
    """A kind's stylesheet, parsed once per worker (it has no ``url()`` or ``@import``);
    ``offset``: with greys and black as K only (:func:`.press.k_only`)."""
    css = str(stylesheet(kind, theme))
    return CSS(string=press.k_only(css) if offset else css, url_fetcher=RestrictedFetcher(()),
               font_config=engine.font_config())


@cache
def _profiles(variant: str | None) -> dict[str, Any]:
    return press.color_profiles(variant)


def _layout(spec: BoardSpec, fit: Fit, html: str, fetcher: RestrictedFetcher) -> object:
    """Lay out the board: its page without ``<style>`` and the CSS pre-parsed (see engine.py),
    with the worker's one font configuration; a face printed twice is laid out once (twice.py)."""
    profiles = dict(_profiles(spec.page.variant))  # WeasyPrint adds to the dict it is given
    if not engine.active():
        return HTML(string=html, base_url=None, url_fetcher=fetcher).render(
            font_config=engine.font_config(), color_profiles=profiles)
    bare, (page, _, own) = print_parts(spec, fit)
    sheets = [CSS(string=page, url_fetcher=fetcher),
              theme_css(spec.entry.kind, spec.theme, bool(spec.page.variant))]
    if own.strip():
        sheets.append(CSS(string=own, url_fetcher=fetcher))
    with copies_drawn():  # a tent's bottom face: a copy of its laid-out top face (twice.py)
        return HTML(string=bare, base_url=None, url_fetcher=fetcher).render(
            font_config=engine.font_config(), stylesheets=sheets, color_profiles=profiles)


# Text in the faces boards use (base.css: sans regular and bold, serif bold for names and headings).
WARM_UP = ('<p style="font-family: \'Noto Sans CJK SC\', sans-serif">承诺<b>承诺</b></p>'
           '<p style="font-family: \'Noto Serif CJK SC\', serif; font-weight: 700">承诺</p>')


def warm_up() -> None:
    """Open, shape and subset the board fonts once, before a worker's first board: loading
    them (fontconfig, 20–27 MB files, a CID check per face) is the worker's cost, not the
    board's, so it does not count against the first board's ``print.timeout_s``."""
    engine.install()
    HTML(string=WARM_UP).write_pdf(font_config=engine.font_config())


def render_board(spec: BoardSpec, allowed: Iterable[Path] = ()) -> Rendered:
    """Lay the board out, shrink what overflows, and write the PDF."""
    engine.install()
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        return _fit_and_write(spec, RestrictedFetcher(allowed), collect)
    finally:
        logger.removeHandler(collect)


def _fit_and_write(spec: BoardSpec, fetcher: RestrictedFetcher, collect: _Collect) -> Rendered:
    def layout(fit: Fit) -> Any:
        return _layout(spec, fit, render_html(spec, fit), fetcher)

    if spec.page.min_type_pt:  # a wall poster: sheets.py
        sheets = fit_sheets(layout, spec.page, MAX_LAYOUTS)
        fit, document = sheets.fit, sheets.document
        notes = wall_notices(spec, len(document.pages), sheets.body_pt)
    else:
        fit, document, over = _fit_boxes(layout)
        notes = box_notices(spec, fit, over, type_sizes(document))
    notes += photo_notices(spec, photo_ppi(document))  # G614: a source photo too small
    html = render_html(spec, fit)
    pdf = document.write_pdf(**pdf_options(spec, html))
    return Rendered(pdf, html, len(document.pages), notes, sorted(set(fetcher.refused)),
                    sorted(set(collect.messages)))


def _fit_boxes(layout: Callable[[Fit], Any]) -> tuple[Fit, Any, dict[str, Over]]:
    """Shrink, shorten and thin out the fit boxes that overflow, until all fit (or tries run out)."""
    fit = Fit()
    for attempt in range(MAX_LAYOUTS):
        document = layout(fit)
        over = overflowing(document)
        moved = {box: next_step(fit, box, o) for box, o in over.items()}
        moved = {box: step for box, step in moved.items() if step != fit.step(box)}
        if not moved or attempt == MAX_LAYOUTS - 1:
            return fit, document, over
        for box, step in moved.items():
            fit = fit.with_step(box, step)
    raise AssertionError("unreachable")  # pragma: no cover
