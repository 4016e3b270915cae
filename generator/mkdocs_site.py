"""The only module that imports MkDocs: hands the site plan to MkDocs + Material.

The MkDocs configuration is built here in code from ``site_config.yml`` (already
validated), so staff-edited files never pass through MkDocs' own YAML loader.
Pages are generated files (``File.generated``); their context reaches the
templates as ``g``. MkDocs 1.x is in maintenance and Material announces its end
of life for 2027: a move to a successor replaces this module only.
"""

from __future__ import annotations

import gzip
import logging
import shutil
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .errors import BuildError
from .model import Site
from .web.plan import PageSpec, SitePlan
from .web.render import THEME_DIR, BodyRenderer

NAV = [
    {"首页": "index.md"},
    {"窗口单位": "units/index.md"},
    {"台账": [
        {"承诺台账": "ledgers/pledges/index.md"},
        {"整改台账": "ledgers/rectifications/index.md"},
        {"群众评议": "ledgers/evaluations/index.md"},
        {"排行榜": "ledgers/rankings/index.md"},
        {"晋位升级": "ledgers/grading/index.md"},
    ]},
    {"搜索": "search/index.md"},
    {"开放数据": "data/index.md"},
    {"关于": [
        {"关于本平台": "about/index.md"},
        {"意见反馈": "feedback/index.md"},
        {"编辑指南": "guide/index.md"},
        {"字段参考": "guide/reference/index.md"},
    ]},
]


TITLE, DESCRIPTION, HEAD, BODY = "@@GONGSHI:TITLE@@", "@@GONGSHI:DESC@@", "@@GONGSHI:HEAD@@", "@@GONGSHI:BODY@@"
SHELLS = "_gshell"


def _nav_paths(items: list[Any]) -> set[str]:
    paths: set[str] = set()
    for item in items:
        for value in item.values():
            paths |= _nav_paths(value) if isinstance(value, list) else {value}
    return paths


NAV_PATHS = _nav_paths(NAV)


def site_facts(site: Site) -> dict[str, Any]:
    """What every page's footer and scripts need (the ``gs`` of the templates)."""
    info = site.config.site
    return {"as_of": site.as_of.isoformat(), "period": site.period.name, "owner": info.owner, "icp": info.icp,
            "phone": site.config.supervision_phone}


class GongshiPlugin(BasePlugin):
    """Adds the pages MkDocs renders (navigation pages and one shell per kind of page) and the files."""

    def __init__(self, pages: list[PageSpec], files: dict[str, bytes], site: Site):
        super().__init__()
        self.pages = pages
        self.files = files
        self.facts = site_facts(site)
        self.specs = {p.path: p for p in pages}

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for spec in self.pages:
            files.append(File.generated(config, spec.path, content=""))
        for path, content in self.files.items():
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs[page.file.src_uri]
        page.meta.update(title=TITLE, template="gongshi/shell.html", hide=list(spec.hide), description=DESCRIPTION)
        return markdown

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        context["gs"] = {**self.facts, "search": self.specs[page.file.src_uri].search}
        return context


def make_config(site: Site, docs_dir: Path, out: Path) -> MkDocsConfig:
    info = site.config.site
    config = MkDocsConfig()
    config.load_dict({
        "site_name": escape(info.name),  # MkDocs prints it unescaped
        "site_url": info.base_url,
        "site_description": info.description or info.name,
        "docs_dir": str(docs_dir),
        "site_dir": str(out),
        "use_directory_urls": True,
        "nav": NAV,
        "plugins": [],  # Material's search is replaced by Pagefind (see README, design)
        "not_in_nav": "/units/\n/ledgers/*/*/\n/ledgers/*/page/\n",
        "validation": {"nav": {"omitted_files": "ignore", "not_found": "warn"},
                       "links": {"not_found": "ignore", "unrecognized_links": "ignore"}},
        "copyright": f"主办：{info.owner}",
        "extra_css": ["assets/gongshi.css"],
        "theme": {
            "name": "material",
            "custom_dir": str(THEME_DIR),
            "language": "zh",
            "font": False,  # no request to Google Fonts: China cannot reach it; system CJK fonts
            "features": ["navigation.tabs", "navigation.top", "navigation.footer"],
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
        },
        "markdown_extensions": [],
    })
    errors, warnings = config.validate()
    problems = [f"{key}: {err}" for key, err in [*errors, *warnings]]
    if problems:
        raise BuildError("MkDocs 配置无效：" + "；".join(problems))
    return config


