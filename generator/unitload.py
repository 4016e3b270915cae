"""Load one unit folder: its files read, validated and their texts checked, as one value.

Both :func:`generator.check.check` (directly, or through the disk cache of
:mod:`generator.checkcache`) and the in-memory re-check of ``serve``
(:mod:`generator.checksession`) load a folder through :func:`load_unit`; what it returns
depends only on the folder's files, the project root and the privacy allow-list, which is
what lets both keep it between runs. Large trees are loaded on both cores
(:func:`load_all`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import Any

from . import privacy
from .errors import Problem, error, relpath, warning
from .layout import no_unit_file
from .load import Loaded, load_file
from .model import UnitSource
from .references import Located
from .schema import UNIT_FILES, Strict
from .textcheck import text_problems
from .validate import validate

# What a unit folder may be called (G306), and every id a staff command accepts (G710).
# \Z, not $: "$" also matches before a final newline, which let "hall\n" through.
UNIT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")

LoadedUnit = tuple[Located | None, list[Problem]]  # a folder's files, and what is wrong in them

PARALLEL_FROM = 64  # unit folders; below this, starting worker processes costs more than it saves


def yaml_names(folder: Path) -> list[str]:
    """The sorted names in ``folder`` that ``folder.glob("*.y*ml")`` matches, at a fifth of its cost.

    The check cache and serve's session list every folder on every run: pathlib's glob was
    6 % of a warm check at 2,000 units (py-spy). Raises OSError if the folder cannot be read.
    """
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if e.name.endswith("ml") and ".y" in e.name[:-2])


def _load_one(path: Path, shown: str, model: type[Strict], allowed: frozenset[str], office: str,
              root: Path, inside: bool) -> tuple[Loaded, Strict | None, list[Problem]]:
    """One unit file: loaded (empty if absent or unreadable), validated, its texts checked.

    ``office`` is the unit's own address, which may stand in any of its texts; ``inside`` says
    the unit folder lies in the project, so only a symlinked file needs resolving.
    """
    if not path.exists() and not path.is_symlink():  # a broken link is read, and reported
        if path.name == "unit.yml":
            return Loaded(path, shown, {}), None, [no_unit_file(path.parent, shown.rpartition("/")[0])]
        return Loaded(path, shown, {}), model(), []  # optional files may be left out
    loaded = load_file(path, shown, root, inside)
    if isinstance(loaded, Problem):
        return Loaded(path, shown, {}), None, [loaded]
    obj, problems = validate(loaded, model)
    problems += text_problems(loaded, model, allowed, office or unit_address(loaded))
    return loaded, obj, problems


def unit_address(loaded: Loaded) -> str:
    """The office address written in a unit.yml (as written, valid or not), else ""."""
    address = loaded.data.get("address") if loaded.path.name == "unit.yml" and loaded.data else None
    return address if isinstance(address, str) else ""


def _unknown_files(folder: Path, root: Path) -> list[Problem]:
    """G202: a YAML file in the folder that is none of the unit files is never read."""
    return [warning(relpath(extra, root), 1, 1, "G202",
                    f"不认识的文件名 {extra.name}，它不会被读取。可用的文件名：{'、'.join(UNIT_FILES)}")
            for extra in sorted(folder.glob("*.y*ml")) if extra.name not in UNIT_FILES]


def _id_problems(folder: Path, root: Path, allowed: frozenset[str]) -> list[Problem]:
    """G401–G405 in the folder's name: it is the unit id, in every URL of the unit's pages and data.

    Shown at the folder itself, a link not resolved: a link's name is its id, not its target's.
    """
    shown = f"{relpath(folder.parent, root)}/{folder.name}"
    return [error(shown, 1, 1, code,
                  f"单位目录名“{folder.name}”里{message.split('。')[0]}。目录名就是单位的网址，个人信息不得出现在网址里："
                  "请给目录改名，如 tax-hall，下级单位 unit.yml 的 parent 也随之改正")
            for code, message in privacy.find(folder.name, allowed)]


def load_unit(folder: Path, root: Path, allowed: frozenset[str]) -> LoadedUnit:
    """A unit folder's files; a file that failed is replaced by an empty stand-in and listed as broken.

    The stand-in only keeps the types whole: :func:`references.check_unit` skips every check
    that needs a broken file, and no model is built while any error stands.
    """
    problems = _unknown_files(folder, root)
    objects: dict[str, Strict] = {}
    loaded_files: dict[str, Loaded] = {}
    broken: set[str] = set()
    office = ""  # the unit's own address
    shown_folder = relpath(folder, root)  # resolved once: per file it cost 1.6 s at 2,000 units
    problems += _id_problems(folder, root, allowed)
    inside = folder.resolve().is_relative_to(root)  # so each file is resolved only if it is a symlink
    for name, model in UNIT_FILES.items():
        loaded_files[name], obj, found = _load_one(folder / name, f"{shown_folder}/{name}", model, allowed, office,
                                                   root, inside)
        problems += found
        if obj is None:
            broken.add(name)
        objects[name] = obj if obj is not None else model.model_construct()
        office = office or unit_address(loaded_files[name])  # unit.yml is read first
        loaded_files[name].pack()  # validated: only the positions are needed from here on
    return Located(_source(folder, objects, loaded_files), loaded_files, frozenset(broken)), problems


def _source(folder: Path, objects: dict[str, Strict], loaded_files: dict[str, Loaded]) -> UnitSource:
    """The unit's validated files, with the digest the incremental site build compares."""
    digest = hashlib.sha256()  # of the files' digests, taken as they were read
    for name, loaded in loaded_files.items():
        digest.update(f"{name}\0{loaded.sha256}\0".encode())
    return UnitSource(
        id=folder.name, folder=folder, digest=digest.hexdigest(),
        file_digests=tuple((name, loaded.sha256) for name, loaded in loaded_files.items()),
        files=[folder / n for n in UNIT_FILES if (folder / n).exists()],
        unit=objects["unit.yml"], members=objects["members.yml"], pledges=objects["pledges.yml"],  # type: ignore[arg-type]
        compare=objects["compare.yml"], evaluations=objects["evaluations.yml"],  # type: ignore[arg-type]
        rectifications=objects["rectifications.yml"], grading=objects["grading.yml"],  # type: ignore[arg-type]
    )


def load_all(load: Callable[[Path, Path, frozenset[str]], Any], folders: list[Path], root: Path,
             allowed: frozenset[str]) -> Iterator[Any]:
    """``load`` of each folder, in order; on both cores for a large tree."""
    workers = min(os.cpu_count() or 1, 4)
    if len(folders) < PARALLEL_FROM or workers < 2:
        return (load(f, root, allowed) for f in folders)
    if "fork" not in multiprocessing.get_all_start_methods():  # Windows: one process
        return (load(f, root, allowed) for f in folders)
    return _in_workers(load, folders, root, allowed, workers)


def _in_workers(load: Callable[[Path, Path, frozenset[str]], Any], folders: list[Path], root: Path,
                allowed: frozenset[str], workers: int) -> Iterator[Any]:
    """Each result as soon as it and those before it are done: the caller reads one while later ones load."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        chunk = max(len(folders) // (workers * 8), 1)
        yield from pool.map(load, folders, repeat(root), repeat(allowed), chunksize=chunk)
