"""Worker processes that render boards, each board under a CPU-time limit.

WeasyPrint runs in long-lived worker processes, each a fresh interpreter
(``python -m generator.boards``) talking pickles over its stdin and
stdout: unlike multiprocessing's spawn, this never re-runs the caller's main
script, and unlike fork it never copies the caller's threads. The parent hands
out one board at a time and waits on all pipes at once.

``print.timeout_s`` is CPU time, counted by the worker itself (``ITIMER_PROF``,
user + system time of the process): a board that uses more is stopped and reported
as failed, and the worker goes on with the next. Wall time would make a busy machine
(other builds, other users) fail boards that are not slow at all. The parent keeps
a wall-clock backstop of :data:`WALL_FACTOR` times the limit, only for a worker that
hangs without using CPU; such a worker is killed and replaced, as is one that dies
(crash, out of memory).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .plan import BoardSpec
from .rendered import Rendered

WALL_FACTOR = 20  # wall-clock backstop per board, in multiples of print.timeout_s


class OverCPU(Exception):
    """Raised in a worker when a board has used up its CPU time (SIGPROF)."""


def _over_cpu(signum: int, frame: object) -> None:
    raise OverCPU


@dataclass
class Outcome:
    """What became of one board: its rendering, or why there is none."""

    spec: BoardSpec
    result: Rendered | None
    error: str | None
    seconds: float


PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent  # holds generator/


def serve(inbox: Connection, outbox: Connection) -> None:
    """Worker main loop: receive ``(spec, allowed, cpu_s)``, answer ``(result, error, cpu seconds)``."""
    from .pdf import render_board, warm_up  # imports WeasyPrint once per worker
    from .subset import preprocess_due

    with suppress(Exception):  # if it fails, the first board loads the fonts, as it did before
        warm_up()  # fonts loaded before any board's CPU time counts
    signal.signal(signal.SIGPROF, _over_cpu)
    while True:
        try:
            job = inbox.recv()
        except (EOFError, ConnectionResetError):  # the build was stopped
            return
        if job is None:
            return
        spec, allowed, cpu_s = job
        start = time.process_time()
        answer: tuple[Rendered | None, str | None]
        try:
            signal.setitimer(signal.ITIMER_PROF, cpu_s)
            try:
                answer = (render_board(spec, allowed), None)
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
        except OverCPU:
            answer = (None, f"超过时限 {cpu_s:g} 秒 CPU 时间（print.timeout_s），已中止")
        except Exception as exc:  # reported as a failed board, the others go on
            answer = (None, f"{type(exc).__name__}: {exc}")
        try:
            outbox.send((*answer, time.process_time() - start))
        except (BrokenPipeError, ConnectionResetError):
            return  # the build that asked was stopped (killed, a closed terminal): nobody to answer
        with suppress(Exception):  # if it fails, the next board's subset tries again, as it did before
            preprocess_due()  # between boards: counted against none of them


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            # -P: the caller's working directory is not put first on the path, so a worker never
            # imports another checkout's generator/ than its parent's (PYTHONPATH above).
            [sys.executable, "-P", "-m", "generator.boards"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        assert self.process.stdin and self.process.stdout
        self.conn = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.outbox = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.process.stdout.close()
        self.process.stdin.close()
        self.spec: BoardSpec | None = None
        self.started = 0.0

    def give(self, spec: BoardSpec, allowed: tuple[Path, ...], cpu_s: float) -> None:
        self.spec, self.started = spec, time.perf_counter()
        self.outbox.send((spec, allowed, cpu_s))

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.outbox.send(None)
            except OSError:
                kill = True
        if kill:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.conn.close()
        self.outbox.close()


def render_all(specs: Iterable[BoardSpec], jobs: int, timeout_s: float,
               allowed: tuple[Path, ...] = ()) -> Iterator[Outcome]:
    """Render ``specs`` on up to ``jobs`` workers; yields outcomes as boards finish.

    ``specs`` may make each board as it is asked for (the parent's part: stamps, QR codes,
    HTML): while it has more, one is made between two looks at the workers, so making the
    boards overlaps rendering them instead of keeping the workers waiting. Workers start
    when there is work for them; one killed for overrunning is replaced only if boards are
    still waiting.
    """
    source, pending = iter(specs), deque[BoardSpec]()
    more = True

    def ahead() -> bool:
        """Make one more board, if there is one."""
        nonlocal more
        spec = next(source, None) if more else None
        more = spec is not None
        if spec is not None:
            pending.append(spec)
        return more

    slots: list[_Worker | None] = [None] * max(1, jobs)
    try:
        while more or pending or any(w and w.spec for w in slots):
            for i, w in enumerate(slots):
                if (w is None or w.spec is None) and (pending or ahead()):
                    slots[i] = w = w or _Worker()
                    w.give(pending.popleft(), allowed, timeout_s)
            if more:
                ahead()
            yield from _collect(slots, timeout_s, block=not more)
    finally:
        for w in slots:
            if w:
                w.stop(kill=w.spec is not None)


def _collect(slots: list[_Worker | None], timeout_s: float, block: bool = True) -> Iterator[Outcome]:
    """Wait for the next answers (``block``) or take those already there; drop workers that died
    or hung past the wall backstop."""
    busy = [w for w in slots if w and w.spec is not None]
    if not busy:
        return
    wall_s = WALL_FACTOR * timeout_s
    wait_s = max(0.0, min(w.started + wall_s for w in busy) - time.perf_counter()) if block else 0.0
    ready = set(wait([w.conn for w in busy], timeout=wait_s))
    for i, w in enumerate(slots):
        if w is None or w.spec is None:
            continue
        spec, elapsed = w.spec, time.perf_counter() - w.started
        if w.conn in ready:
            try:
                result, error, seconds = w.conn.recv()
            except (EOFError, OSError):
                w.stop(kill=True)
                slots[i] = None
                yield Outcome(spec, None, "渲染进程意外退出", elapsed)
                continue
            w.spec = None
            yield Outcome(spec, result, error, seconds)
        elif elapsed >= wall_s:
            w.stop(kill=True)
            slots[i] = None
            yield Outcome(spec, None, f"超过时限：{wall_s:g} 秒内没有完成（print.timeout_s 的 {WALL_FACTOR} 倍），"
                                      "渲染进程已中止", elapsed)


def main() -> None:
    """Entry point of a worker: the pipes are fds 0 and 1; stray output goes to stderr."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    inbox = Connection(os.dup(0), writable=False)
    outbox = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    serve(inbox, outbox)
