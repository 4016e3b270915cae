"""The template contract (generator/web/contexts.py), as Datasette's tests/test_template_context.py:
each page template reads only the fields its context class declares, every field is read by
its template or documented as read elsewhere, and every field says what it holds."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

from generator.check import check
from generator.web import contexts, plan_site, trendview, unitcontexts
from generator.web.contexts import TEMPLATES

from .conftest import MINIMAL, ROOT

THEME = ROOT / "themes" / "site"
PAGES = sorted(name for name, page in TEMPLATES.items() if page.context is not None)


def _tree(template: str) -> nodes.Template:
    return Environment().parse((THEME / template).read_text(encoding="utf-8"))


def read_from_g(template: str) -> set[str]:
    """Every ``g.<field>`` the template reads."""
    tree = _tree(template)
    bare = [n for n in tree.find_all(nodes.Name) if n.name == "g"]
    fields = {n.attr for n in tree.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "g"}
    # ``g`` handed on whole (to a macro, a loop) would hide what is read: every use is g.<field>
    assert len(bare) == sum(1 for n in tree.find_all(nodes.Getattr)
                            if isinstance(n.node, nodes.Name) and n.node.name == "g"), f"{template} hands g on whole"
    return fields


def test_every_template_has_an_entry() -> None:
    assert sorted(TEMPLATES) == sorted(f"gongshi/{p.name}" for p in (THEME / "gongshi").glob("*.html"))


@pytest.mark.parametrize("template", sorted(n for n, p in TEMPLATES.items() if p.context is None))
def test_a_template_that_is_no_page_reads_no_g(template: str) -> None:
    assert read_from_g(template) == set()


@pytest.mark.parametrize("template", PAGES)
def test_the_template_reads_only_declared_fields(template: str) -> None:
    context = TEMPLATES[template].context
    assert context is not None
    declared = {f.name for f in dataclasses.fields(context)}
    assert read_from_g(template) - declared == set(), f"{template} reads fields {context.__name__} does not declare"


@pytest.mark.parametrize("template", PAGES)
def test_every_field_is_read(template: str) -> None:
    page = TEMPLATES[template]
    assert page.context is not None
    elsewhere = {entry.partition(":")[0] for entry in page.read_elsewhere}
    unread = {f.name for f in dataclasses.fields(page.context)} - read_from_g(template) - elsewhere
    assert unread == set(), f"fields of {page.context.__name__} no one reads: remove them, or say who reads them"


@pytest.mark.parametrize("template", PAGES)
def test_the_template_names_its_context(template: str) -> None:
    context = TEMPLATES[template].context
    assert context is not None
    first_comment = re.match(r"\{#-?(.*?)-?#\}", (THEME / template).read_text(encoding="utf-8"), re.S)
    assert first_comment and f"Context: {context.__name__}" in first_comment.group(1)


def _dataclasses() -> list[type]:
    return [c for module in (contexts, unitcontexts, trendview) for _, c in inspect.getmembers(module, inspect.isclass)
            if dataclasses.is_dataclass(c) and c.__module__ == module.__name__]


def field_docstrings(cls: type) -> dict[str, str]:
    """Field name -> the string literal right under it in the class body."""
    body = ast.parse(inspect.getsource(cls)).body[0]
    assert isinstance(body, ast.ClassDef)
    docs = {}
    for stmt, after in zip(body.body, [*body.body[1:], None], strict=True):
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            is_doc = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
            docs[stmt.target.id] = after.value.value if is_doc else ""  # type: ignore[union-attr]
    return docs


@pytest.mark.parametrize("cls", _dataclasses(), ids=lambda c: c.__name__)
def test_each_context_is_frozen_and_each_field_documented(cls: type) -> None:
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "(")  # its own docstring, not the generated one
    docs = field_docstrings(cls)
    assert set(docs) == {f.name for f in dataclasses.fields(cls)}
    assert [name for name, doc in docs.items() if not doc.strip()] == []


def test_every_page_is_given_its_documented_context() -> None:
    site = check(MINIMAL).site
    assert site is not None
    seen = set()
    for page in plan_site(site).pages:
        expected = TEMPLATES[page.template].context
        assert expected is not None and isinstance(page.context, expected), page.path
        seen.add(page.template)
    assert seen == set(PAGES) - {"gongshi/gone.html"}  # the minimal project retires no one


def test_a_read_field_that_is_not_declared_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The contract test can fail: a template reading ``g.nope`` is caught."""
    (tmp_path / "gongshi").mkdir()
    (tmp_path / "gongshi" / "doc.html").write_text("{#- Context: DocContext. -#}{{ g.body }}{{ g.nope }}")
    monkeypatch.setitem(globals(), "THEME", tmp_path)
    with pytest.raises(AssertionError, match="does not declare"):
        test_the_template_reads_only_declared_fields("gongshi/doc.html")


def test_the_trend_macro_reads_exactly_the_trend_view() -> None:
    """TrendView is read by the macro ``trend(t)`` of macros.html, on whichever page has one."""
    macro = next(m for m in _tree("gongshi/macros.html").find_all(nodes.Macro) if m.name == "trend")
    read = {n.attr for n in macro.find_all(nodes.Getattr) if isinstance(n.node, nodes.Name) and n.node.name == "t"}
    assert read == {f.name for f in dataclasses.fields(trendview.TrendView)}
