"""The only module that imports MkDocs: hands the site plan to MkDocs + Material.

The MkDocs configuration is built here in code from ``site_config.yml`` (already
validated), so staff-edited files never pass through MkDocs' own YAML loader.
Pages are generated files (``File.generated``); their context reaches the
templates as ``g``. MkDocs 1.x is in maintenance and Material announces its end
of life for 2027: a move to a successor replaces this module only.
"""

from __future__ import annotations

import logging
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

THEME_DIR = Path(__file__).resolve().parent.parent / "themes" / "site"

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


class GongshiPlugin(BasePlugin):
    """Adds the planned pages and files, and gives each page its context."""

    def __init__(self, plan: SitePlan, site: Site):
        super().__init__()
        self.plan = plan
        self.site = site
        self.specs: dict[str, PageSpec] = {p.path: p for p in plan.pages}

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for spec in self.plan.pages:
            files.append(File.generated(config, spec.path, content=""))
        for path, content in self.plan.files.items():
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.specs[page.file.src_uri]
        page.meta.update(title=spec.title, template=spec.template, hide=list(spec.hide))
        if spec.description:
            page.meta["description"] = spec.description
        return markdown

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        spec = self.specs[page.file.src_uri]
        context["g"] = spec.context
        context["gs"] = {
            "search": spec.search,
            "as_of": self.site.as_of.isoformat(),
            "period": self.site.period.name,
            "owner": self.site.config.site.owner,
            "icp": self.site.config.site.icp,
            "phone": self.site.config.supervision_phone,
        }
        return context


def make_config(site: Site, docs_dir: Path, out: Path) -> MkDocsConfig:
    info = site.config.site
    config = MkDocsConfig()
    config.load_dict({
        "site_name": info.name,
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


def render(site: Site, plan: SitePlan, out: Path, work: Path) -> None:
    """Build the site into ``out`` (a fresh folder); ``work`` holds the empty docs dir."""
    docs_dir = work / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    config = make_config(site, docs_dir, out)
    config.plugins["gongshi"] = GongshiPlugin(plan, site)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs 构建失败：{exc}") from exc


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
