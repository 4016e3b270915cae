"""Boxes laid out once and drawn twice: the two faces of a desk tent.

A tent prints the same face twice, the top one turned 180° so that both read upright
when the sheet is folded. Laying the face out twice cost about a third of a tent. In the
copy WeasyPrint lays out (``print_parts``), the tent template leaves the bottom face empty
and marks it ``data-drawn-as="face top"``: the classes of the box whose content it shows.
(The top face is the one laid out: while a tent is fitted, a face too full runs over into
the sheet below it, where the bottom face would be cut at the sheet's edge and so measured
too short.) :func:`fill_copies` then gives the empty box a copy of that box's laid-out
content, moved to its place, as soon as the page is laid out (before WeasyPrint places
backgrounds and gathers links); each box keeps its own style, so the top face is still
drawn turned (its ``transform``) and the copy upright, as if both had been laid out.
Both faces have the same width and style and nothing in them depends on where the face
sits on the sheet, so the copy is where a second layout would have put it.

The HTML saved next to the PDF, and the stamp computed from it, keep both faces in full.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.metadata import version
from typing import Any

from .engine import CHECKED

MARK = "data-drawn-as"  # on an empty box: the classes of the box whose laid-out content it shows


@cache
def supported() -> bool:
    """This is a WeasyPrint whose layout :func:`copies_drawn` was checked against, with the step it
    hooks into (then templates may leave marked boxes empty); with any other, faces are laid out
    twice."""
    import weasyprint.layout

    return (version("weasyprint").startswith(CHECKED)
            and callable(getattr(weasyprint.layout, "layout_backgrounds", None)))


@contextmanager
def copies_drawn() -> Iterator[None]:
    """Inside the block, WeasyPrint fills each box marked :data:`MARK` once a page is laid out:
    just before it places the page's backgrounds, which (like the links and anchors gathered
    after) then take the copies where they are."""
    import weasyprint.layout

    place_backgrounds = weasyprint.layout.layout_backgrounds

    def fill_then_place(page: Any, get_image_from_uri: Any) -> None:
        fill_copies(page)
        place_backgrounds(page, get_image_from_uri)

    weasyprint.layout.layout_backgrounds = fill_then_place
    try:
        yield
    finally:
        weasyprint.layout.layout_backgrounds = place_backgrounds


def fill_copies(page_box: Any) -> None:
    """Give every box marked :data:`MARK` on the page a copy of its source box's content."""
    boxes = _principal_boxes(page_box)
    for target in (box for box in boxes if box.element.get(MARK)):
        wanted = set(target.element.get(MARK).split())
        source = next((box for box in boxes if box is not target
                       and wanted <= set(box.element.get("class", "").split())), None)
        if source is None:  # a theme override that marks a box but lacks its source
            raise ValueError(f"展板模板中 {MARK}=\"{' '.join(sorted(wanted))}\" 指向的元素不存在")
        _copy_content(source, target)


def _principal_boxes(page_box: Any) -> list[Any]:
    """The first box of each element on the page (anonymous boxes share their parent's element)."""
    seen: set[int] = set()
    found = []
    for box in page_box.descendants(placeholders=True):
        element = getattr(box, "element", None)
        if element is not None and id(element) not in seen:
            seen.add(id(element))
            found.append(box)
    return found


def _copy_content(source: Any, target: Any) -> None:
    """``target``'s children become copies of ``source``'s, moved by the offset between the two
    content boxes."""
    dx = target.content_box_x() - source.content_box_x()
    dy = target.content_box_y() - source.content_box_y()
    children = [child.deepcopy() for child in source.children]
    for child in children:
        child.translate(dx, dy)
    target.children = children
