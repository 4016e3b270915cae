"""Open data: JSON and CSV of every published entity, their JSON Schemas, an Atom feed.

Only what the site publishes is exported: public members (consent), published
pledges, and the fields meant to be public (see DOMAIN.md, Personal data).
Output is deterministic: sorted keys, fixed order, dates from the model. The rows
are declared in :mod:`generator.datarows`, which gives the published schemas.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from . import urls
from .datarows import ROWS, schema_files
from .figures import Figures, unit_figures
from .model import Person, Site, Unit
from .urls import member_url, unit_url


def _member(site: Site, person: Person) -> dict[str, Any]:
    data = person.data.model_dump(mode="json", exclude={"consent", "photo"})
    if not site.config.publish.member_phone:
        data.pop("work_phone", None)
    if not site.config.publish.member_card_no:
        data.pop("card_no", None)
    return {"unit": person.unit_id, "url": member_url(site, person), **data}


KINDS = tuple(ROWS)  # units, services, members, ..., grading, reviews, contests, conduct, stars, red_flags


def _unit_figures(site: Site, fig: Figures) -> dict[str, Any]:
    """The figures of a unit's row: exact counts beside each ratio (see datarows.UNIT_FIGURES)."""
    return {
        "period": site.period.id, "as_of": site.as_of.isoformat(),
        "pledges_made": fig.pledges, "pledges_due": fig.due, "pledges_not_due": fig.not_due,
        "pledges_kept": fig.kept, "fulfilment_base": site.config.figures.fulfilment_base,
        "fulfilment_numerator": fig.fulfilment.numerator, "fulfilment_denominator": fig.fulfilment.denominator,
        "fulfilment_rate": fig.fulfilment.value,
        "satisfaction_numerator": fig.satisfaction.numerator,
        "satisfaction_denominator": fig.satisfaction.denominator, "satisfaction_rate": fig.satisfaction.value,
        "year": fig.year, "satisfaction_formula": site.config.satisfaction.formula, "scope": "本单位",
    }


def unit_records(site: Site, unit: Unit) -> dict[str, list[dict[str, Any]]]:
    """One unit's published entities, by kind."""
    profile = unit.data.model_dump(mode="json", exclude={"services"})
    public = {m.id for m in unit.public_members}
    return {
        "units": [{"id": unit.id, "url": unit_url(site, unit), **profile,
                   **_unit_figures(site, unit_figures(site, unit.id))}],
        "services": [{"unit": unit.id, **s.model_dump(mode="json")} for s in unit.data.services],
        "members": [_member(site, m) for m in unit.public_members],
        "pledges": [{"unit": unit.id, "overdue": p.overdue, **p.data.model_dump(mode="json")}
                    for p in unit.pledges if p.published],
        "surveys": [{"unit": unit.id, **s.model_dump(mode="json")} for s in unit.surveys_of(None)],
        "comments": [{"unit": unit.id, **c.model_dump(mode="json")} for c in unit.evaluations.comments
                     if c.member is None or c.member in public],
        "rectifications": [{"unit": unit.id, "overdue": r.overdue, **r.data.model_dump(mode="json")}
                           for r in unit.rectifications],
        "awards": [{"unit": unit.id, **a.model_dump(mode="json")} for a in unit.compare.awards
                   if a.member is None or a.member in public],
        "grading": [{"unit": unit.id, **g.model_dump(mode="json")} for g in unit.grading.grading],
        **_compare_records(site, unit, public),
    }


