"""The check cache must never hand back a result for files that changed.

``check`` skips reading and hashing a unit folder whose files' stat signature is the one
recorded when they were last hashed (:mod:`generator.checksigns`), and reads each unit's
warnings back by its key (:mod:`generator.warncache`). Every test compares with a check
without any cache: the problems, in order, and the model.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import checksigns, references
from generator.check import check
from generator.checkcache import UnitCache
from generator.pipeline import Request, build

from .conftest import ROOT

TICK = 0.05  # longer than a tick of the kernel's clock that stamps ctimes


def _formatted(root: Path, cache: Path | None) -> list[str]:
    return [p.format() for p in check(root, cache).problems]


@pytest.fixture()
def signed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a test has just written count as old enough to be signed after a few milliseconds."""
    monkeypatch.setattr(checksigns, "RACY_NS", 10_000_000)
    time.sleep(TICK)


def test_an_edit_keeping_the_size_and_the_time_is_seen(project: Path, signed: None) -> None:
    """Same size, same inode, mtime set back: the ctime the write set still differs, so the folder is hashed."""
    cache = project / ".cache" / "check"
    pledges = project / "content/units/hall/pledges.yml"
    text = pledges.read_text(encoding="utf-8")
    assert "2026" in text
    check(project, cache)
    time.sleep(TICK)
    assert check(project, cache).site is not None  # from the signatures now
    assert (cache / checksigns.SIGNATURES).is_file()
    before = pledges.stat()
    time.sleep(TICK)
    with pledges.open("r+b") as handle:  # in place: the same inode
        handle.write(text.replace("2026", "2025", 1).encode("utf-8"))
    os.utime(pledges, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = pledges.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert _formatted(project, cache) == _formatted(project, None)
    site = check(project, cache).site
    assert site is not None and text.replace("2026", "2025", 1) != text
    assert [p.data.model_dump(mode="json") for p in site.units["hall"].pledges] == \
           [p.data.model_dump(mode="json") for p in check(project).site.units["hall"].pledges]  # type: ignore[union-attr]


def test_a_file_just_written_is_not_signed(project: Path) -> None:
    """Within the racy window a second edit could leave every field of the signature equal."""
    unit = project / "content/units/hall"
    unit_yml = unit / "unit.yml"
    unit_yml.write_text(unit_yml.read_text(encoding="utf-8"), encoding="utf-8")
    names = sorted(p.name for p in unit.glob("*.y*ml"))
    assert checksigns.signature(unit, names, time.time_ns()) is None
    assert checksigns.signature(unit, names, time.time_ns() + 2 * checksigns.RACY_NS) is not None


def test_a_symlinked_file_is_never_signed(project: Path, signed: None) -> None:
    """A link's own stat does not change when its target is edited: such a folder is always hashed."""
    cache = project / ".cache" / "check"
    unit = project / "content/units/hall"
    shutil.move(unit / "pledges.yml", project / "pledges-real.yml")
    (unit / "pledges.yml").symlink_to(project / "pledges-real.yml")
    time.sleep(TICK)
    first = _formatted(project, cache)
    assert checksigns.signature(unit, sorted(p.name for p in unit.glob("*.y*ml")), time.time_ns()) is None
    target = project / "pledges-real.yml"
    target.write_text(target.read_text(encoding="utf-8").replace("2026", "2025", 1), encoding="utf-8")
    assert _formatted(project, cache) == _formatted(project, None) and first is not None


def test_kept_warnings_are_those_of_a_fresh_check(tmp_path: Path, signed: None) -> None:
    """The demo's warnings, read back, after a unit edit and after settings that change them."""
    root = tmp_path / "demo"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copyfile(ROOT / "site_config.yml", root / "site_config.yml")
    cache = root / ".cache" / "check"
    fresh = _formatted(root, None)
    assert any("[warning]" in line for line in fresh)
    assert _formatted(root, cache) == fresh
    assert _formatted(root, cache) == fresh  # read back
    pledges = root / "content/units/tax-hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("status: 履行中", "status: 已公开", 1),
                       encoding="utf-8")
    assert _formatted(root, cache) == _formatted(root, None)
    settings = root / "site_config.yml"
    text = settings.read_text(encoding="utf-8")
    assert "as_of: 2026-11-20" in text
    settings.write_text(text.replace("as_of: 2026-11-20", "as_of: 2026-12-30", 1), encoding="utf-8")
    moved = _formatted(root, None)
    assert moved != fresh  # more pledges overdue
    assert _formatted(root, cache) == moved


