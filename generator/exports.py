"""Open data: JSON and CSV of every published entity, the JSON Schemas, an Atom feed.

Only what the site publishes is exported: public members (consent), published
pledges, and the fields meant to be public (see DOMAIN.md, Personal data).
Output is deterministic: sorted keys, fixed order, dates from the model.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape

from .figures import unit_figures
from .jsonschema import SCHEMAS, render
from .model import Person, Site
from .stamps import member_url, unit_url


def _member(site: Site, person: Person) -> dict[str, Any]:
    data = person.data.model_dump(mode="json", exclude={"consent", "photo"})
    if not site.config.publish.member_phone:
        data.pop("work_phone", None)
    if not site.config.publish.member_card_no:
        data.pop("card_no", None)
    return {"unit": person.unit_id, "url": member_url(site, person), **data}


def records(site: Site) -> dict[str, list[dict[str, Any]]]:
    """Every published entity, by kind."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "units", "services", "members", "pledges", "surveys", "comments", "rectifications", "awards", "grading")}
    for unit in site.units.values():
        fig = unit_figures(site, unit.id)
        profile = unit.data.model_dump(mode="json", exclude={"services", "maintainers"})
        out["units"].append({"id": unit.id, "url": unit_url(site, unit), **profile,
                             "fulfilment_rate": fig.fulfilment.value, "satisfaction_rate": fig.satisfaction.value,
                             "period": site.period.id, "as_of": site.as_of.isoformat()})
        out["services"] += [{"unit": unit.id, **s.model_dump(mode="json")} for s in unit.data.services]
        out["members"] += [_member(site, m) for m in unit.public_members]
        out["pledges"] += [{"unit": unit.id, "overdue": p.overdue, **p.data.model_dump(mode="json")}
                           for p in unit.pledges if p.published]
        out["surveys"] += [{"unit": unit.id, **s.model_dump(mode="json")} for s in unit.surveys_of(None)]
        out["comments"] += [{"unit": unit.id, **c.model_dump(mode="json")} for c in unit.evaluations.comments
                            if c.member is None or (unit.member(c.member) and unit.member(c.member).published)]  # type: ignore[union-attr]
        out["rectifications"] += [{"unit": unit.id, "overdue": r.overdue, **r.data.model_dump(mode="json")}
                                  for r in unit.rectifications]
        public = {m.id for m in unit.public_members}
        out["awards"] += [{"unit": unit.id, **a.model_dump(mode="json")} for a in unit.compare.awards
                          if a.member is None or a.member in public]
        out["grading"] += [{"unit": unit.id, **g.model_dump(mode="json")} for g in unit.grading.grading]
    return out


def _cell(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        # a leading = + - @ would run as a formula in a spreadsheet: prefix it
        writer.writerow(["'" + c if c[:1] in "=+-@" else c for c in (_cell(row.get(k)) for k in columns)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM so Excel reads UTF-8


def data_files(site: Site) -> dict[str, bytes]:
    """``data/*.json``, ``data/*.csv`` and ``data/schema/*.json``."""
    files: dict[str, bytes] = {}
    everything = records(site)
    for kind, rows in everything.items():
        # one record a line: diffable, and without indent= the json module uses its C encoder
        lines = ",\n".join(json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for row in rows)
        files[f"data/{kind}.json"] = f"[\n{lines}\n]\n".encode()
        files[f"data/{kind}.csv"] = to_csv(rows)
    for name, model in SCHEMAS.items():
        files[f"data/schema/{name}"] = render(model).encode()
    return files


def atom_feed(site: Site) -> bytes:
    """New and fulfilled pledges and new leader comments, newest first (at most 50)."""
    base = site.config.site.base_url
    entries: list[tuple[str, str, str, str]] = []  # date, id, title, link
    for unit in site.units.values():
        for p in unit.pledges:
            if not p.published:
                continue
            who = p.owner.data.name if p.owner else unit.short_name
            entries.append((p.data.made.isoformat(), f"{unit.id}/{p.id}/made", f"{who} 作出承诺：{p.data.text[:60]}",
                            f"{unit_url(site, unit)}#pledge-{p.id}"))
            if p.data.outcome == "已兑现" and p.data.completed_on:
                entries.append((p.data.completed_on.isoformat(), f"{unit.id}/{p.id}/kept",
                                f"{who} 兑现承诺：{p.data.text[:60]}", f"{unit_url(site, unit)}#pledge-{p.id}"))
        for c in unit.comments_on(None):
            entries.append((c.date.isoformat(), f"{unit.id}/{c.id}", f"{c.leader}{c.kind}{unit.short_name}",
                            f"{unit_url(site, unit)}#comments"))
    entries = [e for e in entries if e[0] <= site.as_of.isoformat()]
    entries.sort(reverse=True)
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"<title>{escape(site.config.site.name)}</title>", f"<id>{escape(base)}</id>",
             f'<link href="{escape(base)}"/>', f'<link rel="self" href="{escape(base)}feed.xml"/>',
             f"<updated>{site.as_of.isoformat()}T00:00:00+08:00</updated>",
             f"<author><name>{escape(site.config.site.owner)}</name></author>"]
    for date, entry_id, title, link in entries[:50]:
        lines += ["<entry>", f"<title>{escape(title)}</title>", f"<id>{escape(base)}#{escape(entry_id)}</id>",
                  f'<link href="{escape(link)}"/>', f"<updated>{date}T00:00:00+08:00</updated>", "</entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
