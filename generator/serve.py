"""``build.py serve``: build, serve on localhost, rebuild on every change.

A change that breaks the content prints the problems and keeps serving the last
good build, so staff can fix the file and see the page come back.
"""

from __future__ import annotations

from pathlib import Path

from .check import check
from .errors import GongshiError, report


def serve(root: Path, out: Path, port: int) -> int:
    from .mkdocs_site import live_preview
    from .outdir import claim_output
    from .sitebuild import build_site

    out = claim_output(out, root)  # refused before the first build, not after: see generator/outdir.py

    def rebuild() -> None:
        result = check(root, root / ".cache" / "check")
        if result.site is None:
            print(report(result.problems))
            print("内容有错误：继续显示上一次成功生成的网站。")
            return
        try:
            build_site(result.site, out, cache=root / ".cache")
        except GongshiError as exc:
            print(f"生成失败：{exc}")
            return
        print(f"已更新（截至 {result.site.as_of}）。")

    rebuild()
    if not out.is_dir():
        return 1
    live_preview(root, out, port, rebuild)
    return 0
