"""schema.org JSON-LD for unit and member pages (GovernmentOrganization, GovernmentService, Person)."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..model import Person, Site, Unit
from ..urls import absolute, member_url, service, unit_url


def _script(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" and "<!--" must never appear inside a <script> element
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def unit_jsonld(site: Site, unit: Unit) -> Markup:
    org: dict[str, Any] = {"@type": "GovernmentOrganization", "name": unit.name, "url": unit_url(site, unit)}
    if unit.data.address:
        org["address"] = unit.data.address
    if unit.data.phone:
        org["telephone"] = unit.data.phone
    services = [
        {"@type": "GovernmentService", "name": s.name, "serviceOperator": {"@id": unit_url(site, unit)},
         "provider": unit.name, "url": absolute(site, service(unit.id, s.id))}
        for s in unit.data.services
    ]
    org["@id"] = unit_url(site, unit)
    return _script({"@context": "https://schema.org", "@graph": [org, *services]})


def member_jsonld(site: Site, unit: Unit, person: Person) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Person", "name": person.data.name,
        "jobTitle": person.data.title or person.data.post, "url": member_url(site, person),
        "worksFor": {"@type": "GovernmentOrganization", "name": unit.name, "url": unit_url(site, unit)},
    }
    return _script(data)
