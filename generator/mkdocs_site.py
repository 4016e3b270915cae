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
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import themes
from .boards.render import compile_templates as compile_board_templates
from .errors import BuildError
from .model import Site
from .web.indexed import read_by_pagefind
from .web.nav import NAV, NAV_KINDS, site_facts
from .web.plan import PageSpec
from .web.render import BodyRenderer

if TYPE_CHECKING:
    from .watch import Changed

TITLE, DESCRIPTION, HEAD, BODY = "@@GONGSHI:TITLE@@", "@@GONGSHI:DESC@@", "@@GONGSHI:HEAD@@", "@@GONGSHI:BODY@@"
SHELLS = "_gshell"


# Each navigation page is its own shell (sidebars from NAV_KINDS, searchable as generator.web.indexed
# says); every other page goes into a shell of its kind (see SHELL_KINDS). ``PageWriter`` refuses a
# page that does not match its shell.
MAX_DEPTH = 6  # the deepest page: ledgers/pledges/<filter>/page/<n>/ is 5
HIDES = (("navigation", "toc"), ("toc",), ("navigation",))
SHELL_KINDS = [(depth, hide, search) for depth in range(1, MAX_DEPTH + 1) for hide in HIDES for search in (True, False)]


def _nav_searched(path: str) -> bool:
    return read_by_pagefind(PageSpec(path, "", "", None).url)


def _shell_specs() -> tuple[list[PageSpec], dict[object, str]]:
    """The pages MkDocs renders, and the shell URL of each navigation path and each kind."""
    specs = [PageSpec(path, "", "", None, hide=hide, search=_nav_searched(path)) for path, hide in NAV_KINDS.items()]
    urls: dict[object, str] = {spec.path: spec.url for spec in specs}
    for number, (depth, hide, search) in enumerate(SHELL_KINDS):
        folders = [f"{SHELLS}{number}"] + ["s"] * (depth - 1)  # as deep as the pages that use it
        spec = PageSpec("/".join(folders) + "/index.md", "", "", None, hide=hide, search=search)
        specs.append(spec)
        urls[(depth, hide, search)] = spec.url
    return specs, urls


class GongshiPlugin(BasePlugin):
    """Adds the pages MkDocs renders: the navigation pages and one shell per kind of page."""

    def __init__(self, pages: list[PageSpec], site: Site):
        super().__init__()
        self.pages = pages
        self.facts = site_facts(site)
        self.specs = {p.path: p for p in pages}

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for spec in self.pages:
            files.append(File.generated(config, spec.path, content=""))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs[page.file.src_uri]
        page.meta.update(title=TITLE, template="gongshi/shell.html", hide=list(spec.hide), description=DESCRIPTION)
        return markdown

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Autoescape MkDocs' environment too: settings (site name, owner, description, licence
        number, period) reach Material's templates and our footer, and must print as text."""
        env.autoescape = True
        return env

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        context["gs"] = {**self.facts, "search": self.specs[page.file.src_uri].search}
        return context


def make_config(site: Site, docs_dir: Path, out: Path) -> MkDocsConfig:
    info = site.config.site
    config = MkDocsConfig()
    config.load_dict({
        "site_name": info.name,  # escaped by the templates: see GongshiPlugin.on_env
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
            "custom_dir": str(themes.theme_dir("site")),
            "language": "zh",
            "font": False,  # no request to Google Fonts: China cannot reach it; system CJK fonts
            "features": ["navigation.tabs", "navigation.top", "navigation.footer"],
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
        },
        "markdown_extensions": [],
        "extra": {"gongshi": site_facts(site)},  # the footer of pages MkDocs renders alone (404.html)
    })
    errors, warnings = config.validate()
    problems = [f"{key}: {err}" for key, err in [*errors, *warnings]]
    if problems:
        raise BuildError("MkDocs 配置无效：" + "；".join(problems))
    _add_overrides(config, site.root)
    return config


def _add_overrides(config: MkDocsConfig, root: Path) -> None:
    """The project's overrides/site before our theme (MkDocs' custom_dir, one level more), and
    our theme under ``gongshi-theme/`` so an override can extend the file it replaces."""
    theme = config.theme
    override = themes.overrides_dir("site", root)
    if override:
        theme.dirs.insert(0, str(override))
    plain_env = theme.get_env

    def get_env() -> Any:
        env = plain_env()
        env.loader = themes.loader("site", [Path(d) for d in theme.dirs])
        return env

    theme.get_env = get_env  # type: ignore[method-assign]  # MkDocs builds its loader from dirs alone


# Material writes these outside any template block, so they are mended in its output (the W3C Nu checker
# rejects both): autocomplete="off" on its checkbox toggles, and tabindex="" on section labels of the menu.
MENDS = ((' type="checkbox" id="__drawer" autocomplete="off"', ' type="checkbox" id="__drawer"'),
         (' type="checkbox" id="__search" autocomplete="off"', ' type="checkbox" id="__search"'),
         (' tabindex=""', ""))


def mend(html: str) -> str:
    for old, new in MENDS:
        html = html.replace(old, new)
    return html


def _splice(shell: str, page: PageSpec, shell_url: str, base_url: str, body: str) -> str:
    head = str(getattr(page.context, "jsonld", "") or "")
    html = shell.replace(f'href="{base_url}{shell_url}"', f'href="{base_url}{page.url}"')
    html = html.replace(TITLE, escape(page.title)).replace(DESCRIPTION, escape(page.description or page.title))
    return html.replace(HEAD, head).replace(BODY, body)


