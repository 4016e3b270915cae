"""Free text from content, made safe to publish.

Fields documented as "可用 Markdown" are rendered with plain Markdown (no
attr_list, md_in_html or snippets: content must not add attributes, raw HTML
blocks or include files), then sanitised with nh3: a short list of tags, links
only to http(s), mailto and tel. Everything else is escaped by Jinja2.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "h3", "h4", "table",
        "thead", "tbody", "tr", "th", "td", "hr"}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitised HTML; headings are demoted to h3/h4 so pages keep their outline."""
    if not text:
        return Markup("")
    html = markdown.markdown(text, extensions=["tables"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h4>")
    html = html.replace("</h2>", "</h4>")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)