def test_checks_within_a_unit_read_back_follow_its_photos_and_the_periods(project: Path, signed: None) -> None:
    """A unit's checks within itself are kept by its files and what else they read: a member's
    photo (G304, no YAML changes when the file comes or goes) and the settings' periods (G301)."""
    cache = project / ".cache" / "check"
    members = project / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("    consent: true\n", "    photo: photos/li.jpg\n"
                                                                   "    consent: true\n", 1), encoding="utf-8")
    (project / "content/units/hall/photos").mkdir()
    missing = _formatted(project, None)
    assert [line for line in missing if "G304" in line]
    assert _formatted(project, cache) == missing
    assert _formatted(project, cache) == missing  # again (a check with errors keeps nothing new)
    shutil.copy(next(ROOT.glob("content/units/*/photos/*.jpg")), project / "content/units/hall/photos/li.jpg")
    assert _formatted(project, cache) == _formatted(project, None) == []
    (project / "content/units/hall/photos/li.jpg").unlink()
    assert _formatted(project, cache) == missing
    evaluations = project / "content/units/hall/evaluations.yml"
    evaluations.write_text(evaluations.read_text(encoding="utf-8").replace("period: 2026h2", "period: 2026h1", 1),
                           encoding="utf-8")
    (project / "content/units/hall/photos").rmdir()
    members.write_text(members.read_text(encoding="utf-8").replace("    photo: photos/li.jpg\n", ""), encoding="utf-8")
    assert _formatted(project, cache) == _formatted(project, None) == []
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - id: 2026h1\n", "  - id: 2025h1\n"),
                      encoding="utf-8")
    renamed = _formatted(project, None)
    assert [line for line in renamed if "G301" in line]
    assert _formatted(project, cache) == renamed


class _Raises:
    """Pickles into bytes whose loading raises TypeError (as bytes damaged on disk may; not a PickleError)."""

    def __reduce__(self) -> tuple[object, ...]:
        return int, ("1", "2", "3")


def test_damaged_cache_files_are_misses(project: Path, signed: None) -> None:
    """Every file of the check cache damaged so that loading it raises: the check runs as if it were empty."""
    cache = project / ".cache" / "check"
    fresh = _formatted(project, None)
    build(Request(project))  # the CLI's check: it also keeps the figures
    files = [p for p in cache.iterdir() if p.is_file()]
    assert {p.suffix for p in files} >= {".pickle", ".index", ".table"}
    damaged = pickle.dumps(_Raises())
    for path in files:
        path.write_bytes(damaged)
    assert _formatted(project, cache) == fresh
    assert build(Request(project)).ok


def test_checks_within_units_are_read_back_in_another_process(project: Path, signed: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept by a key that is the same in every process (Python salts str hashes a process, so a
    set's order differs): a second run under another hash seed reads every entry back."""
    run = [sys.executable, "-c", "import sys; from pathlib import Path; from generator.pipeline import Request, build;"
           " sys.exit(0 if build(Request(Path(sys.argv[1]))).ok else 1)", str(project)]
    index = project / ".cache/check/warnings.index"
    for seed in ("1", "2"):
        subprocess.run(run, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        if seed == "1":
            first = index.read_bytes()
    assert index.read_bytes() == first  # nothing new was kept: every entry was found
    photos: list[str] = []

    def spy(loc: references.Located) -> Iterator[references.Problem]:
        photos.append(loc.source.id)
        return iter(())

    monkeypatch.setattr(references, "_photos", spy)
    assert _formatted(project, project / ".cache/check") == []
    assert photos == []  # in this process too: no unit's checks within itself ran again


def test_a_photo_folder_turned_into_a_link_out_of_the_unit_is_seen(project: Path, tmp_path: Path,
                                                                    signed: None) -> None:
    """G304: a photo must be inside its unit folder; the photo's own file is the same, a folder on its way is not."""
    cache = project / ".cache" / "check"
    members = project / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("    consent: true\n", "    photo: photos/li.jpg\n"
                                                                   "    consent: true\n", 1), encoding="utf-8")
    (project / "content/units/hall/photos").mkdir()
    shutil.copy(next(ROOT.glob("content/units/*/photos/*.jpg")), project / "content/units/hall/photos/li.jpg")
    assert _formatted(project, cache) == _formatted(project, None) == []
    (project / "content/units/hall/photos").rename(tmp_path / "elsewhere")
    (project / "content/units/hall/photos").symlink_to(tmp_path / "elsewhere")
    outside = _formatted(project, None)
    assert [line for line in outside if "G304" in line]
    assert _formatted(project, cache) == outside


def test_a_unit_folder_is_resolved_as_pathlib_resolves_it(tmp_path: Path) -> None:
    """The check cache resolves the units' folder once and each unit's name only if it is a link:
    the same path as ``Path.resolve`` for a plain folder, a linked one and a folder under a link."""
    real_root = tmp_path / "real"
    units = real_root / "content/units"
    (units / "plain").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (units / "linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "via").symlink_to(real_root)
    cache = UnitCache(tmp_path / "cache", real_root)
    for unit in (units / "plain", units / "linked", tmp_path / "via/content/units/plain",
                 tmp_path / "via/content/units/linked", units / "missing"):
        assert cache._resolved(unit) == str(unit.resolve()), unit


def test_checks_within_a_unit_are_kept_by_the_as_of_date(project: Path, signed: None) -> None:
    """A record dated after the as-of date is an error (G307): moving as_of back checks every unit again."""
    cache = project / ".cache" / "check"
    config = project / "site_config.yml"
    assert _formatted(project, cache) == _formatted(project, None)
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2026-11-20", "as_of: 2026-06-30"), encoding="utf-8")
    fresh = _formatted(project, None)
    assert any("(G307)" in line for line in fresh)
    assert _formatted(project, cache) == fresh