@dataclass
class Shells:
    """Material's page around the bodies, rendered once per build settings.

    ``html`` maps a shell's URL to its HTML (with the title, description, head and body
    holes); ``theme_files`` are the other files MkDocs wrote (Material's assets, our CSS,
    404.html), relative to the site root.
    """

    html: dict[str, str]
    theme_files: list[str]


def render_shells(site: Site, out: Path, work: Path) -> Shells:
    """Run MkDocs once into ``out`` for the shells and the theme's files; the shells are taken out."""
    docs_dir = work / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    config = make_config(site, docs_dir, out)
    specs, _ = _shell_specs()
    config.plugins["gongshi"] = GongshiPlugin(specs, site)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs 构建失败：{exc}") from exc
    html = {spec.url: mend((out / spec.url / "index.html").read_text(encoding="utf-8")) for spec in specs}
    for shell in html.values():
        themes.check_shell(shell, BODY, site.root)
    missing = out / "404.html"
    if missing.is_file():
        missing.write_text(mend(missing.read_text(encoding="utf-8")), encoding="utf-8")
    for spec in specs:
        (out / spec.url / "index.html").unlink()
        if spec.url.startswith(SHELLS):
            shutil.rmtree(out / spec.url.split("/")[0], ignore_errors=True)
    for name in ("sitemap.xml", "sitemap.xml.gz"):  # ours lists every page: see sitemap_files
        (out / name).unlink(missing_ok=True)
    theme_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return Shells(html, theme_files)


class PageWriter:
    """A page's final HTML: its body, in the shell of its kind (or alone, for a hall screen)."""

    def __init__(self, site: Site, shells: Shells):
        self.shells = shells.html
        self.bodies = BodyRenderer(site_facts(site), themes.search_path("site", site.root))
        self.board_theme = tuple(themes.search_path("boards", site.root))  # pages carry board stamps
        self.base = site.config.site.base_url
        _, self.urls = _shell_specs()

    def compile_templates(self) -> None:
        """Compile every page and board template now, so forked workers inherit them compiled."""
        self.bodies.compile_templates()
        compile_board_templates(self.board_theme)

    def html(self, page: PageSpec) -> str:
        body = self.bodies.render(page)
        if page.standalone:
            return body
        if page.path in NAV_KINDS:
            if (NAV_KINDS[page.path], _nav_searched(page.path)) != (page.hide, page.search):
                raise BuildError(f"内部错误：导航页 {page.path} 的版式与 NAV_KINDS 不一致")
            shell_url = self.urls[page.path]
        else:
            if page.depth > MAX_DEPTH:
                raise BuildError(f"内部错误：页面 {page.path} 的层级超过 {MAX_DEPTH}")
            shell_url = self.urls[(page.depth, page.hide, page.search)]
        return _splice(self.shells[shell_url], page, shell_url, self.base, body)


def sitemap_files(site: Site, urls: list[str]) -> dict[str, bytes]:
    """``sitemap.xml`` and its gzip copy, listing ``urls`` (root-relative)."""
    base = site.config.site.base_url
    entries = "".join(f"<url><loc>{escape(base + url)}</loc><lastmod>{site.as_of.isoformat()}</lastmod></url>\n"
                      for url in sorted(urls))
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    return {"sitemap.xml": xml.encode(), "sitemap.xml.gz": gzip.compress(xml.encode(), mtime=0)}


def live_preview(root: Path, out: Path, port: int, rebuild: Callable[[list[str]], None], banner: Any = None,
                 started: Callable[[Callable[[], None]], None] | None = None, changed: Changed | None = None) -> None:
    """Serve ``out`` on localhost and call ``rebuild(paths)`` whenever content, photos or templates change.

    ``paths`` are the files changed since the rebuild before, as ``changed`` holds them
    (:mod:`generator.watch` says how they are seen). ``banner()`` gives HTML put at the top of
    every page served (the content's problems), or b"". ``started`` receives a function that
    reloads the browsers at once, in the middle of a rebuild.
    """
    from mkdocs.livereload import LiveReloadServer

    from .watch import Changed, watch

    changed = changed or Changed()

    class Server(LiveReloadServer):
        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            page = super()._inject_js_into_html(content, epoch)
            extra = banner() if banner else b""
            head, end, tail = page.rpartition(b"</body>")
            return (head + extra + end + tail if end else page + extra) if extra else page

        def reload_now(self) -> None:
            """Let browsers reload and pages be served before the rebuild ends. MkDocs does this when
            ``rebuild()`` returns; this sets the same two attributes of its LiveReloadServer (MkDocs
            1.x is in maintenance, and tests/test_serve.py fails if they change)."""
            with self._epoch_cond:
                self._visible_epoch = self._wanted_epoch
                self._epoch_cond.notify_all()

    server = Server(builder=lambda: rebuild(changed.take()), host="127.0.0.1", port=port, root=str(out))
    if started:
        started(server.reload_now)
    folders = [root / "content", root / themes.OVERRIDES, themes.theme_dir("site"), themes.theme_dir("pages")]
    try:
        watch(server, [folder for folder in folders if folder.is_dir()], [root / "site_config.yml"], changed)
        print(f"预览地址：{server.url}（修改 content/ 下的文件会自动刷新；按 Ctrl+C 退出）")
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        logging.getLogger("watchdog").setLevel(logging.CRITICAL)  # its threads stopped mid-read say so: no news
        server.shutdown()
