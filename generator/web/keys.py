"""Keys of the incremental site build: a digest of everything a group of pages shows.

Two builds that give a group the same key write the same bytes for it, so a build
whose previous output carries the key links those files instead of rendering them.
A key is built from:

- the *build digest*: gongshi's code, the site theme and docs, the board templates
  (pages show the boards' stamps), the versions of the libraries that render,
  ``site_config.yml`` as validated, and the as-of date. Any change to these changes
  every key (a full rebuild);
- a unit's *own digest*: the bytes of its YAML files, the size and time of its
  photos, and its git history (last change, pledge trails);
- a unit's *summary digest*: its own digest without its profile (:data:`PROFILE`: the
  fields of unit.yml that only its own pages, boards, open data and search show), its
  photos and its history. The pages that summarise every unit (home, the unit list,
  ledgers, rankings, evaluations …) are keyed by the summary digests, so an edit of a
  unit's opening hours or services re-renders its own pages, open data and search only;
- for a unit's pages, the own digests of its ancestors (breadcrumbs, inherited
  phone) and of its whole subtree (rolled-up figures, the child list, board stamps);
- for a ledger page, which items stand on it and the summary digests of their units.

Keys err on the side of rebuilding: a unit's pages are rebuilt when anything in
its subtree or above it changes, even if what changed is not shown. That the
summarising pages show no profile field is checked, not assumed: tests/test_keys.py
changes every one of them in every unit and compares those pages byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from .. import themes
from ..history import History
from ..model import Site, Unit

# Everything of gongshi's own that decides a page's bytes: its code, the site theme, the page
# texts, and the board templates (they decide the stamps pages show).
SOURCES = (themes.PACKAGE, themes.theme_dir("site"), themes.theme_dir("boards"), themes.theme_dir("pages"))
LIBRARIES = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "markdown", "nh3", "segno", "pydantic",
             "pagefind-bin-extended", "openpyxl")


def digest(*parts: str) -> str:
    """sha256 of the parts, each ended by a NUL (so no two lists of parts give the same text)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hashed.hexdigest()


@cache
def code_digest() -> str:
    """gongshi's own files that shape the site, and the versions of the libraries that render it."""
    hashed = hashlib.sha256()
    for name, data in themes.files_digest_parts(list(SOURCES)):
        hashed.update(name.encode() + b"\0" + data + b"\0")
    for name in LIBRARIES:
        try:
            hashed.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            hashed.update(f"{name}=none".encode())
    return hashed.hexdigest()


def overrides_digest(root: Path) -> str:
    """The project's overrides/site (see generator/themes.py): editing an override rebuilds every page."""
    folder = themes.overrides_dir("site", root)
    parts = themes.files_digest_parts([folder]) if folder else []
    return digest(*(f"{name}:{hashlib.sha256(data).hexdigest()}" for name, data in parts))


def build_digest(site: Site) -> str:
    """What every page depends on: code, theme, the project's overrides, settings and the as-of date."""
    return digest(code_digest(), overrides_digest(site.root), site.config.model_dump_json(), site.as_of.isoformat(),
                  str(site.root))


def _photos(unit: Unit) -> str:
    parts = []
    for person in unit.members:
        if person.photo:
            try:
                stat = person.photo.stat()
                parts.append(f"{person.photo.name}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{person.photo.name}:missing")
    return "|".join(parts)


def _history(history: History) -> dict[str, str]:
    """Each unit's slice of the git history, as text."""
    parts: dict[str, list[str]] = {}
    for path, day in sorted(history.changed.items()):
        parts.setdefault(path.split("/", 1)[0], []).append(f"{path}={day}")
    for (unit_id, pledge_id), trail in sorted(history.trails.items()):
        parts.setdefault(unit_id, []).append(f"{pledge_id}:{trail}")
    return {unit_id: "\n".join(lines) for unit_id, lines in parts.items()}


# unit.yml's fields that only the unit's own pages, its boards, the open data and search show. Every
# other field (name, short name, kind, parent, and any field added later) is in the summary digest.
PROFILE = frozenset({"description", "address", "postcode", "hours", "phone", "supervision_phone", "party_org",
                     "brands", "duties", "regimes", "phrases", "services"})


def summary_digest(unit: Unit) -> str:
    """What the pages summarising every unit may read of ``unit``: its files, unit.yml without :data:`PROFILE`."""
    others = (f"{name}={sha}" for name, sha in unit.file_digests if name != "unit.yml")
    return digest(unit.data.model_dump_json(exclude=set(PROFILE)), *others)


class Keys:
    """Computes the keys of one build (cheap: hashes of digests already known)."""

    def __init__(self, site: Site, history: History, variant: str = ""):
        self.build = digest(build_digest(site), variant)  # variant: e.g. whether pages link to boards
        past = _history(history)
        self.own = {u.id: digest(u.digest, _photos(u), past.get(u.id, "")) for u in site.units.values()}
        self.subtree: dict[str, str] = {}
        for unit in reversed(list(site.units.values())):  # tree order reversed: children before parents
            self.subtree[unit.id] = digest(self.own[unit.id], *(self.subtree[c] for c in unit.children))
        self.units = site.units
        self.everything = digest(self.build, *self.own.values())
        self.summary_of = {u.id: summary_digest(u) for u in site.units.values()}
        self.summaries = digest(self.build, "summaries", *self.summary_of.values())

    def unit(self, unit_id: str) -> str:
        """A unit's pages: the unit, its ancestors and its subtree."""
        unit = self.units[unit_id]
        return digest(self.build, "unit", unit_id, *(self.own[a] for a in unit.ancestors), self.subtree[unit_id])

    def own_unit(self, unit_id: str) -> str:
        """What depends on one unit's own content only (its open-data rows)."""
        return digest(self.build, "own", unit_id, self.own[unit_id])

    def rows(self, name: str, items: Iterable[tuple[str, str]], *extra: str) -> str:
        """A page listing ``(unit id, item id)`` rows: which rows, in what order, and their units' summaries."""
        return digest(self.build, name, *extra, *(f"{u}/{i}/{self.summary_of[u]}" for u, i in items))

    def site_wide(self, name: str) -> str:
        """Files made from everything of every unit (open data, the search page's names)."""
        return digest(self.everything, name)

    def summary(self, name: str) -> str:
        """A page that summarises every unit (home, unit tree, tables): no unit's profile, photos or history."""
        return digest(self.summaries, name)

    def static(self, name: str) -> str:
        """A page of our own text (about, guide): changes only with code, theme and settings."""
        return digest(self.build, name)