def _compare_records(site: Site, unit: Unit, public: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Reviews, contests, conduct, stars and red flags; a results or review row of an unpublished member is left out."""
    contests = []
    for c in unit.compare.contests:
        row = c.model_dump(mode="json")
        row["results"] = [r.model_dump(mode="json") for r in c.results if r.member is None or r.member in public]
        contests.append({"unit": unit.id, **row})
    reviews = unit.evaluations.reviews if site.config.publish.reviews else []
    return {
        "reviews": [{"unit": unit.id, **r.model_dump(mode="json")} for r in reviews if r.member in public],
        "contests": contests,
        "conduct": [{"unit": unit.id, **c.model_dump(mode="json")} for c in unit.compare.conduct],
        "stars": [{"unit": unit.id, **s.model_dump(mode="json")} for s in unit.compare.stars],
        "red_flags": [{"unit": unit.id, "month": m} for m in sorted(unit.compare.red_flags)],
    }


def records(site: Site) -> dict[str, list[dict[str, Any]]]:
    """Every published entity, by kind."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for unit in site.units.values():
        for kind, rows in unit_records(site, unit).items():
            out[kind] += rows
    return out


def _cell(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


FORMULA_STARTS = ("=", "+", "-", "@")


def _defused(cell: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet: prefix it with '.

    Empty cells stay empty: ``"" in "=+-@"`` is true in Python, which once turned every
    empty cell into ``'``; ``str.startswith`` with a tuple is false for "".
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _json_line(row: dict[str, Any]) -> str:
    # one record a line: diffable, and without indent= the json module uses its C encoder
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _csv_lines(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_defused(_cell(row.get(k))) for k in columns])
    return buffer.getvalue()


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    return columns


def _csv_file(columns: list[str], body: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(columns)
    return ("\ufeff" + buffer.getvalue() + body).encode("utf-8")  # BOM so Excel reads UTF-8


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    columns = _columns(rows)
    return _csv_file(columns, _csv_lines(rows, columns))


# One unit's part of each file: its columns, its JSON records joined by ",\n" and its CSV lines,
# both encoded (empty without rows). Kept as bytes, a cached part is read back without decoding
# 300,000 strings: at 2,000 units that took 1.1 s of each edit's build (py-spy).
Fragment = dict[str, tuple[list[str], bytes, bytes]]


def unit_fragment(site: Site, unit: Unit) -> Fragment:
    out: Fragment = {}
    for kind, rows in unit_records(site, unit).items():
        columns = _columns(rows)
        out[kind] = (columns, ",\n".join(_json_line(row) for row in rows).encode(),
                     _csv_lines(rows, columns).encode())
    return out


def data_files(site: Site, fragment: Callable[[Unit], Fragment] | None = None) -> dict[str, bytes]:
    """``data/*.json``, ``data/*.csv`` and ``data/schema/*.json``.

    Each file is joined from the units' fragments; ``fragment`` may hand them from a cache
    (the site build keeps them by each unit's own key, so an edit re-encodes one unit).
    """
    fragments = [(fragment or (lambda u: unit_fragment(site, u)))(unit) for unit in site.units.values()]
    files: dict[str, bytes] = {}
    for kind in KINDS:
        headers, json_parts, csv_parts = [], [], []
        for f in fragments:  # encoded unit by unit, each unit's part let go at once: joined as one
            columns, json_part, csv_part = f.pop(kind)  # string, the open data of 2,000 units took 500 MB
            if json_part:
                headers.append(columns)
                json_parts.append(json_part)
                csv_parts.append(csv_part)
        files[urls.data_file(f"{kind}.json")] = b"[\n" + b",\n".join(json_parts) + b"\n]\n"
        del json_parts
        if all(columns == headers[0] for columns in headers):
            files[urls.data_file(f"{kind}.csv")] = _csv_file(headers[0] if headers else [], "") + b"".join(csv_parts)
        else:  # units differ in columns: the file has their union
            files[urls.data_file(f"{kind}.csv")] = to_csv([row for u in site.units.values() for row in unit_records(site, u)[kind]])
    files |= schema_files()
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
                            urls.absolute(site, urls.pledge(unit.id, p.id))))
            if p.data.outcome == "已兑现" and p.data.completed_on:
                entries.append((p.data.completed_on.isoformat(), f"{unit.id}/{p.id}/kept",
                                f"{who} 兑现承诺：{p.data.text[:60]}", urls.absolute(site, urls.pledge(unit.id, p.id))))
        for c in unit.comments_on(None):
            entries.append((c.date.isoformat(), f"{unit.id}/{c.id}", f"{c.leader}{c.kind}{unit.short_name}",
                            urls.absolute(site, urls.unit(unit.id, "#comments"))))
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
