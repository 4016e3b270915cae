"""What ``serve`` watches, and how: the system's file events (inotify), polling only where there are none.

MkDocs' LiveReloadServer polls what it watches every half second (watchdog's ``PollingObserver``):
at 2,000 units, walking content/ again and again was two thirds of ``serve``'s CPU (py-spy), in
the server's own process beside the rebuild, and a save was seen only when a walk ended.

The hazard of file events is that they report a file being *read* too: watchdog 2.3 and later
report a file opened, 5.0 and later a file closed unwritten, and MkDocs' callback asks for a
rebuild on any event. Every rebuild reads site_config.yml, the edited unit's files and the
templates, so every rebuild asked for the next and ``serve`` rebuilt without end. The first try
(5824eda, reverted in c423019) measured that as "the third edit live after 20 s": the benchmark's
next save fell into one of those endless rebuilds (the unit's pages, then the pages that summarise
every unit and the search index: 14-20 s at 2,000 units, while the server holds every request
back) and waited for it to end before its own began. Here only a change counts (:data:`CHANGES`:
a file written, created, deleted, moved, or its attributes changed), and the system is asked for
those events alone, so the build's reads cost nothing at all.

site_config.yml is watched through its folder, for that name only: an editor that saves by writing
a new file and renaming it over the old one would leave a watch on the file itself watching the
old, deleted one.

Where the system has no file events or too few watches (inotify's limits per user), :func:`watch`
polls as MkDocs does and says so (G742): edits are still seen, at the old cost.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

# What changes a file a rebuild reads. Not: opened, closed without writing (the rebuild's own reads),
# nor a folder "modified" (its entries changed: the file's own event says which).
CHANGES = (FileCreatedEvent, FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
           DirDeletedEvent, DirMovedEvent)
POLL_SECONDS = 0.5  # MkDocs' own interval


class Changed:
    """The paths changed since the rebuild before: filled by the watcher's thread, taken by the rebuild."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] = set()

    def add(self, paths: list[str]) -> None:
        with self._lock:
            self._paths.update(paths)

    def take(self) -> list[str]:
        with self._lock:
            paths, self._paths = sorted(self._paths), set()
        return paths

    def pending(self) -> bool:
        """Whether a change waits for the next rebuild (the one under way is outdated)."""
        with self._lock:
            return bool(self._paths)


class _Changes(FileSystemEventHandler):
    """Hands MkDocs' handler (its request for a rebuild) the changes only, and notes their paths.

    ``names``: only files of these names count (a folder watched for one file in it).
    """

    def __init__(self, handler: FileSystemEventHandler, names: frozenset[str] | None, changed: Changed):
        self.handler, self.names, self.changed = handler, names, changed

    def dispatch(self, event: FileSystemEvent) -> None:
        if not isinstance(event, CHANGES):
            return
        paths = [os.fsdecode(p) for p in (event.src_path, event.dest_path) if p]
        if self.names is not None:
            paths = [p for p in paths if os.path.basename(p) in self.names]
        if not paths:
            return
        self.changed.add(paths)
        # MkDocs' callback passes over folders; a folder deleted or moved away took its files with it
        self.handler.dispatch(FileModifiedEvent(paths[0]) if event.is_directory else event)


class _ChangesOnly(BaseObserver):
    """An observer that asks for :data:`CHANGES` only and may be started before MkDocs starts it."""

    def __init__(self, changed: Changed, names: dict[str, frozenset[str]], **options: Any):
        super().__init__(**options)
        self.changed, self.names = changed, names
        self.scheduled: list[tuple[FileSystemEventHandler, str, bool]] = []

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                 event_filter: list[type[FileSystemEvent]] | None = None, follow_symlink: bool = False) -> ObservedWatch:
        self.scheduled.append((event_handler, str(path), recursive))
        handler = _Changes(event_handler, self.names.get(str(path)), self.changed)
        return super().schedule(handler, path, recursive=recursive, event_filter=list(CHANGES),
                                follow_symlink=follow_symlink)

    def start(self) -> None:
        if not self.is_alive():
            super().start()


class EventObserver(_ChangesOnly, Observer):  # type: ignore[misc,valid-type]
    """The system's file events (inotify on Linux)."""


class PollingChanges(_ChangesOnly, PollingObserver):
    """Polling, where there are no file events."""


def watch(server: Any, folders: list[Path], files: list[Path], changed: Changed) -> None:
    """Make MkDocs' ``server`` rebuild when something under ``folders`` or one of ``files`` changes,
    and note the paths in ``changed``.

    The observer is started here, so that a system without enough watches is found now, not when
    MkDocs starts it (MkDocs then finds it started).
    """
    names: dict[str, set[str]] = {}
    for file in files:
        names.setdefault(os.path.abspath(file.parent), set()).add(file.name)
    only = {folder: frozenset(wanted) for folder, wanted in names.items()}
    server.observer = EventObserver(changed, only)
    for folder in folders:
        server.watch(os.path.abspath(folder))
    for parent in only:
        server.watch(parent, recursive=False)
    try:
        server.observer.start()
    except OSError as exc:  # ENOSPC: too few watches (fs.inotify.max_user_watches); EMFILE: too many instances
        events = server.observer
        events.stop()
        server.observer = PollingChanges(changed, only, timeout=POLL_SECONDS)
        for handler, path, recursive in events.scheduled:
            server.observer.schedule(handler, path, recursive=recursive)
        server.observer.start()
        print(f"系统的文件监视不可用（{exc.strerror or exc}），改为每 {POLL_SECONDS} 秒查看一遍 content/："
              "修改仍会显示，但更慢、更费 CPU。Linux 上可加大 fs.inotify.max_user_watches（G742）")
