"""Version stamps: a short hash of what a board or page shows.

A stamp covers what a board prints (not a pledge's status or outcome, which change
while the printed text stays true). A printed board carries its stamp and its QR code points to the live page with
``?v=<stamp>``; the page compares it with the current stamp and tells the reader
whether the board in their hand is still current. Stamps depend only on published
content, not on the build date, so reprinting unchanged content keeps the stamp.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import Person, Site, Unit


def _digest(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


# What a board prints of a pledge: its status, outcome and timeline change without reprinting.
PRINTED_PLEDGE = {"id", "member", "kind", "form", "topic", "text", "target", "due", "year", "made"}


def _pledges(unit: Unit, member_id: str | None) -> list[dict[str, Any]]:
    return [p.data.model_dump(mode="json", include=PRINTED_PLEDGE) for p in unit.pledges_of(member_id)
            if p.published and p.data.status != "已撤回"]


def _member_payload(unit: Unit, person: Person) -> dict[str, Any]:
    return {"member": person.data.model_dump(mode="json"), "pledges": _pledges(unit, person.id)}


def unit_stamp(site: Site, unit: Unit) -> str:
    """Stamp of a unit's boards: its standards, public members and public pledges."""
    return _digest({
        "unit": unit.data.model_dump(mode="json"),
        "members": [_member_payload(unit, m) for m in unit.public_members],
        "org_pledges": _pledges(unit, None),
        "phone": site.config.supervision_phone,
    })


def member_stamp(site: Site, unit: Unit, person: Person) -> str:
    """Stamp of a member's tent, card and pledge sheet."""
    return _digest({**_member_payload(unit, person), "unit": unit.name})


def unit_url(site: Site, unit: Unit) -> str:
    return f"{site.config.site.base_url}units/{unit.id}/"


def member_url(site: Site, person: Person) -> str:
    return f"{site.config.site.base_url}units/{person.unit_id}/members/{person.id}/"


def with_stamp(url: str, stamp: str) -> str:
    return f"{url}?v={stamp}"
