"""What the published site was built from: read by the next build to reuse what is unchanged.

Kept in the project's cache (``.cache/site/<digest of the output path>.json``), never in the
published folder, as JSON with a version. A manifest of another version, one that does not
parse, or one whose ``stamp`` no longer matches the published site is not trusted: the site
is then built whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..diskcache import read_sealed, write_sealed
from ..web.keys import digest

MANIFEST_VERSION = 2  # 2: groups are GroupEntry records ("searchable" was "search")


@dataclass
class GroupEntry:
    """One page group as it stands in the published site."""

    key: str  # digest of everything its pages show (generator.web.keys)
    pages: int
    searchable: bool  # holds pages the search index reads
    files: list[str]  # every file the group wrote, relative to the site root
    sitemap: list[str]  # URLs of its pages that sitemap.xml lists


@dataclass
class Manifest:
    """The published site: what it was made from and every file a build put in it.

    ``stamp`` is the inode, time and size of the published sitemap.xml (written afresh by every
    build), so a site changed by anything else is not trusted and is rebuilt whole.
    """

    build_key: str  # code, theme, settings and as-of date (generator.web.keys)
    shells: dict[str, str]  # Material's page around the bodies (generator.mkdocs_site.Shells)
    theme_files: list[str]
    groups: dict[str, GroupEntry] = field(default_factory=dict)  # in the plan's order
    others: list[str] = field(default_factory=list)  # files written on every build (admin/, sitemap)
    search_key: str = ""  # what the published search index was made from ("" if it is behind)
    stamp: list[int] = field(default_factory=list)

    def files(self) -> set[str]:
        """Every file this build put in the site, except the search index and boards."""
        return {*self.theme_files, *self.others, *(f for g in self.groups.values() for f in g.files)}

    def indexed_key(self) -> str:
        """What the search index of this site is made from: the keys of the groups it reads."""
        return digest(*(f"{name}={g.key}" for name, g in self.groups.items() if g.searchable))

    def sitemap(self) -> list[str]:
        return [url for g in self.groups.values() for url in g.sitemap]


def stamp(out: Path) -> list[int]:
    stat = (out / "sitemap.xml").stat()
    return [stat.st_ino, stat.st_mtime_ns, stat.st_size]


def manifest_path(cache: Path, out: Path) -> Path:
    """Where the manifest of the site published in ``out`` is kept (the build lock stands beside it)."""
    return cache / "site" / f"{hashlib.sha256(str(out).encode()).hexdigest()[:16]}.json"


def read_manifest(path: Path, out: Path) -> Manifest | None:
    """The manifest of the site in ``out``, or None if there is none we can vouch for."""
    sealed = read_sealed(path)
    if sealed is None:
        return None  # no previous build, or its manifest damaged: build everything
    try:
        data = json.loads(sealed)
        if data.pop("version", None) != MANIFEST_VERSION:
            return None
        groups = {name: GroupEntry(**entry) for name, entry in data.pop("groups").items()}
        manifest = Manifest(groups=groups, **data)
        return manifest if manifest.stamp == stamp(out) else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # no previous build, or one we cannot vouch for: build everything


def _as_json(manifest: Manifest) -> dict[str, object]:
    """What :func:`dataclasses.asdict` gives, without copying every list of 15,000 groups (1 s at 2,000 units)."""
    return {"version": MANIFEST_VERSION, **vars(manifest), "groups": {name: vars(entry) for name, entry in manifest.groups.items()}}


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Replace the manifest at ``path`` in one step; if it cannot be written, the next build is a full one."""
    write_sealed(path, json.dumps(_as_json(manifest), ensure_ascii=False).encode("utf-8"))
