"""Where each recorded field is published, and the few that never are, with the reason.

The organising office needs everything staff record to be visible somewhere (issue #16):
a field that the schema accepts but no page, board or data file shows is work done for
nothing, and a reader cannot check it. Every field of every content file reaches at
least the open-data files (:mod:`generator.datarows`), whose rows carry the content
objects whole; :data:`NEVER_PUBLISHED` lists the exceptions in one place.
:func:`unpublished` walks the schema and names any field that reaches neither, so a
new field cannot be added without deciding where it is published.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import BaseModel

from . import schema
from .datarows import CARRIED, ROWS, SOURCES

NEVER_PUBLISHED: dict[str, str] = {
    "Member.consent": "本人是否同意公开：决定是否发布，本身不是公示内容",
    "Member.photo": "照片源文件路径；发布的是去掉元数据、重新编码的照片，不是文件名",
}


def _models(annotation: object) -> Iterator[type[BaseModel]]:
    """The content classes inside a field's type (``list[Pledge]``, ``Indicators | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def fields(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> Iterator[tuple[str, object]]:
    """Every field reachable from ``model``: ``("Pledge.timeline", annotation)``, depth first."""
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        yield f"{model.__name__}.{name}", info.annotation
        for inner in _models(info.annotation):
            yield from fields(inner, seen)


def _in_data() -> set[str]:
    """Fields that some data file carries: the row fields of each source, nested classes whole."""
    carried = set(CARRIED.values())
    for kind, source in SOURCES.items():
        row = ROWS[kind].model_fields
        for name, info in source.model_fields.items():
            if name in row:
                carried.add(f"{source.__name__}.{name}")
                for inner in _models(info.annotation):
                    carried |= {path for path, _ in fields(inner)}
            elif any(m in SOURCES.values() for m in _models(info.annotation)):
                carried.add(f"{source.__name__}.{name}")  # a list published as its own file
    return carried


def _file_fields() -> Iterator[tuple[str, object]]:
    seen: set[type[BaseModel]] = set()
    for model in schema.UNIT_FILES.values():
        yield from fields(model, seen)


def unpublished() -> list[str]:
    """Content fields that reach no data file and are not declared never published."""
    carried = _in_data()
    out = []
    for path, annotation in _file_fields():
        if path in carried or path in NEVER_PUBLISHED:
            continue
        if any(m in SOURCES.values() for m in _models(annotation)):  # e.g. PledgesFile.pledges
            continue
        out.append(path)
    return out
