"""Stage 2b: every text of a loaded file, judged as it will be published.

:func:`text_problems` walks every string of a file (values of unknown fields too: a
file is checked before and apart from its schema) and reports personal data
(:mod:`generator.privacy`). A field whose description says "可用 Markdown" is read as
the site renders it.
"""

from __future__ import annotations

import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from . import privacy
from .errors import Problem, error
from .load import Loaded

FieldPath = tuple[str, ...]  # the keys from the top of a file, list positions left out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


@cache
def markdown_fields(model: type[BaseModel]) -> frozenset[FieldPath]:
    """Paths of the fields the site renders as Markdown (their description says so)."""
    found: set[FieldPath] = set()
    for name, info in model.model_fields.items():
        if "Markdown" in (info.description or ""):
            found.add((name,))
        for inner in _models_in(info.annotation):
            found |= {(name, *path) for path in markdown_fields(inner)}
    return frozenset(found)


def text_problems(loaded: Loaded, model: type[BaseModel], allowed: frozenset[str]) -> list[Problem]:
    """Personal data in any text of ``loaded``, at the line of its field."""
    markdown = markdown_fields(model)
    problems = []
    for loc, text in privacy.walk_strings(loaded.data):
        rendered = tuple(part for part in loc if isinstance(part, str)) in markdown
        for code, message in privacy.find(text, allowed, markdown=rendered):
            line, col = loaded.pos(loc)
            problems.append(error(loaded.shown, line, col, code, message))
    return problems
