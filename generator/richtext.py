"""Free text from content, made safe to publish, in bounded time.

Fields documented as "可用 Markdown" are rendered with plain Markdown (no
attr_list, md_in_html or snippets: content must not add attributes, raw HTML
blocks or include files), then sanitised with nh3: a short list of tags, links
only to http(s), mailto and tel. Everything else is escaped by Jinja2.

python-markdown takes time growing with the square of some shapes (measured:
4,000 "[" took 3 s, 1,000 lines of deepening ">" 4 s, 5,000 setext headings 2.7 s)
and overflows its recursion on a few hundred nested lists. :data:`LIMITS` caps
what a Markdown field may hold: ``check`` refuses a field beyond them (G211) and
:func:`render_markdown` shows such a text as plain paragraphs instead of rendering
it. Within the limits the slowest shape measured, 50 "[" in 10,000 characters,
renders in about 0.2 s; a hard wall-clock bound (a worker per field) is not needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import markdown
import nh3
from markupsafe import Markup, escape

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "h3", "h4", "table",
        "thead", "tbody", "tr", "th", "td", "hr"}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class Limits:
    chars: int = 10_000
    lines: int = 500
    depth: int = 8  # quote markers, list markers and 4-column indents at the start of a line
    brackets: int = 50  # each "[" makes the parser search the rest of the text for its link
    angles: int = 50  # each "<" likewise, for autolinks and inline HTML


LIMITS = Limits()


@dataclass(frozen=True)
class Excess:
    """The first limit a text goes beyond: which, the limit, what was found, on which line."""

    what: str  # "chars", "lines", "depth", "brackets" or "angles"
    limit: int
    found: int
    line: int = 0  # 1-based line within the text, for "depth"


_CONTAINER = re.compile(r"[ \t]*+(?:>|[-*+](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))")


def _depth(line: str) -> int:
    """Containers a line opens: its quote and list markers, and each 4 columns of indentation."""
    depth = pos = 0
    indent = len(line) - len(line.lstrip(" \t"))
    depth += len(line[:indent].expandtabs(4)) // 4
    while (match := _CONTAINER.match(line, pos)) and match.end() > pos:
        depth += 1
        pos = match.end()
    return depth


def excess(text: str, limits: Limits = LIMITS) -> Excess | None:
    """The first of :data:`LIMITS` that ``text`` goes beyond, or None. Linear in the text."""
    if len(text) > limits.chars:
        return Excess("chars", limits.chars, len(text))
    lines = text.splitlines()
    if len(lines) > limits.lines:
        return Excess("lines", limits.lines, len(lines))
    depths = [_depth(line) for line in lines]
    deepest = max(depths, default=0)
    if deepest > limits.depth:
        return Excess("depth", limits.depth, deepest, depths.index(deepest) + 1)
    for what, char in (("brackets", "["), ("angles", "<")):
        if text.count(char) > getattr(limits, what):
            return Excess(what, getattr(limits, what), text.count(char))
    return None


def plain_paragraphs(text: str) -> Markup:
    """A text shown as written: escaped, a paragraph per blank line, a line break per line."""
    paragraphs = [p for p in re.split(r"\n[ \t]*+\n", text.strip()) if p.strip()]
    return Markup("\n".join(f"<p>{'<br>'.join(escape(line) for line in p.splitlines())}</p>" for p in paragraphs))


@cache
def _converter() -> markdown.Markdown:
    """One converter a process, reset before each text: ``markdown.markdown()`` built a new one each
    time, a third of the time a unit page's rules took (its extensions' parsers)."""
    return markdown.Markdown(extensions=["tables"], output_format="html")


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitised HTML; headings are demoted to h3/h4 so pages keep their outline.

    A text beyond :data:`LIMITS` (which ``check`` refuses) is shown as plain paragraphs.
    """
    if not text:
        return Markup("")
    if excess(text) is not None:
        return plain_paragraphs(text)
    html = _converter().reset().convert(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h4>")
    html = html.replace("</h2>", "</h4>")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)