def _shells(pages: list[PageSpec]) -> tuple[list[PageSpec], list[tuple[PageSpec, str]]]:
    """Pages MkDocs renders, and for every page the URL of the shell its body goes into.

    A navigation page is its own shell (its tab must be marked current); every other page
    shares one shell with the pages of the same depth, sidebars and search flag, so MkDocs
    renders a few dozen pages whatever the number of units.
    """
    rendered: list[PageSpec] = []
    groups: dict[tuple[int, tuple[str, ...], bool], PageSpec] = {}
    assigned: list[tuple[PageSpec, str]] = []
    for page in pages:
        if page.standalone:
            continue
        if page.path in NAV_PATHS:
            rendered.append(page)
            assigned.append((page, page.url))
            continue
        key = (page.depth, page.hide, page.search)
        if key not in groups:
            folders = [SHELLS, str(len(groups))] + ["s"] * max(page.depth - 2, 0)
            groups[key] = PageSpec("/".join(folders[: max(page.depth, 2)]) + "/index.md", "", "", None,
                                   hide=page.hide, search=page.search)
        assigned.append((page, groups[key].url))
    return rendered + list(groups.values()), assigned


def _splice(shell: str, page: PageSpec, shell_url: str, base_url: str, body: str) -> str:
    head = str(getattr(page.context, "jsonld", "") or "")
    html = shell.replace(f'href="{base_url}{shell_url}"', f'href="{base_url}{page.url}"')
    html = html.replace(TITLE, escape(page.title)).replace(DESCRIPTION, escape(page.description or page.title))
    return html.replace(HEAD, head).replace(BODY, body)


def _sitemap(out: Path, site: Site, pages: list[PageSpec]) -> None:
    base = site.config.site.base_url
    urls = "".join(f"<url><loc>{escape(base + p.url)}</loc><lastmod>{site.as_of.isoformat()}</lastmod></url>\n"
                   for p in sorted(pages, key=lambda p: p.url) if p.search or p.path in NAV_PATHS)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    (out / "sitemap.xml").write_text(xml, encoding="utf-8")
    (out / "sitemap.xml.gz").write_bytes(gzip.compress(xml.encode(), mtime=0))


def render(site: Site, plan: SitePlan, out: Path, work: Path) -> None:
    """Build the site into ``out`` (a fresh folder); ``work`` holds the empty docs dir."""
    docs_dir = work / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    config = make_config(site, docs_dir, out)
    rendered, assigned = _shells(plan.pages)
    config.plugins["gongshi"] = GongshiPlugin(rendered, plan.files, site)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs 构建失败：{exc}") from exc
    shells = {p.url: (out / p.url / "index.html").read_text(encoding="utf-8") for p in rendered}
    shutil.rmtree(out / SHELLS, ignore_errors=True)
    bodies = BodyRenderer(site_facts(site))
    base = site.config.site.base_url
    for page, shell_url in assigned:
        target = out / page.url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_splice(shells[shell_url], page, shell_url, base, bodies.render(page)), encoding="utf-8")
    for page in plan.pages:
        if page.standalone:
            target = out / page.url / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(bodies.render(page), encoding="utf-8")
    _sitemap(out, site, plan.pages)


def live_preview(root: Path, out: Path, port: int, rebuild: Any) -> None:
    """Serve ``out`` on localhost and call ``rebuild()`` whenever content, photos or templates change."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=rebuild, host="127.0.0.1", port=port, root=str(out))
    for watched in (root / "content", root / "site_config.yml", THEME_DIR, root / "docs" / "site"):
        if watched.exists():
            server.watch(str(watched))
    print(f"预览地址：{server.url}（修改 content/ 下的文件会自动刷新；按 Ctrl+C 退出）")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
