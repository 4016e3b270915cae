"""History from git: when each unit and member last changed, and each pledge's trail.

The content lives in git, so its history is the record of who changed what when.
Two git processes answer everything: one ``git log`` lists the commits that touched
content/units/ with their files, one ``git cat-file --batch`` reads each version of
every pledges.yml. A pledge's trail is the list of (date, status) changes across
those versions. Without git, or outside a repository, the history is empty and
the site builds the same minus the trail. A shallow clone (CI's default
``fetch-depth: 1``) sees one version only: check out with ``fetch-depth: 0``.

Commits dated after the as-of date are left out: a page "as of 2026-11-20" must not
say it changed on 2026-11-25, and a build for a given as-of date must come out the
same whatever was committed since. The day compared is the committer date
(``%cs``, in the committer's own time zone), the day the change entered the record.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from .load import parse_text
from .schema_unit import PledgeStatus

STATUSES = frozenset(get_args(PledgeStatus))  # the only values an old version may give a trail

Trail = tuple[tuple[dt.date, str], ...]


@dataclass(frozen=True)
class History:
    changed: dict[str, dt.date] = field(default_factory=dict)  # "unit/file.yml" -> last commit date
    trails: dict[tuple[str, str], Trail] = field(default_factory=dict)  # (unit, pledge) -> trail

    def unit_changed(self, unit_id: str) -> dt.date | None:
        dates = [d for key, d in self.changed.items() if key.split("/", 1)[0] == unit_id]
        return max(dates) if dates else None

    def file_changed(self, unit_id: str, *names: str) -> dt.date | None:
        dates = [self.changed[f"{unit_id}/{n}"] for n in names if f"{unit_id}/{n}" in self.changed]
        return max(dates) if dates else None

    def trail(self, unit_id: str, pledge_id: str) -> Trail:
        return self.trails.get((unit_id, pledge_id), ())


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    if not shutil.which("git"):
        return None
    done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=600,
                          check=False)
    return done.stdout if done.returncode == 0 else None


def _commits(root: Path, as_of: dt.date | None) -> Iterator[tuple[str, dt.date, list[str]]]:
    """(commit, date, files under content/units/) newest first; none dated after ``as_of``."""
    out = _git(root, "log", "--format=\x1e%H %cs", "--name-only", "--no-renames", "--", "content/units")
    if not out:
        return
    for block in out.decode("utf-8", "replace").split("\x1e")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        commit, _, day = lines[0].partition(" ")
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:  # a commit with a date git cannot print as one: no date is taken from it
            continue
        if as_of is None or date <= as_of:
            yield commit, date, [f.removeprefix("content/units/") for f in lines[1:]]


def _statuses(text: str) -> dict[str, str]:
    """pledge id -> status in one version of a pledges.yml (unparseable versions give nothing).

    Old versions were never checked: one may have held, before a fix, a status with a personal
    mobile or markup in it. Only a status of the schema's list is taken; any other is dropped,
    so nothing from history reaches a page that ``check`` would have refused today.
    """
    try:
        data, _, _ = parse_text(text, "history")
    except Exception:  # an old broken version must never break today's build
        return {}
    pledges = data.get("pledges") if isinstance(data, dict) else None
    return {p["id"]: p["status"] for p in pledges or []
            if isinstance(p, dict) and isinstance(p.get("id"), str) and isinstance(p.get("status"), str)
            and p["status"] in STATUSES}  # a list or mapping there (an old broken version) is no status


def _read_versions(root: Path, wanted: list[tuple[str, str]]) -> list[str]:
    """Contents of ``commit:path`` for each pair, through one git cat-file process."""
    request = "".join(f"{commit}:content/units/{path}\n" for commit, path in wanted).encode()
    out = _git(root, "cat-file", "--batch", stdin=request)
    texts: list[str] = []
    pos = 0
    while out is not None and pos < len(out):
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            texts.append("")
            pos = header_end + 1
            continue
        size = int(header[2])
        texts.append(out[header_end + 1:header_end + 1 + size].decode("utf-8", "replace"))
        pos = header_end + 1 + size + 1
    return texts


def is_shallow(root: Path) -> bool:
    """True in a shallow clone (CI checks out one commit by default): every file would seem last
    changed by that commit and no pledge would have a trail, so its history is not used (G732)."""
    out = _git(root, "rev-parse", "--is-shallow-repository")
    return out is not None and out.strip() == b"true"


def load_history(root: Path, as_of: dt.date | None = None) -> History:
    """The history of content/units/ as of ``as_of`` (later commits ignored); all of it if None."""
    if is_shallow(root):  # wrong dates are worse than none: the CLI warns (G732)
        return History()
    commits = list(_commits(root, as_of))
    if not commits:
        return History()
    changed: dict[str, dt.date] = {}
    versions: list[tuple[str, str, dt.date]] = []  # commit, unit/pledges.yml, date; oldest first
    for commit, day, files in reversed(commits):
        for path in files:
            changed[path] = day
            if path.endswith("/pledges.yml"):
                versions.append((commit, path, day))
    trails: dict[tuple[str, str], list[tuple[dt.date, str]]] = {}
    texts = _read_versions(root, [(c, p) for c, p, _ in versions])
    for (_, path, day), text in zip(versions, texts, strict=False):
        unit_id = path.split("/", 1)[0]
        for pledge_id, status in _statuses(text).items():
            trail = trails.setdefault((unit_id, pledge_id), [])
            if not trail or trail[-1][1] != status:
                trail.append((day, status))
    return History(changed, {key: tuple(value) for key, value in trails.items()})
