"""``boards --order``: one folder per unit to send to a print shop.

For each unit, ``<out>/order/<unit>/`` gets one merged PDF per group of boards (all the
unit's tents in ``tent.pdf``, its pledge sheets in ``pledge.pdf`` …, in the order boards are
listed) and an order sheet, ``order.csv`` and ``order.html``, listing each file with its
paper, finished size, pages, copies and finishing. Copies come from the settings:
``print.tent_copies`` of each tent, ``print.cards_each`` cards of each person (a sheet
holds ten). Merging is safe because every board's font subsets have names of their own
(:mod:`.press`); a PDF/X file keeps its output intent and version.

Runs after :func:`.run.build_boards`, from the PDFs it wrote (or left unchanged).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Site
from .output import write_atomic
from .plan import CARD_SHEET, Entry, select
from .render import environment

# Group of a board in the order: its file name there, what it is, and its finishing.
GROUPS: dict[str, tuple[str, str]] = {
    "poster": ("公示栏", "按成品尺寸裁切（有出血时）；可覆膜、装裱"),
    "members": ("党员公示栏", "按成品尺寸裁切（有出血时）；可覆膜、装裱"),
    "tent": ("承诺桌牌（每人一张）", "单面；沿中间虚线对折，立放"),
    "cards": ("服务卡（全单位混排）", "双面，长边翻转；沿裁切线裁成 90 × 54 mm"),
    "cards-person": ("服务卡拼版（每人一份）", "双面，长边翻转；沿裁切线裁成 90 × 54 mm"),
    "card": ("名片（每人一张，带出血）", "双面（第 1 页正面、第 2 页背面）；裁成 90 × 54 mm"),
    "pledge": ("承诺书", "单面；签名盖章后张贴或存档"),
    "guide": ("一次性告知单（每个服务事项一张）", "单面；放在窗口供群众取阅"),
    "directory": ("窗口导引", "按成品尺寸裁切（有出血时）；可覆膜、装裱"),
}
HEADER = ("文件", "展板", "纸张", "成品尺寸（毫米）", "页数", "份数", "后期加工")


@dataclass(frozen=True)
class Line:
    """One file of the order."""

    file: str
    label: str
    paper: str
    size_mm: str
    pages: int
    copies: int
    finishing: str

    def row(self) -> tuple[str, ...]:
        return (self.file, self.label, self.paper, self.size_mm, str(self.pages), str(self.copies),
                self.finishing)


def group(entry: Entry) -> str:
    return "cards-person" if entry.kind == "cards" and entry.member_id else entry.kind


def _copies(site: Site, name: str) -> int:
    p = site.config.print
    if name == "tent":
        return p.tent_copies
    if name == "cards-person":
        return math.ceil(p.cards_each / CARD_SHEET.per_sheet)  # sheets of ten
    if name == "card":
        return p.cards_each
    return 1


def write_orders(site: Site, out_dir: Path, unit: str | None) -> list[Path]:
    """Write the order folder of ``unit`` (every unit if None); the paths written."""
    from .plan import _page  # the paper each kind is printed on

    written: list[Path] = []
    for unit_id in [unit] if unit else list(site.units):
        folder = out_dir / "order" / unit_id
        groups: dict[str, list[Entry]] = {}
        for entry in select(site, unit_id, None):
            groups.setdefault(group(entry), []).append(entry)
        lines = []
        for name, entries in groups.items():
            pdfs = [out_dir / e.path("pdf") for e in entries]
            data, pages = merge(pdfs)
            written.append(folder / f"{name}.pdf")
            write_atomic(folder / f"{name}.pdf", data)
            page = _page(site, entries[0].kind)[0]
            label, finishing = GROUPS[name]
            lines.append(Line(f"{name}.pdf", f"{label} × {len(entries)}", page.name,
                              f"{page.width_mm:g} × {page.height_mm:g}" +
                              (f"（另加出血 {page.bleed_mm:g}）" if page.bleed_mm else ""),
                              pages, _copies(site, name), finishing))
        written += _sheet(site, folder, unit_id, lines)
    return written


def merge(pdfs: Iterable[Path]) -> tuple[bytes, int]:
    """The PDFs one after the other, with the first one's output intent and PDF/X version."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    first: PdfReader | None = None
    for path in pdfs:
        reader = PdfReader(path)
        first = first or reader
        writer.append(reader)
    root: Any = first.trailer["/Root"] if first is not None else {}
    if "/OutputIntents" in root:  # PDF/X: the boards share one output intent (press.py)
        writer._root_object[NameObject("/OutputIntents")] = root["/OutputIntents"].clone(writer)
        info: Any = first.metadata if first is not None else None
        if info and "/GTS_PDFXVersion" in info:
            writer.add_metadata({"/GTS_PDFXVersion": info["/GTS_PDFXVersion"]})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _sheet(site: Site, folder: Path, unit_id: str, lines: list[Line]) -> list[Path]:
    """``order.csv`` (UTF-8 with BOM, for Excel) and ``order.html``."""
    text = io.StringIO()
    table = csv.writer(text, lineterminator="\r\n")
    table.writerow(HEADER)
    table.writerows(line.row() for line in lines)
    html = environment().get_template("order.html").render(
        unit=site.units[unit_id].data.name, site_name=site.config.site.name, header=HEADER,
        rows=[line.row() for line in lines], as_of=site.as_of.isoformat())
    write_atomic(folder / "order.csv", ("\ufeff" + text.getvalue()).encode("utf-8"))
    write_atomic(folder / "order.html", html.encode("utf-8"))
    return [folder / "order.csv", folder / "order.html"]
