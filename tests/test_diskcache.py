"""The cache folder keeps what a run used and nothing left behind."""

from __future__ import annotations

import os
import time
from pathlib import Path

from generator.diskcache import STALE_TMP_S, DiskCache


def test_prune_keeps_what_was_used_and_removes_old_entries_and_abandoned_temporary_files(tmp_path: Path) -> None:
    store = DiskCache(tmp_path)
    store.put("used", b"1")
    (tmp_path / "unused.pickle").write_bytes(b"2")
    abandoned = tmp_path / "key.4242.tmp"  # a worker killed mid-write
    abandoned.write_bytes(b"half")
    old = time.time() - STALE_TMP_S - 60
    os.utime(abandoned, (old, old))
    writing = tmp_path / "other.4343.tmp"  # another process writing now
    writing.write_bytes(b"half")
    store.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.4343.tmp", "used.pickle"]
    assert store.get("used") == b"1"
