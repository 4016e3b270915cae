"""segno's choice of QR mask, scored with integer bit operations: the same mask and matrix, faster.

segno lays a code's modules out, then applies each of the eight mask patterns and keeps the
one with the lowest penalty score (``segno.encoder.find_and_apply_best_mask``, ISO/IEC 18004
7.8.3). It scores module by module in Python: three quarters of a code's time, and boards
make one code per board and one per card. Here the whole symbol is one integer, its rows one
after another with :data:`GAP` light modules between them (and the columns another), so a mask
is one XOR and each score a few shifts and bit counts over every row at once:

* N1, runs of ``L`` ≥ 5 equal modules, ``L - 2`` each: the windows of five equal modules
  (``L - 4`` a run) plus 2 for the window that starts each run;
* N2, 3 for every 2 × 2 block of equal modules;
* N3, 40 for every 1:1:3:1:1 pattern that segno's left-to-right search counts: one with four
  light modules before or after it (fewer at a line's edge, as many as there are); after a
  counted pattern the search goes on behind it, after another one at its middle;
* N4, 10 for every 5 % the dark share is off 50 %, with segno's arithmetic.

On a tie the first mask wins, as with segno's strict ``<``. :func:`install` puts this in
segno's place, only for the segno versions it was checked against (:data:`CHECKED`);
``tests/test_qr.py`` compares it with stock segno on thousands of codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import segno
from segno import encoder

CHECKED = ("1.6.",)  # segno versions whose mask scoring this reproduces
GAP = 8  # light modules between two lines (and before the first): more than N3 looks at
_BITS = bytes.maketrans(b"\x00\x01", b"01")
_MODULES = bytes.maketrans(b"01", b"\x00\x01")
_stock: Any = None


def _columns(matrix: tuple[bytearray, ...] | list[bytes]) -> list[bytes]:
    return [bytes(column) for column in zip(*matrix, strict=True)]


def _pack(lines: list[bytes]) -> int:
    """``lines`` of 0/1 modules as one integer: bit ``GAP + k * (size + GAP) + p`` is module ``p`` of line ``k``."""
    gap = b"\0" * GAP
    return int((gap + gap.join(lines)).translate(_BITS)[::-1], 2)


@dataclass(frozen=True)
class Layout:
    """Where the modules of a ``size`` × ``size`` symbol sit in a packed integer, and its masks."""

    size: int
    pairs: int  # modules whose right neighbour is in the same line
    blocks: int  # the same, but not in the last line
    finders: int  # where a 7-module pattern may start
    rows: tuple[int, ...]  # each mask on the modules it applies to, rows packed
    columns: tuple[int, ...]  # the same, columns packed

    @property
    def stride(self) -> int:
        return self.size + GAP


@cache
def layout(size: int) -> Layout:
    """The :class:`Layout` of a ``size`` × ``size`` QR Code."""
    function = encoder.make_matrix(size, size)  # the modules masks apply to, as segno finds them
    encoder.add_finder_patterns(function, size, size)
    encoder.add_alignment_patterns(function, size, size)
    function[-8][8] = 0x1
    masks = [[bytes(int(function[i][j] > 0x1 and pattern(i, j)) for j in range(size)) for i in range(size)]
             for pattern in encoder.get_data_mask_functions(False)]

    def each_line(first: int, last: int, lines: int = size) -> int:
        return _pack([bytes(int(first <= p < last) for p in range(size))] * lines)

    return Layout(size, each_line(0, size - 1), each_line(0, size - 1, size - 1), each_line(0, size - 6),
                  tuple(_pack(m) for m in masks), tuple(_pack(_columns(m)) for m in masks))


def _runs(lines: int, pairs: int) -> tuple[int, int]:
    """N1 of packed lines, and where each module equals its right neighbour."""
    same = ~(lines ^ (lines >> 1)) & pairs
    five = same & (same >> 1) & (same >> 2) & (same >> 3)
    return five.bit_count() + 2 * (five & ~(same << 1)).bit_count(), same


def _finders(lines: int, starts: int) -> int:
    """N3 of packed lines, counted as segno's search counts (see the module docstring)."""
    found = lines & ~(lines >> 1) & (lines >> 2) & (lines >> 3) & (lines >> 4) & ~(lines >> 5) & (lines >> 6)
    found &= starts
    count, start = 0, 0
    while found:
        low = found & -found
        found ^= low
        at = low.bit_length() - 1
        if at >= start:  # a new line starts past the last one's skip: it ends GAP modules earlier
            light = not (lines >> (at - 4)) & 0xF or not (lines >> (at + 7)) & 0xF
            count += light
            start = at + (7 if light else 4)
    return 40 * count


def _score(rows: int, columns: int, at: Layout) -> int:
    n1_rows, same = _runs(rows, at.pairs)
    n1_columns, _ = _runs(columns, at.pairs)
    above = ~(rows ^ (rows >> at.stride))  # a module equals the one below it
    blocks = (same & above & (above >> 1) & at.blocks).bit_count()
    percent = float(rows.bit_count()) / (at.size ** 2)
    return (n1_rows + n1_columns + 3 * blocks + _finders(rows, at.finders) + _finders(columns, at.finders)
            + 10 * int(abs(percent * 100 - 50) / 5))


def best_mask(matrix: tuple[bytearray, ...]) -> tuple[int, tuple[bytearray, ...]]:
    """The mask segno picks for ``matrix`` (a QR Code's modules before masking, all 0 or 1),
    and the masked matrix."""
    at = layout(len(matrix))
    rows, columns = _pack([bytes(row) for row in matrix]), _pack(_columns(matrix))
    scores = [_score(rows ^ r, columns ^ c, at) for r, c in zip(at.rows, at.columns, strict=True)]
    best = scores.index(min(scores))  # the first of equal scores, as segno's strict "<"
    bits = format(rows ^ at.rows[best], "b")[::-1].encode("ascii").translate(_MODULES)
    bits += bytes(GAP + at.size * at.stride - len(bits))
    return best, tuple(bytearray(bits[GAP + k * at.stride:GAP + k * at.stride + at.size]) for k in range(at.size))


def find_and_apply_best_mask(matrix: tuple[bytearray, ...], width: int, height: int,
                             proposed_mask: int | None = None) -> tuple[int, tuple[bytearray, ...]]:
    """``segno.encoder.find_and_apply_best_mask``; Micro QR, a given mask or a module other than
    0 or 1 (which segno never leaves after placing the codewords) go to segno's own."""
    if proposed_mask is not None or width != height or width < 21 or any(max(row) > 1 for row in matrix):
        return _stock(matrix, width, height, proposed_mask)
    return best_mask(matrix)


def install() -> bool:
    """Score masks with :func:`best_mask` in this process, if segno is a version it was checked against."""
    global _stock
    if _stock is None and segno.__version__.startswith(CHECKED):
        _stock = encoder.find_and_apply_best_mask
        encoder.find_and_apply_best_mask = find_and_apply_best_mask
    return _stock is not None
