"""What the website is made of: pages (template + context) and files (bytes).

This is the contract between the core and the MkDocs layer: the core decides
every page, its template and its context; ``generator.mkdocs_site`` only hands
them to MkDocs. Paths are relative to the site root, with forward slashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PageSpec:
    """One page: ``path`` is its Markdown source name, e.g. ``units/tax-hall/index.md``."""

    path: str
    title: str
    template: str  # under themes/site/, e.g. "gongshi/unit.html"
    context: Any  # the documented context dataclass the template reads as ``g``
    hide: tuple[str, ...] = ("navigation", "toc")
    search: bool = True  # indexed by Pagefind
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


@dataclass
class SitePlan:
    pages: list[PageSpec] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # path -> content

    def add_file(self, path: str, content: bytes) -> None:
        if path in self.files:
            raise ValueError(f"两个文件使用同一路径 {path}")  # Writer refuses to write one path twice
        self.files[path] = content

    def add_page(self, page: PageSpec) -> None:
        self.pages.append(page)


def unit_path(unit_id: str) -> str:
    return f"units/{unit_id}/"


def member_path(unit_id: str, member_id: str) -> str:
    return f"units/{unit_id}/members/{member_id}/"
