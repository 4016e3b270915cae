"""Open data in site/data/: CSV cells read back with the csv module, JSON checked against its schema."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.check import check
from generator.exports import data_files
from generator.model import Site


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
