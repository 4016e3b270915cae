"""The site's search index, made by Pagefind from the pages :mod:`generator.web.indexed` declares."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..errors import BuildError
from ..outdir import scratch
from ..web.indexed import PAGEFIND_GLOB


class Indexing:
    """A running Pagefind: :meth:`wait` for it (raises BuildError if it failed) or :meth:`stop` it."""

    def __init__(self, process: subprocess.Popen[str]):
        self.process = process

    def wait(self) -> None:
        try:
            stdout, stderr = self.process.communicate(timeout=1800)
        except subprocess.TimeoutExpired:
            self.stop()
            raise BuildError("Pagefind 建立搜索索引超时（30 分钟）") from None
        if self.process.returncode != 0:
            raise BuildError(f"Pagefind 建立搜索索引失败：{(stderr or stdout).strip()[-800:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def pagefind(folder: Path, output: Path | None = None, background: bool = False,
             inherit: tuple[int, ...] = ()) -> Indexing:
    """Index the built pages with Pagefind's extended build (segments Chinese words).

    The index goes to ``folder/pagefind``, or to ``output`` when given. Unless ``background``,
    returns when Pagefind is done (raising BuildError if it failed). Pagefind inherits the file
    descriptors ``inherit`` (the build lock: see :func:`generator.sitebuild.publish.one_at_a_time`).
    """
    try:
        from pagefind_bin_extended import get_executable

        exe = str(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise BuildError(f"找不到 Pagefind（pagefind-bin-extended）：{exc}。请运行 make setup") from exc
    where = ["--output-path", str(output)] if output else []
    indexing = Indexing(subprocess.Popen([exe, "--site", str(folder), "--glob", PAGEFIND_GLOB, "--quiet", *where],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                         pass_fds=inherit))
    if not background:
        indexing.wait()
    return indexing


def reindex(out: Path, inherit: tuple[int, ...] = ()) -> None:
    """Index the published site into a folder beside it, then swap the index in."""
    fresh = scratch(out, "pagefind")
    try:
        pagefind(out, fresh / "pagefind", inherit=inherit)
        if (out / "pagefind").exists():
            os.replace(out / "pagefind", fresh / "old")
        os.replace(fresh / "pagefind", out / "pagefind")
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
