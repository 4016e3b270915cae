"""``build.py serve``: build, serve on localhost, rebuild on every change.

Each rebuild checks the content, then runs the pipeline's later stages
(:func:`generator.pipeline.render`) as ``site`` does, board links included, so a
preview after ``site`` reuses every unchanged page.

A change that breaks the content prints the problems and keeps serving the last
good build, so staff can fix the file and see the page come back. The same problems
(file:line, message, code) are shown in the browser too, in a panel at the top of
every page, because a clerk watching the page does not watch the terminal (issue #14).
A port another program holds is said in Chinese with the ``--port`` to use (G741).
"""

from __future__ import annotations

import errno
import html
import io
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from .checksession import CheckSession
from .errors import GongshiError, Problem, report


class PortTaken(GongshiError):
    """Raised by :func:`serve` when the preview port is in use (or needs administrator rights)."""

    def __init__(self, port: int, denied: bool = False):
        why = "需要管理员权限。请换一个 1024 以上的端口" if denied else "已被占用（可能另一个 serve 还开着）。请关掉它，或换一个端口"
        other = 8000 if denied else port + 1
        super().__init__(f"端口 {port} {why}：python build.py serve --port {other}（G741）")


def check_port(port: int) -> None:
    """Raise :class:`PortTaken` unless 127.0.0.1:``port`` can be bound (as the preview server binds it)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PortTaken(port, denied=exc.errno == errno.EACCES) from None
            raise


def banner(problems: list[Problem], failure: str = "") -> bytes:
    """The panel shown on every page while the content has errors (empty when it has none)."""
    errors = [p for p in sorted(problems) if p.level == "error"]
    if not errors and not failure:
        return b""
    items = "".join(f"<li><code>{html.escape(f'{p.path}:{p.line}:{p.col}')}</code> {html.escape(p.message)}"
                    f" ({html.escape(p.code)})</li>" for p in errors)
    if failure:
        items += f"<li>{html.escape(failure)}</li>"
    return ('<div id="gongshi-problems" role="alert" style="position:fixed;z-index:9999;top:0;left:0;right:0;'
            'max-height:60vh;overflow:auto;background:#fff4f4;color:#7a0000;border-bottom:3px solid #c00;'
            'padding:1em 1.5em;font:15px/1.6 sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)">'
            f"<strong>内容有 {len(errors) or 1} 处错误，下面仍是上一次成功生成的网站。"
            "请按提示改正并保存，页面会自动刷新：</strong>"
            f'<ul style="margin:.5em 0 0;padding-left:1.2em">{items}</ul></div>').encode()


def changes_line(root: Path, changed: list[str]) -> str:
    """What the terminal says a rebuild is for: the files changed (under the project: from its folder)."""
    relative = [os.path.relpath(path, os.path.abspath(root)) for path in changed]
    shown = [path if rel.startswith("..") else rel for path, rel in zip(changed, relative, strict=True)]
    more = f" 等 {len(shown)} 个文件" if len(shown) > 3 else ""
    return "检测到修改：" + "、".join(shown[:3]) + more


def _compile_templates(root: Path) -> None:
    """Compile every page and board template once: a first build that reused every page compiled
    none, and the first save then waited for the templates of its unit's pages and boards."""
    from . import themes
    from .boards.render import compile_templates as compile_board_templates
    from .web.render import BodyRenderer

    root = root.resolve()  # as the check session's site has it: the kept templates are keyed by their folders
    BodyRenderer({}, themes.search_path("site", root)).compile_templates()  # kept by generator.web.render
    compile_board_templates(tuple(themes.search_path("boards", root)))


def serve(root: Path, out: Path, port: int) -> int:
    from .mkdocs_site import live_preview
    from .outdir import claim_output
    from .pipeline import Quiet, Request, render
    from .watch import Changed

    out = claim_output(out, root)  # refused before the first build, not after: see generator/outdir.py
    check_port(port)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # each line reaches a log file when said, as a terminal's
    shown = [b""]
    checker = CheckSession(root, root / ".cache" / "check")  # keeps the loaded units between rebuilds
    reload_now: list[Callable[[], None]] = []  # set once the preview server runs

    changed = Changed()  # the paths saved since the last rebuild began (generator.watch)

    class Preview(Quiet):
        def unit_pages_live(self) -> None:
            """The edited unit's pages are in place: browsers reload now, the summaries follow."""
            for reload in reload_now:
                reload()

        def superseded(self) -> bool:
            """A newer save waits: its rebuild re-indexes search, this one need not finish doing so."""
            return changed.pending()

    def rebuild(changed: list[str]) -> None:
        if changed:
            print(changes_line(root, changed))
        result = checker.check()
        if result.site is None:
            print(report(result.problems))
            print("内容有错误：继续显示上一次成功生成的网站（浏览器页面顶部也列出了这些问题）。")
            shown[0] = banner(result.problems)
            return
        try:  # the same stages and board links as `site`: one build key, so unchanged pages are reused
            built = render(result.site, Request(root, out, site=True, preview=True), out, Preview())
        except GongshiError as exc:
            print(f"生成失败：{exc}")
            shown[0] = banner([], f"生成失败：{exc}")
            return
        shown[0] = b""
        if built.site is not None and built.site.search == "superseded":
            print(f"已更新所改单位的页面（截至 {result.site.as_of}）；又有保存，其余页面和搜索随下一次更新。")
        else:
            print(f"已更新（截至 {result.site.as_of}）。")

    rebuild([])
    if not out.is_dir():
        return 1
    _compile_templates(root)  # before the first save, not in its way (0.3-1 s at 2,000 units)
    try:
        live_preview(root, out, port, rebuild, lambda: shown[0], reload_now.append, changed)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:  # taken between the check above and the bind
            raise PortTaken(port) from None
        raise
    return 0
