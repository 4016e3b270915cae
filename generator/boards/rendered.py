"""What a worker hands back for one board: shared by :mod:`.pdf` (which makes it, inside a
worker) and :mod:`.worker` (which carries it to the parent), so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Rendered:
    """A worker's answer for one board (no WeasyPrint import here: the parent unpickles it)."""

    pdf: bytes
    html: str
    pages: int
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message): notices.py
    refused: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)  # WeasyPrint's own warnings (bad CSS …)
