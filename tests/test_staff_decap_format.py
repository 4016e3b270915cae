"""The web editor's save format (admin/format.js) run by node on every demo file.

Decap hands the format the values it read; a file the command-line tools wrote must come
back line for line, less its comments (issue #14: saves used to rewrite 35–70 lines).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter

import pytest

from generator.staff import decap, decap_format
from generator.staff.yamlio import StaffError

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="node not installed (Debian: apt-get install nodejs)")

# Run format.js as Decap would: js-yaml and a CMS that records the registered format.
RUNNER = """
const fs = require("fs");
global.jsyaml = require(process.argv[2]);
let format; global.CMS = { registerCustomFormat: (name, ext, f) => { format = f; } };
eval(fs.readFileSync(process.argv[3], "utf8"));
const out = {};
for (const file of JSON.parse(fs.readFileSync(0, "utf8"))) {
  const data = format.fromFile(fs.readFileSync(file, "utf8"));
  out[file] = format.toFile(data, Object.keys(data));
}
console.log(JSON.stringify(out));
"""
REORDERED = {"content/units/zhengwu-center/pledges.yml"}  # the demo writes a pledge's year before its due date


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    try:
        assets = decap.fetch(ROOT)
    except StaffError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the format test: {exc}")
        pytest.skip(f"js-yaml could not be fetched from npm: {exc}")
    folder = tmp_path_factory.mktemp("format")
    (folder / "run.js").write_text(RUNNER, encoding="utf-8")
    (folder / "format.js").write_bytes(decap_format.script())
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "content/units").glob("*/*.yml"))
    done = subprocess.run(["node", str(folder / "run.js"), str(assets / "js-yaml.min.js"), str(folder / "format.js")],
                          input=json.dumps(files), capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    result: dict[str, str] = json.loads(done.stdout)
    return result


def _without_comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def test_a_file_the_tools_wrote_comes_back_less_its_comments(saved: dict[str, str]) -> None:
    assert len(saved) >= 60
    for path, text in saved.items():
        original = _without_comments((ROOT / path).read_text(encoding="utf-8"))
        assert Counter(text.splitlines()) == Counter(original), path
        if path not in REORDERED:
            assert text.splitlines() == original, path


def _first_item_keys(lines: list[str]) -> list[str]:
    items = [i for i, line in enumerate(lines) if line.startswith("  - ")]
    return [line.strip("- ").split(":")[0] for line in lines[items[0]:items[1]] if not line.lstrip().startswith("#")]


def test_keys_follow_the_schema_where_a_file_did_not(saved: dict[str, str]) -> None:
    path = "content/units/zhengwu-center/pledges.yml"
    before = _first_item_keys((ROOT / path).read_text(encoding="utf-8").splitlines())
    after = _first_item_keys(saved[path].splitlines())
    assert before.index("year") < before.index("due") and after.index("year") > after.index("due")  # made, due, year
