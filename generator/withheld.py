"""Names of members who did not consent, in what a rectification says.

A member whose ``consent`` is not true is left off the site and the boards (G404 says so); so is
her name where unit.yml gives her as the party secretary (书记).
A rectification names its responsible leader and person (整改“四明确”) as free text, and
staff often write there, or in the problem, the measure or the result, the name of a member
of the unit (“纪淑华（护士长）”, “梁静怡、纪淑华”, “纪淑华已回访”): that member's name would
then be published in the ledgers, the unit page and the open data after all. The model puts
:data:`WITHHELD` in each place the name stands, so every page, ledger, download and board
shows the same, and ``check`` warns (G406). Only the unit's own members are compared (a
unit's model and warnings depend on its own files alone: see generator/warncache.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import schema

WITHHELD = "（未公开）"
RECT_FIELDS = {"leader": "责任领导", "person": "责任人", "problem": "存在问题", "measure": "整改措施",
               "result": "整改结果"}  # what a rectification says in words


def withheld_names(members: schema.MembersFile) -> frozenset[str]:
    """The names of the members who did not consent to be published (spaces inside left out)."""
    return frozenset("".join(m.name.split()) for m in members.members if not m.consent)


@lru_cache(maxsize=256)  # asked for each rectification of a unit with the same names
def _pattern(withheld: frozenset[str]) -> re.Pattern[str] | None:
    """Any of the names, with spaces allowed between their characters (“邓 卫民” names 邓卫民), longest first."""
    names = sorted((name for name in withheld if name), key=lambda name: (-len(name), name))
    return re.compile("|".join(r"\s*".join(map(re.escape, name)) for name in names)) if names else None


def withheld_fields(rect: schema.Rectification, withheld: frozenset[str]) -> list[str]:
    """The fields of ``rect`` (of :data:`RECT_FIELDS`) that name a member in ``withheld``."""
    pattern = _pattern(withheld)
    if pattern is None:
        return []
    return [key for key in RECT_FIELDS if isinstance(value := getattr(rect, key), str) and pattern.search(value)]


def withhold(text: str, withheld: frozenset[str]) -> str:
    """``text`` with each name in ``withheld`` replaced by :data:`WITHHELD`."""
    pattern = _pattern(withheld)
    return pattern.sub(WITHHELD, text) if pattern else text


def published_unit(unit: schema.UnitFile, withheld: frozenset[str]) -> schema.UnitFile:
    """``unit.yml`` as it may be published: its party secretary (书记) withheld if a member who did not consent."""
    org = unit.party_org
    shown = withhold(org.secretary, withheld) if org else None
    if org is None or shown == org.secretary:
        return unit
    return unit.model_copy(update={"party_org": org.model_copy(update={"secretary": shown})})


def published_rect(rect: schema.Rectification, withheld: frozenset[str]) -> schema.Rectification:
    """``rect`` as it may be published: each name of a member in ``withheld`` replaced by :data:`WITHHELD`."""
    fields = withheld_fields(rect, withheld)
    if not fields:
        return rect
    pattern = _pattern(withheld)
    assert pattern is not None
    return rect.model_copy(update={key: pattern.sub(WITHHELD, getattr(rect, key)) for key in fields})
