"""HTML → PDF with WeasyPrint: restricted fetching, fitting, reproducible bytes.

* :class:`RestrictedFetcher` hands WeasyPrint ``data:`` URIs and files under the
  folders the board stage names; ``file:///etc/passwd``, ``http(s)://`` and every
  other URL are refused (and reported), so content can never make a board
  read the disk or the network.
* :func:`render_board` lays the board out, shrinks overflowing fit boxes (see
  :mod:`generator.boards.render`) until it fits, and writes the PDF with its
  dates taken from the as-of date and a stable identifier, so the same content
  and as-of date give the same bytes.

Runs inside a worker process (:mod:`generator.boards.worker`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import engine
from .fit import Over, next_step, overflowing
from .plan import BoardSpec
from .render import Fit, print_parts, render_html, stylesheet
from .worker import Rendered

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
    return {"pdf_identifier": identifier.encode("ascii"), "uncompressed_pdf": False,
            "optimize_images": False}


@cache
def theme_css(kind: str, theme: tuple[Path, ...] = ()) -> CSS:
    """A kind's stylesheet, parsed once per worker (it has no ``url()`` or ``@import``)."""
    return CSS(string=str(stylesheet(kind, theme)), url_fetcher=RestrictedFetcher(()), font_config=engine.font_config())


def _layout(spec: BoardSpec, fit: Fit, html: str, fetcher: RestrictedFetcher) -> object:
    """Lay out the board: its page without ``<style>`` and the CSS pre-parsed (see engine.py),
    with the worker's one font configuration."""
    if not engine.active():
        return HTML(string=html, base_url=None, url_fetcher=fetcher).render(font_config=engine.font_config())
    bare, (page, _, own) = print_parts(spec, fit)
    sheets = [CSS(string=page, url_fetcher=fetcher), theme_css(spec.entry.kind, spec.theme)]
    if own.strip():
        sheets.append(CSS(string=own, url_fetcher=fetcher))
    return HTML(string=bare, base_url=None, url_fetcher=fetcher).render(
        font_config=engine.font_config(), stylesheets=sheets)


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
    fit = Fit()
    for attempt in range(MAX_LAYOUTS):
        html = render_html(spec, fit)
        document = _layout(spec, fit, html, fetcher)
        over = overflowing(document, spec.max_pages)
        moved = {box: next_step(fit, box, o) for box, o in over.items()}
        moved = {box: step for box, step in moved.items() if step != fit.step(box)}
        if not moved or attempt == MAX_LAYOUTS - 1:
            break
        for box, step in moved.items():
            fit = fit.with_step(box, step)
    pdf = document.write_pdf(**pdf_options(spec, html))  # type: ignore[attr-defined]
    pages = len(document.pages)  # type: ignore[attr-defined]
    warnings = _warnings(spec, fit, over, pages)
    return Rendered(pdf, html, pages, warnings, sorted(set(fetcher.refused)),
                    sorted(set(collect.messages)))


def _warnings(spec: BoardSpec, fit: Fit, over: dict[str, Over], pages: int) -> list[str]:
    """G602 messages: the board paginated, still overflows, or had texts shortened."""
    name = f"{spec.entry.label}（{spec.entry.path('pdf')}）"
    out = []
    if "page" in over:
        out.append(f"{name}内容太多，缩到最小字号仍放不下一张 {spec.page.name}，"
                   f"已分成 {pages} 张印刷。请精简内容，或在 site_config.yml 里把 print.poster_size 改大")
    boxes = sorted(b for b in over if b != "page")
    if boxes:
        out.append(f"{name}有 {len(boxes)} 处内容缩到最小字号仍放不下（{'、'.join(boxes[:5])}），"
                   "印出来会重叠。请精简承诺内容或岗位名称")
    abridged = sorted(b for b in fit.steps if fit.limit(b) is not None)
    if abridged:
        kept = min(fit.limit(b) or 0 for b in abridged)
        out.append(f"{name}上的承诺内容太长，已缩略为前 {kept} 字并注明“全文请扫码查看”"
                   f"（{'、'.join(abridged[:5])}）。请考虑精简承诺内容")
    return out
