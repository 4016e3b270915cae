"""The site's search index, made by Pagefind from the pages :mod:`generator.web.indexed` declares."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import BuildError
from ..outdir import scratch
from ..web.indexed import PAGEFIND_GLOB

TIMEOUT = 1800  # seconds: a Pagefind still running after half an hour is taken to hang


class Indexing:
    """A running Pagefind: :meth:`wait` for it (raises BuildError if it failed) or :meth:`stop` it."""

    def __init__(self, process: subprocess.Popen[str]):
        self.process = process

    def wait(self, give_up: Callable[[], bool] | None = None) -> bool:
        """Wait until Pagefind is done (True), or stop it as soon as ``give_up()`` is true (False)."""
        started = time.monotonic()
        while True:
            try:
                stdout, stderr = self.process.communicate(timeout=0.2 if give_up else TIMEOUT)
                break
            except subprocess.TimeoutExpired:  # communicate again: nothing it read is lost
                if give_up and give_up():
                    self.stop()
                    return False
                if time.monotonic() - started > TIMEOUT:
                    self.stop()
                    raise BuildError("Pagefind 建立搜索索引超时（30 分钟）") from None
        if self.process.returncode != 0:
            raise BuildError(f"Pagefind 建立搜索索引失败：{(stderr or stdout).strip()[-800:]}")
        return True

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


def reindex(out: Path, inherit: tuple[int, ...] = (), give_up: Callable[[], bool] | None = None) -> bool:
    """Index the published site into a folder beside it, then swap the index in.

    False if ``give_up()`` turned true first: the index in place is left as it was.
    """
    fresh = scratch(out, "pagefind")
    try:
        if not pagefind(out, fresh / "pagefind", background=True, inherit=inherit).wait(give_up):
            return False
        if (out / "pagefind").exists():
            os.replace(out / "pagefind", fresh / "old")
        os.replace(fresh / "pagefind", out / "pagefind")
        return True
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
