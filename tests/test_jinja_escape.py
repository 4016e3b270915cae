"""The faster escape prints what markupsafe's does, and the pages' and boards' templates use it."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import markupsafe
import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError
from markupsafe import Markup

from generator import jinja_escape


class Html:
    def __html__(self) -> str:
        return "<b>已是 HTML</b>"


class OwnMarkup(Markup):
    def __html__(self) -> str:  # a subclass may say something else: it is asked
        return Markup("<i>自定义</i>")


class Text(str):
    pass


class Shown:
    def __str__(self) -> str:
        return "<值 & \"引号\">"


VALUES = [
    "", "李明 <script>alert('x')</script> & \"引号\"", "\x00\ud800", "周一至周五 8:30–17:00",
    Markup("<a href=\"x\">已转义 &amp;</a>"), Markup(""), OwnMarkup("原文"), Text("<子类>"), Html(),
    0, 3.5, -7, True, None, ["<列表>"], {"键": "<值>"}, dt.date(2026, 12, 2), Fraction(1, 3), Shown(),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_same_result_as_markupsafe(value: object) -> None:
    ours, theirs = jinja_escape.escape(value), markupsafe.escape(value)
    assert type(ours) is Markup
    assert ours == theirs


def test_markup_comes_back_as_it_is() -> None:
    text = Markup("<p>一条承诺</p>")
    assert jinja_escape.escape(text) is text  # no copy: the point of the change


def test_templates_escape_with_it_and_print_the_same() -> None:
    jinja_escape.install()
    env = Environment(autoescape=True, undefined=StrictUndefined)
    template = env.from_string("{% macro m() %}<em>{{ a }}</em>{% endmacro %}{{ a }}|{{ b }}|{{ c }}|{{ m() }}")
    assert template.root_render_func.__globals__["escape"] is jinja_escape.escape
    assert template.render(a="<李>", b=Markup("<b>粗</b>"), c=Html()) == \
        "&lt;李&gt;|<b>粗</b>|<b>已是 HTML</b>|<em>&lt;李&gt;</em>"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()


def test_site_and_board_templates_use_it() -> None:
    from generator.boards.render import environment as board_environment
    from generator.web.render import environment as page_environment

    for env, name in ((page_environment(), "gongshi/ledger.html"), (board_environment(), "tent.html")):
        assert env.get_template(name).root_render_func.__globals__["escape"] is jinja_escape.escape
