"""Every XML and JSON file a site build writes parses with a real parser.

Content may hold tabs, line breaks, carriage returns, markup characters and any printable
character; it may not hold control characters or noncharacters (check refuses them, G210),
which no XML parser accepts. Built for real, from the demo and from a project whose texts
carry every allowed awkward character.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.check import check
from generator.sitebuild import build_site

from .conftest import MINIMAL, ROOT

# Allowed in content, awkward in XML and JSON: tab, CR, LF, markup, quotes, CDATA end, line and
# paragraph separators, BOM and bidi marks, the replacement character, an emoji, a private-use one.
AWKWARD = "甲\t乙\r\n丙 <b>&amp; \"引号\" 'x' ]]> \u2028\u2029\ufeff\u200f\ufffd😀\ue000 \\ 尾"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar that spells every non-ASCII or control character as an escape."""
    def one(ch: str) -> str:
        if ch in '"\\':
            return "\\" + ch
        if 0x20 <= ord(ch) < 0x7F:
            return ch
        return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
    return '"' + "".join(one(ch) for ch in text) + '"'


def _awkward_project(root: Path) -> Path:
    shutil.copytree(MINIMAL, root)
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "name: 测试县公示平台", f"name: {_quoted('公示' + AWKWARD)}").replace(
        "owner: 测试县委组织部", f"owner: {_quoted('组织部' + AWKWARD)}"), encoding="utf-8")
    pledges = root / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace(
        "text: 全年办件零差错。", f"text: {_quoted('零差错' + AWKWARD)}"), encoding="utf-8")
    unit = root / "content/units/hall/unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace(
        "short_name: 办税厅", f"short_name: {_quoted('办税厅' + AWKWARD)}")
        + f"description: {_quoted(AWKWARD)}\n", encoding="utf-8")
    members = root / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace(
        "post: 综合服务窗口", f"post: {_quoted('窗口' + AWKWARD)}"), encoding="utf-8")
    return root


def _parse_every_output(site: Path) -> int:
    """Parse each XML and JSON file and each JSON-LD block; return how many were parsed."""
    parsed = 0
    for path in sorted(site.rglob("*.xml")):
        ET.parse(path)
        parsed += 1
    for path in sorted(site.rglob("*.xml.gz")):
        ET.fromstring(gzip.decompress(path.read_bytes()))
        parsed += 1
    for path in sorted(site.rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))
        parsed += 1
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            json.loads(block)
            parsed += 1
    return parsed


@pytest.mark.parametrize("source", ["demo", "awkward"])
def test_every_xml_and_json_output_parses(source: str, tmp_path: Path) -> None:
    root = ROOT if source == "demo" else _awkward_project(tmp_path / "project")
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems]
    build_site(result.site, tmp_path / "site")
    site = tmp_path / "site"
    for required in ("feed.xml", "sitemap.xml", "data/pledges.json", "data/members.json"):
        assert (site / required).is_file(), required
    assert _parse_every_output(site) > 20
    if source == "awkward":
        feed = ET.parse(site / "feed.xml").getroot()
        ns = {"a": "http://www.w3.org/2005/Atom"}
        assert feed.findtext("a:title", namespaces=ns) == "公示" + AWKWARD.replace("\r\n", "\n")
        pledges = json.loads((site / "data/pledges.json").read_text(encoding="utf-8"))
        assert "零差错" + AWKWARD in [p["text"] for p in pledges]
