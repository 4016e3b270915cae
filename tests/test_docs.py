"""Docs enforced by tests: the field reference is generated and current, every code is documented."""

from __future__ import annotations

import re

from generator.errors import CODES
from generator.fieldref import field_names, reference_markdown

from .conftest import ROOT


def test_reference_is_current() -> None:
    """docs/reference.md equals what `python build.py reference` writes now."""
    assert (ROOT / "docs/reference.md").read_text(encoding="utf-8") == reference_markdown()


def test_every_field_is_in_the_reference() -> None:
    text = reference_markdown()
    missing = [name for name in sorted(field_names()) if f"`{name}`" not in text]
    assert missing == []


def test_every_error_code_is_documented() -> None:
    text = (ROOT / "docs/errors.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"\bG\d{3}\b", text))) == sorted(CODES)


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    assert [line.strip() for line in first_block.splitlines()[1:] if line.strip()] == ["make demo", "make test"]


def test_shipped_json_schemas_are_current() -> None:
    """schema/*.json (what editors read through the yaml-language-server line) match the schema."""
    from generator.jsonschema import SCHEMAS, render

    for name, model in SCHEMAS.items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == render(model), f"run build.py schema ({name})"
