"""The website's core: decides every page and file; knows nothing of MkDocs.

:func:`plan_site` returns a :class:`~generator.web.plan.SitePlan` that
``generator.mkdocs_site`` hands to MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
from markupsafe import Markup

from ..exports import atom_feed, data_files
from ..figures import FORMULAS
from ..history import History
from ..model import Person, Site, Unit
from ..photos import clean_jpeg
from ..reference import reference_markdown
from ..staff.decap import admin_files
from . import overview
from .plan import PageSpec, SitePlan
from .units import photo_path, unit_pages

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "site"

BoardLinks = Callable[[Unit, Person | None], tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class DocContext:
    """``gongshi/doc.html``: a page of our own Markdown (trusted text, not content)."""

    body: Markup


@dataclass(frozen=True)
class DataContext:
    """``gongshi/data.html``: the open data downloads."""

    files: tuple[tuple[str, str, int], ...]  # label, path, bytes
    as_of: str


def _doc(path: str, title: str, text: str) -> PageSpec:
    html = markdown.markdown(text, extensions=["tables", "toc", "fenced_code"])
    return PageSpec(path, title, "gongshi/doc.html", DocContext(Markup(html)), hide=("navigation",))


def doc_pages(site: Site) -> list[PageSpec]:
    formulas = "\n".join(f"| {name} | {text} |" for name, text in FORMULAS.items())
    about = (DOCS / "about.md").read_text(encoding="utf-8").replace("{{formulas}}", formulas)
    feedback = (DOCS / "feedback.md").read_text(encoding="utf-8").replace(
        "{{phone}}", site.config.supervision_phone)
    return [
        _doc("about/index.md", "关于", about),
        _doc("feedback/index.md", "意见反馈", feedback),
        _doc("guide/index.md", "编辑指南", (DOCS / "guide.md").read_text(encoding="utf-8")),
        _doc("guide/reference/index.md", "字段参考", reference_markdown()),
    ]


def _photos(site: Site, plan: SitePlan) -> None:
    for person in site.all_members():
        path = photo_path(person)
        if person.published and person.photo and path:
            plan.add_file(path, clean_jpeg(person.photo, 480))


def no_boards(unit: Unit, person: Person | None) -> tuple[tuple[str, str], ...]:
    return ()


def plan_site(site: Site, boards: BoardLinks = no_boards, history: History | None = None) -> SitePlan:
    """Every page and file of the website, in a fixed order."""
    plan = SitePlan()
    plan.add_page(overview.home_page(site))
    for page in overview.units_pages(site):
        plan.add_page(page)
    for unit in site.units.values():
        for page in unit_pages(site, unit, boards, history or History()):
            plan.add_page(page)
    for page in [*overview.pledge_ledger(site), *overview.rect_ledger(site)]:
        plan.add_page(page)
    for page in [*overview.evaluations_page(site), *overview.rankings_page(site), *overview.grading_page(site)]:
        plan.add_page(page)
    for page in doc_pages(site):
        plan.add_page(page)
    _photos(site, plan)
    for path, content in data_files(site).items():
        plan.add_file(path, content)
    plan.add_file("feed.xml", atom_feed(site))
    for path, content in admin_files(site).items():  # the web editor (Decap CMS) at /admin/
        plan.add_file(path, content)
    listing = tuple((p.removeprefix("data/"), p, len(c)) for p, c in plan.files.items() if p.startswith("data/"))
    plan.add_page(PageSpec("data/index.md", "开放数据", "gongshi/data.html",
                           DataContext(listing, site.as_of.isoformat()), hide=("navigation", "toc")))
    plan.add_page(PageSpec("search/index.md", "搜索", "gongshi/search.html", None, search=False,
                           hide=("navigation", "toc")))
    return plan
