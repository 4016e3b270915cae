"""What the site's search indexes: declared once here, and everything else asks this module.

Pagefind reads the files :data:`PAGEFIND_GLOB` matches; a full build renders the groups that
hold them first and indexes them while the rest render (:func:`group_indexed`); a page carries
``data-pagefind-body`` (``PageSpec.search``) exactly when :func:`page_indexed` says so.

Left out: member pages (the unit page lists each member, so a name search lands there), hall
screens, removed units, /admin/, and the ledgers. Ledgers repeat what unit pages say (each
pledge stands on several filter pages): at 1,000 units indexing them took 38 s. Keeping the
glob this narrow also spares Pagefind parsing tens of thousands of pages it would not index.
"""

from __future__ import annotations

import re
from functools import cache

# Kind of page group (its name before ":", see generator.web.plan_site) -> the files of its
# pages that search indexes, in Pagefind's glob syntax (relative to the site root).
INDEXED: dict[str, tuple[str, ...]] = {
    "home": ("index.html",),
    "units": ("units/index.html", "units/page/*/index.html"),
    "unit": ("units/*/index.html",),  # the unit page; not its hall screen (units/<id>/screen/)
    "docs": ("about/**/*.html", "feedback/**/*.html", "guide/**/*.html"),
    "data": ("data/**/*.html",),
}

PAGEFIND_GLOB = "{" + ",".join(glob for globs in INDEXED.values() for glob in globs) + "}"


def _regex(glob: str) -> str:
    """A glob as Pagefind reads it: ``**/`` is any folders or none, ``*`` any name within a folder."""
    return re.escape(glob).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")


@cache
def _matcher(kind: str | None) -> re.Pattern[str]:
    globs = INDEXED.get(kind, ()) if kind is not None else [g for globs in INDEXED.values() for g in globs]
    return re.compile("|".join(_regex(glob) for glob in globs) or "(?!)")


def group_indexed(kind: str) -> bool:
    """Whether groups of this kind hold pages search indexes (a full build renders them first)."""
    return kind in INDEXED


def page_indexed(kind: str, url: str) -> bool:
    """Whether the page at ``url`` (root-relative, e.g. ``units/tax-hall/``) in a group of ``kind`` is indexed."""
    return _matcher(kind).fullmatch(f"{url}index.html") is not None


def read_by_pagefind(url: str) -> bool:
    """Whether Pagefind's glob reads the page at ``url``, whatever its group (for pages MkDocs renders)."""
    return _matcher(None).fullmatch(f"{url}index.html") is not None
