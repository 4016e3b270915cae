"""Exact names for the search page: a member's or service item's full name goes straight to it.

Pagefind segments Chinese text into words at index time, but splits a query only at spaces:
a name the segmenter cut differently (邓卫民 was indexed as 邓卫 + 民…) is never found, and
names that are found open the top of a long unit page. So the search page also looks the
typed text up in these files, one per first character (a query loads one small file,
whatever the size of the province): a whole name leads to the member's own page, or to
the service item on its unit page, above Pagefind's results.
"""

from __future__ import annotations

import json
from collections import defaultdict

from .. import urls
from ..model import Site


def shard_of(name: str) -> str:
    """The file a name is kept in: its first character's code point, in hex."""
    return f"{urls.SEARCH_NAMES}{ord(name[0]):x}.json"


def name_files(site: Site) -> dict[str, bytes]:
    """``search/names/<hex>.json``: [name, what it is, root-relative URL] sorted by name, then URL."""
    entries: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for unit in site.units.values():
        for person in unit.public_members:
            label = f"工作人员 · {unit.short_name} · {person.data.post}"
            entries[shard_of(person.data.name)].append((person.data.name, label, urls.member(unit.id, person.id)))
        for service in unit.data.services:
            entries[shard_of(service.name)].append(
                (service.name, f"服务事项 · {unit.short_name}", urls.service(unit.id, service.id)))
    return {path: json.dumps(sorted(rows), ensure_ascii=False, separators=(",", ":")).encode()
            for path, rows in sorted(entries.items())}
