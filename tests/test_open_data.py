"""Open data in site/data/: CSV cells read back with the csv module, JSON checked against its schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from jsonschema import Draft202012Validator

from generator.check import check
from generator.exports import KINDS, data_files
from generator.model import Site

from .conftest import ROOT


def _site(root: Path) -> Site:
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems]
    return result.site


def _rows(files: dict[str, bytes], kind: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"data/{kind}.csv"].decode("utf-8-sig"))))


def test_empty_cells_stay_empty_and_formulas_are_still_defused(project: Path) -> None:
    pledges = project / "content/units/hall/pledges.yml"
    text = pledges.read_text(encoding="utf-8")
    pledges.write_text(text.replace("text: 全年办件零差错。", "text: '=HYPERLINK(\"http://x\")'"), encoding="utf-8")
    rows = {r["id"]: r for r in _rows(data_files(_site(project)), "pledges")}
    # p2 has no member, no outcome and no completion date: those cells are empty, not "'"
    assert rows["p2"]["member"] == ""
    assert rows["p2"]["outcome"] == ""
    assert rows["p2"]["completed_on"] == ""
    # a value that a spreadsheet would run as a formula is still prefixed
    assert rows["p1"]["text"] == "'=HYPERLINK(\"http://x\")"
    assert rows["p1"]["member"] == "li-ming"


def _validators(files: dict[str, bytes]) -> dict[str, Draft202012Validator]:
    out = {}
    for kind in KINDS:
        schema = json.loads(files[f"data/schema/{kind}.schema.json"])
        Draft202012Validator.check_schema(schema)
        out[kind] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return out


def test_every_published_json_file_validates_against_its_published_schema() -> None:
    files = data_files(_site(ROOT))  # the demo: every kind of record
    validators = _validators(files)
    for kind in KINDS:
        rows = json.loads(files[f"data/{kind}.json"])
        assert rows, kind
        errors = [e.message for e in validators[kind].iter_errors(rows)]
        assert errors == [], (kind, errors[:3])


def test_a_wrong_data_file_fails_its_schema() -> None:
    files = data_files(_site(ROOT))
    validators = _validators(files)
    pledges = json.loads(files["data/pledges.json"])
    wrong = [dict(pledges[0], due="明年", stray=1), *pledges[1:]]
    messages = " ".join(e.message for e in validators["pledges"].iter_errors(wrong))
    assert "'明年' is not a 'date'" in messages
    assert "'stray' was unexpected" in messages
    units = json.loads(files["data/units.json"])
    assert list(validators["units"].iter_errors([dict(units[0], fulfilment_numerator="3")]))
    # the YAML input's schema is not what is published for the data: a content file would fail
    assert list(validators["pledges"].iter_errors({"pledges": []}))


def test_a_units_figures_say_what_they_count() -> None:
    """units.json gives a parent unit's own figures: it says so, with the pledge year and the
    satisfaction formula, so a reader does not take them for the subtree's (the unit list's)."""
    files = data_files(_site(ROOT))
    units = {row["id"]: row for row in json.loads(files["data/units.json"])}
    centre = units["qingchuan-party"]
    assert (centre["scope"], centre["year"], centre["satisfaction_formula"]) == ("本单位", 2026, "满意加基本满意")
    assert _rows(files, "units")[0]["scope"] == "本单位"
