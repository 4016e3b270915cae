"""Render page bodies with our own Jinja2 environment: autoescape on, compiled once.

MkDocs' environment has autoescape off, so no template that prints content goes
through it: MkDocs renders only the Material page around the body (see
``generator.mkdocs_site``), and every body is rendered here, where every value is
escaped unless it is :class:`~markupsafe.Markup` (sanitised HTML, SVG, JSON-LD).
It also renders thousands of pages in the time Material takes for hundreds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, pass_context
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from .. import jinja_escape, themes, urls
from .plan import PageSpec


def relative_url(target: str, page_url: str) -> str:
    """``target`` (root-relative, e.g. ``units/a/#x``) as seen from the page at ``page_url``.

    Up to the root, then down: ``../../units/a/`` from ``units/b/``. Not the shortest form,
    but one string operation (posixpath.relpath took 15 s of a 1,000-unit build).
    """
    if _outside(target):
        return target
    up = "../" * page_url.count("/")
    return (up + target) or "./"


# While ``reuse`` renders an item once for pages at every depth, the ``url`` filter leaves these
# marks where each page puts its own way up to the site root. Check refuses every C0 control
# character in content and settings (G210), so no published text holds one.
_UP = "\x00"  # "../" once a level
_HERE = "\x01"  # the site root itself: "./" on the home page
_DEPTHLESS: ContextVar[bool] = ContextVar("depthless", default=False)


@pass_context
def _url(context: Context, target: str) -> str:
    target = str(target)
    if _DEPTHLESS.get():
        return relative_url(target, "") if _outside(target) else (_UP + target if target else _HERE)
    return relative_url(target, context["page_url"])


def _outside(target: str) -> bool:
    return "://" in target or target.startswith(("mailto:", "tel:", "#"))


def _at_depth(marked: str, depth: int) -> str:
    """A depthless rendering as :func:`relative_url` would have written it on a page ``depth`` levels down."""
    up = "../" * depth
    return marked.replace(_HERE, up or "./").replace(_UP, up)


def reuse() -> Callable[..., Markup]:
    """The ``reuse`` global: ``reuse(m.pledge, p, unit_name)`` is ``m.pledge(p, unit_name)``, rendered
    once for each item and arguments in a build.

    A pledge stands on up to eight pages of the pledge ledger (全部, its state, outcome, topic, kind,
    form and year, 逾期), and rendering those items again was 13 % of a 2,000-unit build (py-spy);
    rendered once a page depth (filters and pages of a filter sit at five depths), still 10 %.
    The item is rendered once with its links marked (``_DEPTHLESS``) and each page fills in its
    own ``../``: the same bytes as rendering it on that page. Only for a macro whose output depends
    on nothing but its arguments and the page's depth, and whose links all go through the ``url``
    filter. Each item is kept with its output, so its ``id`` is not reused while the output is
    kept; a new environment (a new build) starts empty.
    """
    kept: dict[tuple[object, ...], tuple[object, str]] = {}

    @pass_context
    def reused(context: Context, macro: Macro, item: object, *args: object) -> Markup:
        key = (macro.name, id(item), args)
        hit = kept.get(key)
        if hit is None:
            depthless = _DEPTHLESS.set(True)
            try:
                hit = kept[key] = (item, str(macro(item, *args)))
            finally:
                _DEPTHLESS.reset(depthless)
        return Markup(_at_depth(hit[1], context["page_url"].count("/")))

    return reused


def environment(folders: list[Path] | None = None) -> Environment:
    """Body templates from ``folders`` (the project's overrides/site, then the site theme; the theme alone
    by default)."""
    jinja_escape.install()  # before any body template compiles
    env = Environment(loader=themes.loader("site", folders or [themes.theme_dir("site")]), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=False, lstrip_blocks=False, auto_reload=False)
    env.filters["url"] = _url
    env.globals["urls"] = urls  # every address a template links to (generator/urls.py)
    env.globals["reuse"] = reuse()  # a macro's output kept for the build (the pledge ledger's items)
    return env


@lru_cache(maxsize=2)
def _compiled(folders: tuple[Path, ...], digest: str) -> Environment:
    """The environment of these template folders while their files hold these bytes (``digest``):
    ``serve`` renders with the templates it compiled for the build before (0.2 s of each save at
    2,000 units), and an edited template is a new digest, so a new environment."""
    return environment(list(folders))


def _templates_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for name, content in themes.files_digest_parts(folders):
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


class BodyRenderer:
    """Renders each page's body template with ``g`` (its context) and ``gs`` (site facts)."""

    def __init__(self, site_facts: dict[str, Any], folders: list[Path] | None = None):
        folders = folders or [themes.theme_dir("site")]
        self.env = _compiled(tuple(folders), _templates_digest(folders))
        if self.env.cache is not None and not all(t.is_up_to_date for t in self.env.cache.values()):
            _compiled.cache_clear()  # a template it compiled changed after the digest was taken, in a build
            self.env = _compiled(tuple(folders), _templates_digest(folders))  # before: it may have been undone
        self.env.globals["reuse"] = reuse()  # this build's own: what it keeps is this site's
        self.facts = site_facts

    def compile_templates(self) -> None:
        """Compile every page template (those that do not compile are left to fail where they are used)."""
        themes.compile_all(self.env)

    def render(self, page: PageSpec) -> str:
        template = self.env.get_template(page.template)
        return template.render(g=page.context, gs={**self.facts, "search": page.search}, page_url=page.url)
