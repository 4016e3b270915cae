"""SVG paths of straight moves and lines drawn without WeasyPrint's general path parser.

A QR code is one SVG path of a few hundred ``m``/``h`` commands (``M4 4.5h7m2 0h5…``).
WeasyPrint's ``path`` draws any path: it pads every command letter with spaces, runs
three regular expressions over the whole string, and reads each number through its
length parser (units, percentages); that was ~13 % of a card sheet (40 QR codes) and
~5 % of a tent or pledge sheet. :func:`path` draws paths made only of ``M m H h V v Z z``
with plain numbers itself, with the same stream operations in the same order and the same
vertices (markers) as WeasyPrint's; any other path goes to WeasyPrint's.
"""

from __future__ import annotations

import re
from math import pi
from typing import Any

_NUMBER = r"-?\d+(?:\.\d+)?"
_COMMAND = rf"[Mm]\s*{_NUMBER}\s+{_NUMBER}|[HhVv]\s*{_NUMBER}|[Zz]"
SIMPLE = re.compile(rf"\s*(?:(?:{_COMMAND})\s*)+")  # a path :func:`path` draws itself
_STEPS = re.compile(rf"([MmHhVvZz])\s*({_NUMBER})?\s*({_NUMBER})?")


def path(svg: Any, node: Any, font_size: float, general: Any) -> None:
    """Draw the ``<path>`` ``node`` as WeasyPrint's ``general`` path drawer would."""
    d = node.get("d", "")
    if not SIMPLE.fullmatch(d):
        general(svg, node, font_size)
        return
    stream, vertices = svg.stream, node.vertices
    x: float = 0
    y: float = 0
    stream.move_to(x, y)
    last = None
    start: tuple[float, float] | None = None  # first point of the subpath, as WeasyPrint keeps it
    for letter, first, second in _STEPS.findall(d):
        if last in (None, "z", "Z") and letter not in "mM":
            vertices.append((x, y))
            start = (x, y)
        if last in (None, "m", "M", "z", "Z"):
            start = None
        if letter not in "mMzZ" and start is None:
            start = (x, y)
        if letter in "mM":
            if last and last not in "zZ":
                vertices.append(None)
            new_x, new_y = float(first), float(second)
            x, y = (new_x + x, new_y + y) if letter == "m" else (new_x, new_y)
            stream.move_to(x, y)
        elif letter in "hH":
            new_x = float(first) + x if letter == "h" else float(first)
            angle = 0 if new_x > x else pi
            vertices.append((pi - angle, angle))
            x = new_x
            stream.line_to(x, y)
        elif letter in "vV":
            new_y = float(first) + y if letter == "v" else float(first)
            angle = pi / 2 if new_y > y else -pi / 2
            vertices.append((pi - angle, angle))
            y = new_y
            stream.line_to(x, y)
        elif start:
            vertices.append(None)
            stream.close()
            x, y = start
        if letter not in "zZ":
            vertices.append((x, y))
        last = letter
