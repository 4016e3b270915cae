"""The ledger pages of the plan: a group each, listed from the cache when no ledger can have changed.

Planning them sorts every published pledge and rectification into its filters and pages and
digests each page's rows: 3.4 s at 2,000 units, before anything is rendered, only to find after
most edits the same pages under the same keys. The pages and their keys are a function of the
build settings and every unit's summary digest (:meth:`generator.web.keys.Keys.summary`), so under
the same summary key the last build's list of groups and keys is taken as it is, and the pages are
made only if one of them must be rendered after all (its file was deleted by hand).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..diskcache import DiskCache
from ..model import PledgeItem, Site
from . import overview
from .keys import Keys
from .plan import PageSpec
from .pledgeunits import unit_ledgers

Make = Callable[[], tuple[list[PageSpec], dict[str, bytes]]]
Listed = list[tuple[str, str]]  # (group name, key) of each ledger page, in plan order


def ledger_pages(site: Site) -> list[PageSpec]:
    """Every page of the pledge ledger, the subtree ledgers and the rectification ledger."""
    return [*overview.pledge_ledger(site), *unit_ledgers(site), *overview.rect_ledger(site)]


def _row_ids(page: PageSpec) -> list[tuple[str, str]]:
    rows = page.context.rows
    return [(r.unit_id, r.id if isinstance(r, PledgeItem) else r.data.id) for r in rows]


def page_key(keys: Keys, page: PageSpec) -> str:
    """A ledger page shows its rows, its place among the pages and the filters."""
    extra = (page.title, repr(page.context.pager), repr(page.context.filters))
    return keys.rows(page.path, _row_ids(page), *extra)


def ledger_groups(site: Site, keys: Keys, folder: Path | None) -> list[tuple[str, str, Make]]:
    """``(name, key, make)`` of each ledger page's group; ``folder`` keeps the list between builds."""
    store = DiskCache(folder) if folder else None
    summary = keys.summary("ledger-pages")
    listed = _read(store, summary)
    if listed is None:
        pages = ledger_pages(site)
        groups = [(f"page:{page.path}", page_key(keys, page), _ready(page)) for page in pages]
        if store:
            store.put(summary, pickle.dumps([(name, key) for name, key, _ in groups], protocol=pickle.HIGHEST_PROTOCOL))
    else:
        made = cache(lambda: {f"page:{page.path}": page for page in ledger_pages(site)})
        groups = [(name, key, _later(made, name)) for name, key in listed]
    if store:
        store.prune()
    return groups


def _read(store: DiskCache | None, key: str) -> Listed | None:
    data = store.get(key) if store else None
    try:
        return pickle.loads(data) if data is not None else None
    except Exception:  # a damaged entry is a miss (pickle raises a dozen kinds)
        return None


def _ready(page: PageSpec) -> Make:
    return lambda: ([page], {})


def _later(made: Callable[[], dict[str, PageSpec]], name: str) -> Make:
    """The page of group ``name``, made with all the others the first time one is asked for."""
    return lambda: ([made()[name]], {})
