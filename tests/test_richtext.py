"""Markdown fields: rendered safely, and in bounded time whatever their shape."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from generator.richtext import excess, render_markdown

from .conftest import ROOT

# Shapes that python-markdown renders in time growing with the square of their length (or that
# overflow its recursion): measured 3 s for 4,000 "[", 4 s for 1,000 deepening quote lines.
PATHOLOGICAL = {
    "brackets": "[" * 100_000,
    "images": "![" * 50_000,
    "links": "[a](" * 25_000,
    "autolinks": "<http://" * 12_000,
    "nested lists": "".join("    " * i + "- x\n" for i in range(2_000)),
    "inline lists": "- " * 50_000 + "x",
    "ordered inline lists": "1. " * 30_000 + "x",
    "deepening quotes": "".join(">" * i + " x\n" for i in range(1_000)),
    "quote run": ">" * 100_000,
    "setext headings": "a\n=\n" * 25_000,
    "rules": "---\n" * 25_000,
    "emphasis": "*a" * 50_000,
    "angles": "<" * 100_000,
    "brackets at the limit": "[" * 50 + "a" * 9_950,
}


def test_every_pathological_shape_renders_in_bounded_time() -> None:
    """In a child process with a generous limit: a regression fails here instead of hanging."""
    script = ("import sys, json\nfrom generator.richtext import render_markdown\n"
              "for text in json.load(sys.stdin).values():\n    render_markdown(text)\nprint('done')\n")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(PATHOLOGICAL), capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "done", done.stderr[-2000:]


@pytest.mark.parametrize("name", [n for n in PATHOLOGICAL if n != "brackets at the limit"])
def test_over_the_limits_is_refused_and_shown_as_plain_text(name: str) -> None:
    text = PATHOLOGICAL[name][:30_000]
    assert excess(text) is not None
    html = str(render_markdown(text))
    assert "<a " not in html and "<li>" not in html and "<blockquote>" not in html and "<h" not in html
    assert html.startswith("<p>")


def test_plain_text_fallback_escapes_and_keeps_lines() -> None:
    html = str(render_markdown("[" * 60 + "\n<script>alert(1)</script>\n\n第二段 & 结束"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<p>") == 2 and "<br>" in html and "&amp; 结束" in html


@pytest.mark.parametrize("text", [
    "**办理时限**：3 个工作日\n\n- 材料一\n- 材料二\n    - 复印件",
    "> 首问负责\n> > 转办时说明原因",
    "[政务网](https://example.org/) 与 <https://example.org/b>",
    "第一行\n" * 500,
    "字" * 10_000,
])
def test_ordinary_markdown_is_within_the_limits(text: str) -> None:
    assert excess(text) is None


def test_the_fields_the_site_renders_as_markdown_are_the_ones_check_reads_rendered() -> None:
    """check finds Markdown fields by their description ("可用 Markdown"); the site renders these two."""
    from generator.schema import UNIT_FILES
    from generator.settings import SiteConfig
    from generator.textcheck import markdown_fields

    found = {name: markdown_fields(model) for name, model in UNIT_FILES.items()}
    assert found["unit.yml"] == {("description",), ("regimes", "text")}
    assert all(not paths for name, paths in found.items() if name != "unit.yml")
    assert markdown_fields(SiteConfig) == frozenset()


def test_one_text_does_not_leak_into_the_next() -> None:
    """The converter is reused: a reference defined in one unit's rules links nothing in another's."""
    defines = "制度见[办事指南][g]。\n\n[g]: https://example.cn/guide"
    uses = "另见[办事指南][g]，以及 <b>粗体</b>。"
    assert 'href="https://example.cn/guide"' in render_markdown(defines)
    after = render_markdown(uses)
    assert "href" not in after and "[办事指南][g]" in after
    assert render_markdown(uses) == after  # the same text, the same HTML, whatever came before
