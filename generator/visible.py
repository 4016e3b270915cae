"""What a reader sees of a text: the view the personal data guard scans (issue #17).

The guard judges what a page shows, not how the file spells it. A browser draws no glyph
for a format character (bidi controls, zero-width spaces, the soft hyphen, U+2060–2064) nor
for a mark on top of a digit, and a Markdown field is shown rendered: ``138**0013**8000``,
``&#49;3800138000`` and ``138<!-- -->00138000`` all read 13800138000 on the page.

:func:`plain` removes what is not drawn and folds look-alike digits to ASCII; :func:`shown`
first renders Markdown the way the site does, strips tags and decodes character references.
Every step is linear in the text's length (see ``generator.unicode_tables`` on NFKC).
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from . import unicode_tables
from .richtext import render_markdown

_INVISIBLE = unicode_tables.CharClass(unicode_tables.INVISIBLE)
_DIGITS = unicode_tables.decimal_digits()
_FOREIGN_DIGIT = unicode_tables.CharClass(" ".join(f"{c:x}" for c in sorted(_DIGITS) if c > 0x7F))
_TAG = re.compile(r"<[^<>]*+>")  # possessive, and stops at the next "<": linear


def plain(text: str) -> str:
    """Without invisible characters, NFKC (full-width, circled, mathematical digits become ASCII),
    and the decimal digits of every script as ASCII digits."""
    if text.isascii():  # nothing to remove or fold
        return text
    normal = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    if normal is not text:  # NFKC can make a mark again (ﾞ → U+3099)
        normal = _INVISIBLE.sub("", normal)
    return normal.translate(_DIGITS) if _FOREIGN_DIGIT.search(normal) else normal


def markup_text(html: str) -> str:
    """The text a browser draws from ``html``: comments and tags removed, references decoded.

    An unclosed comment hides the rest of the text, as it does in a browser.
    """
    head, *rest = html.split("<!--")
    text = head + "".join(part.split("-->", 1)[1] for part in rest if "-->" in part)
    return unescape(_TAG.sub("", text))


# What Markdown can turn into something else: emphasis, code, references, tags, escapes, links,
# tables, headings, quotes, lists, rules. A text without any of them renders to itself in
# paragraphs, and rendering costs 0.4 ms a field (5 s for a cold check of 2,000 units).
_MARKDOWN = re.compile(r"[*_`&<>\\\[|#=+~-]|^[ \t]*+[0-9]{1,9}[.)]", re.MULTILINE)


def shown(text: str, markdown: bool) -> str | None:
    """The text as a page shows it, or None when that is the text as written.

    A Markdown field is rendered as the site renders it. A plain field is printed escaped, so
    ``&#49;`` shows as written; it is still read as markup too, to refuse a number spelled that way.
    """
    if markdown and _MARKDOWN.search(text):
        return plain(markup_text(render_markdown(text)))
    if "<" in text or "&" in text:
        return plain(markup_text(text))
    return None
