"""What the website is made of: pages (template + context) and files (bytes).

This is the contract between the core and the MkDocs layer: the core decides
every page, its template and its context; ``generator.mkdocs_site`` only hands
them to MkDocs. Paths are relative to the site root, with forward slashes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .indexed import group_indexed, page_indexed


@dataclass(frozen=True)
class PageSpec:
    """One page: ``path`` is its Markdown source name, e.g. ``units/tax-hall/index.md``."""

    path: str
    title: str
    template: str  # under themes/site/, e.g. "gongshi/unit.html"
    context: Any  # the documented context dataclass the template reads as ``g``
    hide: tuple[str, ...] = ("navigation", "toc")
    search: bool = False  # indexed by Pagefind: set from generator.web.indexed by PageGroup.contents
    standalone: bool = False  # a whole HTML document (the hall screen), not a body inside Material
    description: str = ""

    @property
    def depth(self) -> int:
        return self.url.count("/")

    @property
    def url(self) -> str:
        """Root-relative URL with directory URLs: ``units/tax-hall/``."""
        base = self.path.removesuffix(".md")
        if base == "index":
            return ""
        return base.removesuffix("index") if base.endswith("/index") else base + "/"


UNIT_GROUPS = ("unit:", "members:")  # a unit's own pages: plan_site names their groups "unit:<id>", "members:<id>"


@dataclass(frozen=True)
class PageGroup:
    """Pages (and files) made together from the same inputs, made only when needed.

    ``key`` digests everything they show (see :mod:`generator.web.keys`): a build whose
    previous output has the group under the same key reuses those files and never calls
    ``make``. Contexts exist only while their group is rendered, so a province's 36,000
    page contexts are never held at once.
    """

    name: str  # unique in the plan, e.g. "unit:tax-hall"
    key: str
    make: Callable[[], tuple[list[PageSpec], dict[str, bytes]]]

    @property
    def kind(self) -> str:
        """What the group holds, its name before ":" (``unit`` for ``unit:tax-hall``)."""
        return self.name.partition(":")[0]

    @property
    def indexed(self) -> bool:
        """Holds pages the search index reads (a full build renders these first)."""
        return group_indexed(self.kind)

    def contents(self) -> tuple[list[PageSpec], dict[str, bytes]]:
        """Its pages, each flagged ``search`` as :mod:`generator.web.indexed` declares, and its files."""
        pages, files = self.make()
        if not self.indexed:  # most pages (members, ledgers): nothing to match, nothing to copy
            return [replace(page, search=False) if page.search else page for page in pages], files
        return [replace(page, search=page_indexed(self.kind, page.url)) for page in pages], files


@dataclass
class SitePlan:
    groups: list[PageGroup] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # path -> content, written on every build
    build_key: str = ""  # digest of code, theme, settings and as-of date (see generator.web.keys)

    def add_file(self, path: str, content: bytes) -> None:
        if path in self.files:
            raise ValueError(f"两个文件使用同一路径 {path}")  # as sitebuild's Tree refuses to write one path twice
        self.files[path] = content

    def add_group(self, name: str, key: str, make: Callable[[], tuple[list[PageSpec], dict[str, bytes]]]) -> None:
        self.groups.append(PageGroup(name, key, make))

    def add_pages(self, name: str, key: str, pages: list[PageSpec]) -> None:
        """Pages whose contexts are cheap and already made."""
        self.add_group(name, key, lambda: (pages, {}))

    @property
    def pages(self) -> list[PageSpec]:
        """Every page, all contexts made (for tests and tools; a build renders group by group)."""
        return [page for group in self.groups for page in group.contents()[0]]

