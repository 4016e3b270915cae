"""Names of members who did not consent, in the fields that name a person.

A member whose ``consent`` is not true is left off the site and the boards (G404 says so).
A rectification names its responsible leader and person (整改“四明确”) as free text, and
staff often write there the name of a member of the unit: that member's name would then be
published in the ledgers, the unit page and the open data after all. The model puts
:data:`WITHHELD` in its place, so every page, ledger, download and board shows the same,
and ``check`` warns (G406). Only the unit's own members are compared (a unit's model and
warnings depend on its own files alone: see generator/warncache.py).
"""

from __future__ import annotations

from . import schema

WITHHELD = "（未公开）"
RECT_FIELDS = {"leader": "责任领导", "person": "责任人"}  # the fields of a rectification that name a person


def _bare(name: str) -> str:
    return "".join(name.split())  # "邓 卫民" names 邓卫民 too


def withheld_names(members: schema.MembersFile) -> frozenset[str]:
    """The names of the members who did not consent to be published."""
    return frozenset(_bare(m.name) for m in members.members if not m.consent)


def withheld_fields(rect: schema.Rectification, withheld: frozenset[str]) -> list[str]:
    """The fields of ``rect`` (of :data:`RECT_FIELDS`) that name a member in ``withheld``."""
    return [key for key in RECT_FIELDS if _bare(getattr(rect, key)) in withheld]


def published_rect(rect: schema.Rectification, withheld: frozenset[str]) -> schema.Rectification:
    """``rect`` as it may be published: each name of a member in ``withheld`` replaced by :data:`WITHHELD`."""
    fields = withheld_fields(rect, withheld)
    return rect.model_copy(update=dict.fromkeys(fields, WITHHELD)) if fields else rect
