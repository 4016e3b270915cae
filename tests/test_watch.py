"""What ``serve``'s watcher counts as a change (generator/watch.py): a file written, not a file read."""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.inotify import InotifyEmitter

from generator.watch import Changed, EventObserver, PollingChanges, watch


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveReloadServer]:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        yield server
    finally:
        server.observer.stop()
        server.server_close()


def _until(changed: Changed, path: Path) -> list[str]:
    """Every path taken from ``changed`` until ``path`` is among them (bounded)."""
    seen: list[str] = []
    for _ in range(300):
        seen += changed.take()
        if str(path) in seen:
            return seen
        time.sleep(0.05)
    pytest.fail(f"{path} was never seen to change; seen: {seen}")


def test_files_read_are_not_changes(server: LiveReloadServer, tmp_path: Path) -> None:
    """Each rebuild reads the content, the settings and the templates. The file events of those reads
    once asked for the next rebuild, so serve rebuilt without end and an edit waited 20 s (c423019).
    Events of one watch arrive in order: when the edit after the reads is seen, the reads were too."""
    unit = tmp_path / "content" / "units" / "hall"
    unit.mkdir(parents=True)
    (unit / "unit.yml").write_text("name: 大厅\n", encoding="utf-8")
    (tmp_path / "site_config.yml").write_text("site: {}\n", encoding="utf-8")
    changed = Changed()
    watch(server, [tmp_path / "content"], [tmp_path / "site_config.yml"], changed)
    assert isinstance(server.observer, EventObserver)
    for path in (unit / "unit.yml", tmp_path / "site_config.yml"):
        path.read_bytes()
    os.listdir(unit)
    (unit / "members.yml").write_text("members: []\n", encoding="utf-8")
    assert _until(changed, unit / "members.yml") == [str(unit / "members.yml")]
    assert server._want_rebuild  # MkDocs' own flag: the build loop rebuilds


def test_settings_saved_by_renaming_are_seen_and_the_build_beside_them_is_not(server: LiveReloadServer,
                                                                             tmp_path: Path) -> None:
    """site_config.yml is watched through the project folder: an editor may save by renaming a new
    file over it. The output (root/site by default) and .cache/ are written there by every build."""
    settings = tmp_path / "site_config.yml"
    settings.write_text("site: {}\n", encoding="utf-8")
    (tmp_path / "content").mkdir()
    changed = Changed()
    watch(server, [tmp_path / "content"], [settings], changed)
    (tmp_path / "site").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    saved = tmp_path / ".site_config.yml.swp"
    saved.write_text("site: {name: 新}\n", encoding="utf-8")
    os.replace(saved, settings)
    seen = _until(changed, settings)
    assert set(seen) <= {str(settings), str(saved)}  # the rename names both of its ends
    settings.write_text("site: {name: 再改}\n", encoding="utf-8")  # the renamed file is watched too
    assert _until(changed, settings) == [str(settings)]


def test_without_file_events_edits_are_still_seen_by_polling(server: LiveReloadServer, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """inotify's watches are limited per user (fs.inotify.max_user_watches); past the limit the system
    refuses when watching starts. serve then polls as MkDocs does, and says so (G742)."""

    def refuse(self: InotifyEmitter) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(InotifyEmitter, "on_thread_start", refuse)
    (tmp_path / "content").mkdir()
    changed = Changed()
    watch(server, [tmp_path / "content"], [tmp_path / "site_config.yml"], changed)
    assert isinstance(server.observer, PollingChanges)
    assert "G742" in capsys.readouterr().out
    edited = tmp_path / "content" / "unit.yml"
    edited.write_text("name: 大厅\n", encoding="utf-8")
    assert str(edited) in _until(changed, edited)
