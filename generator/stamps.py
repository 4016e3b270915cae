"""Version stamps: a short hash of what a printed board shows.

A printed board carries its stamp, and its QR code points to the live page with
``?v=<stamp>`` (:func:`generator.urls.with_stamp`); the page lists the current stamps of
the boards that point to it and tells the reader whether the board in their hand is
still current.

A board's stamp is :func:`stamp_of` its page, rendered by the board's own template
with its stamp, QR code and as-of date left blank and each photo standing for the
sha256 of its file (``generator.boards.plan.board_stamp``). Only what prints counts:
the text of the page body, in order, and its images, never the markup, the CSS or
the fit steps. So a field a template prints is covered the day it is added, and a
field no board prints (a pledge's status, a member's consent date) never changes a
stamp. Stamps do not depend on the build date: reprinting unchanged content keeps them.
"""

from __future__ import annotations

import hashlib
import re
from html import unescape

BOUNDARY = "\x1f"  # between elements: "李" + "明综合" and "李明" + "综合" differ
# Boards are our own templates' output: tags never hold a raw ">" (Jinja escapes content in
# attributes), the body holds no <style>, <script> or comments. An <img> stands for its source.
_TAGS = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"[^>]*>|<[^>]*>')


def printed_text(html: str) -> str:
    """What a board page prints: its body's text nodes, whitespace collapsed, and its images,
    one element apart from the next by :data:`BOUNDARY`."""
    body = html[max(html.find("<body"), 0):]
    parts = _TAGS.split(body)  # text, img source or None, text, …
    kept = [" ".join(text.split()) if k % 2 == 0 else f"img:{text}" for k, text in enumerate(parts) if text]
    return unescape(BOUNDARY.join(part for part in kept if part))


def stamp_of(html: str) -> str:
    """8 hex digits of sha256 over :func:`printed_text`."""
    return hashlib.sha256(printed_text(html).encode("utf-8", "surrogatepass")).hexdigest()[:8]


