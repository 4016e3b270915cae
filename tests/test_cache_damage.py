"""A cache file damaged on disk (or in a CI cache restore) is a miss: what it held is made again,
and never published.

Damage is a changed byte that leaves the file loadable: about half of all such changes to a
pickle still load (into other values), any change to a cached QR code's SVG does. Real builds
through the CLI, as a user runs them.
"""

from __future__ import annotations

import json
import shutil
import zlib
from pathlib import Path

import pytest

from generator.boards.cache import BoardCache, Entry
from generator.diskcache import DiskCache, read_sealed, seal, unseal, write_sealed

from .conftest import ROOT, run_cli


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _damage(path: Path) -> None:
    """Change one byte in the middle of the file to another printable one (an SVG stays text)."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_site_built_from_damaged_caches_is_the_site_built_without_them(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copyfile(ROOT / "site_config.yml", root / "site_config.yml")
    first = run_cli("--root", str(root), "site")
    assert first.returncode == 0, first.stderr
    want = _tree(root / "site")
    shutil.rmtree(root / "site")  # every page rendered again, from what the caches hold
    cached = [p for p in (root / ".cache").rglob("*") if p.is_file() and p.stat().st_size]  # not the empty build lock
    assert {p.relative_to(root / ".cache").parts[0] for p in cached} >= {"check", "qr", "site"}
    for path in cached:
        _damage(path)
    again = run_cli("--root", str(root), "site")
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    got = _tree(root / "site")
    assert sorted(got) == sorted(want)
    assert [path for path in want if got[path] != want[path]] == []


def test_a_sealed_file_reads_back_only_as_written(tmp_path: Path) -> None:
    path = tmp_path / "entry.pickle"
    assert write_sealed(path, b"payload")
    assert read_sealed(path) == b"payload"
    _damage(path)
    assert read_sealed(path) is None
    assert unseal(b"payload") is None  # a file from before sealing: a miss
    assert unseal(seal(b"")) == b""
    assert read_sealed(tmp_path / "missing") is None
    store = DiskCache(tmp_path)
    store.put("key", b"value")
    (tmp_path / "key.pickle").write_bytes(b"value")  # written by hand, not sealed
    assert store.get("key") is None


@pytest.mark.parametrize("part", [".pdf", ".html"])
def test_a_damaged_board_in_the_cache_is_rendered_again(tmp_path: Path, part: str) -> None:
    boards = BoardCache(tmp_path)
    entry = Entry(b"%PDF-1.7 board", "<p>承诺桌牌</p>", 1, [("G614", "照片分辨率偏低")])
    boards.put("ab" * 32, entry)
    assert boards.get("ab" * 32) == entry
    _damage(tmp_path / "ab" / f"{'ab' * 32}{part}")
    assert boards.get("ab" * 32) is None
    meta = json.loads((tmp_path / "ab" / f"{'ab' * 32}.json").read_text(encoding="utf-8"))
    assert meta["crc32"][0] == zlib.crc32(b"%PDF-1.7 board")
