"""Every link comes from generator/urls.py: no template builds or hard-codes a site address,
and every address a page links to exists in the site."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

from generator import urls
from generator.check import check
from generator.mkdocs_site import site_facts
from generator.web import plan_site
from generator.web.render import BodyRenderer

from .conftest import MINIMAL, ROOT

TEMPLATES = sorted((ROOT / "themes" / "site" / "gongshi").glob("*.html"))
# The site's top folders: a string constant starting with one of these is a hard-coded address.
SITE_FOLDERS = ("units/", "ledgers/", "assets/", "search/", "data/", "boards/", "pagefind/", "about/", "feedback/",
                "guide/", "feed.xml", "index.html")
LITERAL_LINK = re.compile(r'\b(?:href|src|action)="(?!#|tel:|mailto:|\{\{)([^"]*)"')


def address_problems(source: str) -> list[str]:
    """What in a template builds an address instead of asking ``urls``: ``~`` next to a "/",
    a constant given to the ``url`` filter, a constant naming a site folder, a literal link."""
    tree = Environment().parse(source)
    problems = []
    for concat in tree.find_all(nodes.Concat):
        if any(isinstance(n, nodes.Const) and "/" in str(n.value) for n in concat.nodes):
            problems.append(f"concatenated path: {[getattr(n, 'value', '…') for n in concat.nodes]}")
    for flt in tree.find_all(nodes.Filter):
        if flt.name == "url" and isinstance(flt.node, nodes.Const | nodes.Concat):
            problems.append(f"address written in the template: {getattr(flt.node, 'value', '~')}")
    for const in tree.find_all(nodes.Const):
        if isinstance(const.value, str) and const.value.startswith(SITE_FOLDERS):
            problems.append(f"site path written in the template: {const.value}")
    for data in tree.find_all(nodes.TemplateData):
        problems += [f"literal link: {m}" for m in LITERAL_LINK.findall(data.data)]
    return problems


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_builds_an_address(template: Path) -> None:
    assert address_problems(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet", [
    "<a href=\"{{ ('units/' ~ u.id ~ '/') | url }}\">",  # what unit.html did
    "<img src=\"{{ ('assets/photos/' ~ m.unit_id ~ '/' ~ m.id ~ '.jpg') | url }}\">",
    "<a href=\"{{ 'ledgers/pledges/1/' | url }}\">",  # a filter's number, hard-coded
    "{% set x = 'units/' %}",
    "<a href=\"{{ u.id ~ '/screen/' }}\">",
    '<a href="feedback/">',
])
def test_the_scan_finds_built_addresses(snippet: str) -> None:
    assert address_problems(snippet)


def test_the_scan_lets_urls_and_text_through() -> None:
    good = ("<a href=\"{{ urls.unit(u.id, '#comments') | url }}\">{{ g.year ~ '年践诺率' }}</a>"
            '<a href="#standards">x</a><a href="tel:{{ p }}">y</a>')
    assert address_problems(good) == []


def test_the_scheme_printed_on_boards() -> None:
    """README "URLs": these addresses are printed in QR codes and must never change."""
    assert urls.unit("tax-hall") == "units/tax-hall/"
    assert urls.member("tax-hall", "li-ming") == "units/tax-hall/members/li-ming/"
    assert urls.screen("tax-hall") == "units/tax-hall/screen/"
    assert urls.board("tax-hall", "poster", "pdf") == "boards/tax-hall/poster.pdf"
    assert urls.with_stamp("https://x.cn/units/a/", "0a1b2c3d") == "https://x.cn/units/a/?v=0a1b2c3d"
    assert urls.page("units/", 1) == "units/" and urls.page("units/", 3) == "units/page/3/"
    assert urls.ledger_filter("ledgers/pledges/", 0) == "ledgers/pledges/"
    assert urls.ledger_filter("ledgers/pledges/", 1) == "ledgers/pledges/1/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "data-bundle", "data-names", "data-root") and value:
                self.found.append(value)


# Made after the plan: Pagefind's bundle and the theme's assets (copied by MkDocs).
MADE_ELSEWHERE = (urls.PAGEFIND, "assets/screen.css")


def test_every_link_of_the_minimal_site_lands_on_a_page_or_file() -> None:
    site = check(MINIMAL).site
    assert site is not None
    plan = plan_site(site)
    renderer = BodyRenderer(site_facts(site))
    made = {*plan.files, urls.INDEX_FILE}
    pages = []
    for group in plan.groups:
        specs, files = group.make()
        pages += specs
        made |= {*files, *(p.url for p in specs)}
    made.add(urls.SEARCH_NAMES)  # the folder the search page looks names up in
    assert any(path.startswith(urls.SEARCH_NAMES) for path in made)
    missing = set()
    for page in pages:
        parser = _Links()
        parser.feed(renderer.render(page))
        for link in parser.found:
            if "://" in link or link.startswith(("#", "tel:", "mailto:")):
                continue
            target = posixpath.normpath(posixpath.join(page.url, link.split("#")[0]))
            target = "" if target == "." else target + ("/" if link.split("#")[0].endswith("/") else "")
            if target not in made and not target.startswith(MADE_ELSEWHERE):
                missing.add((page.url, link, target))
    assert not missing


def test_a_reused_item_links_as_if_rendered_on_each_page() -> None:
    """``reuse`` renders an item once for pages at every depth: each page's copy has that page's links."""
    from generator.web.render import environment

    template = environment().from_string(
        '{% macro item(target) %}<a href="{{ target | url }}">{{ target }}</a>'
        '<a href="{{ "" | url }}">首页</a><a href="{{ "units/" | url }}"></a>{% endmacro %}'
        "{% for t in targets %}{{ reuse(item, t) }}|{{ item(t) }}\n{% endfor %}")
    targets = ["units/a/members/m1/", "", "#pledge-3", "https://example.cn/x", "mailto:a@example.cn", "tel:12345"]
    for page_url in ["a/b/c/d/page/2/", "", "ledgers/pledges/", "ledgers/pledges/state/x/", ""]:
        for line in template.render(page_url=page_url, targets=targets).splitlines():
            reused, rendered = line.split("|")
            assert reused == rendered, page_url
