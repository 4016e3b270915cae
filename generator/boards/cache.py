"""A cache so unchanged boards are not rendered again.

The key is a hash of the board's HTML at its design size (which inlines the CSS,
the photos and the QR code), the fonts WeasyPrint will find, the WeasyPrint
version and :data:`FORMAT` (bumped when the fitting rules or the PDF writing
change). An entry holds what the worker produced: the PDF, the fitted HTML and
the warnings, and the CRC-32 of the PDF and the HTML, so an entry damaged on disk or in a CI
cache restore is rendered again, never printed. Entries live in ``.cache/boards/`` of the
project; CI may keep that folder between runs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

from .output import write_atomic

FORMAT = "6"  # 2: PDF streams at zlib level 1 (engine.py); 3: sheets, floors, (code, message) warnings;
#            4: press.py (exact boxes, font subset tags per file), photos at 300 ppi, G614;
#            5: CID-keyed fonts renumbered and embedded as bare CFF (subset.py); 6: CRC-32 of the PDF and HTML in the .json
FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "sans-serif", "serif")


@dataclass
class Entry:
    pdf: bytes
    html: str
    pages: int
    warnings: list[tuple[str, str]]  # (code, message)


@cache
def fonts_fingerprint() -> str:
    """The font files fontconfig picks for our families, with their sizes and dates."""
    if not shutil.which("fc-match"):
        return "no-fc-match"
    lines = []
    for family in FAMILIES:
        done = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                              text=True, timeout=30, check=False)
        path = Path(done.stdout.strip())
        stat = path.stat() if path.is_file() else None
        lines.append(f"{family}={path}:{stat.st_size if stat else 0}:{stat.st_mtime_ns if stat else 0}")
    return "\n".join(lines)


def key(board_id: str, html: str) -> str:
    text = "\n".join((FORMAT, version("weasyprint"), fonts_fingerprint(), board_id, html))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class BoardCache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, digest: str) -> Entry | None:
        if self.folder is None:
            return None
        base = self.folder / digest[:2] / digest
        try:
            meta = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
            pdf, html = base.with_suffix(".pdf").read_bytes(), base.with_suffix(".html").read_bytes()
            if [zlib.crc32(pdf), zlib.crc32(html)] != meta["crc32"]:
                return None  # damaged on disk or in a CI cache restore: render the board again, never print it
            return Entry(pdf, html.decode("utf-8"), int(meta["pages"]), [(str(c), str(m)) for c, m in meta["warnings"]])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def has(self, digest: str) -> bool:
        """An entry's files are there (:meth:`get` still reads and checks them)."""
        if self.folder is None:
            return False
        base = self.folder / digest[:2] / digest
        return all(base.with_suffix(ext).is_file() for ext in (".json", ".pdf", ".html"))

    def put(self, digest: str, entry: Entry) -> None:
        if self.folder is None:
            return
        base = self.folder / digest[:2] / digest
        html = entry.html.encode("utf-8")
        write_atomic(base.with_suffix(".pdf"), entry.pdf)
        write_atomic(base.with_suffix(".html"), html)
        meta = {"pages": entry.pages, "warnings": entry.warnings, "crc32": [zlib.crc32(entry.pdf), zlib.crc32(html)]}
        write_atomic(base.with_suffix(".json"), json.dumps(meta, ensure_ascii=False).encode("utf-8"))
