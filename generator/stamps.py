"""Version stamps: a short hash of what a board or page shows.

A printed board carries its stamp and its QR code points to the live page with
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


def _member_payload(unit: Unit, person: Person) -> dict[str, Any]:
    return {
        "member": person.data.model_dump(mode="json"),
        "pledges": [p.data.model_dump(mode="json") for p in unit.pledges_of(person.id) if p.published],
    }


def unit_stamp(site: Site, unit: Unit) -> str:
    """Stamp of a unit's boards: its standards, public members and public pledges."""
    return _digest({
        "unit": unit.data.model_dump(mode="json"),
        "members": [_member_payload(unit, m) for m in unit.public_members],
        "org_pledges": [p.data.model_dump(mode="json") for p in unit.pledges_of(None) if p.published],
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
