"""Version stamps: a short hash of what a board or page shows.

A stamp covers what a board prints (not a pledge's status or outcome, which change
while the printed text stays true). A printed board carries its stamp and its QR code points to the live page with
``?v=<stamp>``; the page compares it with the current stamp and tells the reader
whether the board in their hand is still current. Stamps depend only on published
content, not on the build date, so reprinting unchanged content keeps the stamp.
"""

from __future__ import annotations

import hashlib

from .model import Person, Site, Unit


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()[:8]


# What a board prints of a pledge: its status, outcome and timeline change without reprinting.
PRINTED_PLEDGE = {"id", "member", "kind", "form", "topic", "text", "target", "due", "year", "made"}


def _pledges(unit: Unit, member_id: str | None) -> list[str]:
    """Pledges as JSON text from pydantic's serializer (field order is fixed, so the text is)."""
    return [p.data.model_dump_json(include=PRINTED_PLEDGE) for p in unit.pledges_of(member_id)
            if p.published and p.data.status != "已撤回"]


def _member_parts(unit: Unit, person: Person) -> list[str]:
    return [person.data.model_dump_json(), *_pledges(unit, person.id)]


def unit_stamp(site: Site, unit: Unit) -> str:
    """Stamp of a unit's boards: its standards, public members and public pledges."""
    members = [part for m in unit.public_members for part in ("member", *_member_parts(unit, m))]
    return _digest(unit.data.model_dump_json(), *members, "org", *_pledges(unit, None), site.config.supervision_phone)


def member_stamp(site: Site, unit: Unit, person: Person) -> str:
    """Stamp of a member's tent, card and pledge sheet."""
    return _digest(*_member_parts(unit, person), unit.name)


def unit_url(site: Site, unit: Unit) -> str:
    return f"{site.config.site.base_url}units/{unit.id}/"


def member_url(site: Site, person: Person) -> str:
    return f"{site.config.site.base_url}units/{person.unit_id}/members/{person.id}/"


def with_stamp(url: str, stamp: str) -> str:
    return f"{url}?v={stamp}"
