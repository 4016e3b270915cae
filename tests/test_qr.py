"""QR codes: the faster mask choice (generator/qrmask.py) gives segno's own codes, bit for bit."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import segno
from segno import encoder

from generator import qr, qrmask


@contextmanager
def stock_segno() -> Iterator[None]:
    """segno as shipped: its own mask scoring."""
    ours = encoder.find_and_apply_best_mask
    encoder.find_and_apply_best_mask = qrmask._stock
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask = ours


def texts() -> list[str]:
    """Board-like addresses with stamps, and random texts of every length up to version 40."""
    rng = random.Random(13)
    found = [f"https://gongshi.example.gov.cn/units/county-{k:04d}/members/m-{k % 97:02d}/?v={k * 7919 % 16**8:08x}"
             for k in range(60)]
    for length in (1, 5, 12, 20, 30, 45, 60, 80, 100, 130, 170, 220, 280, 350, 500):
        for alphabet in (string.ascii_lowercase + "/:.-?=", string.printable, "01", "0123456789", "承诺书李明"):
            found.append("".join(rng.choice(alphabet) for _ in range(length)))
    return found


def code(text: str, error: str) -> tuple[int | str, int, tuple[bytes, ...]] | None:
    try:
        made = segno.make_qr(text, error=error)
    except segno.DataOverflowError:  # too long for any version at this level
        return None
    return made.version, made.mask, tuple(bytes(row) for row in made.matrix)  # version: "M1" … for Micro QR


def test_installed_for_this_segno() -> None:
    assert qrmask.install(), f"segno {segno.__version__} is not one qrmask was checked against"
    assert encoder.find_and_apply_best_mask is qrmask.find_and_apply_best_mask


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_the_same_mask_and_modules_as_segno(error: str) -> None:
    qrmask.install()
    ours = [code(text, error) for text in texts()]
    with stock_segno():
        theirs = [code(text, error) for text in texts()]
    made = [c for c in theirs if c is not None]
    versions = {int(version) for version, _, _ in made}
    assert min(versions) == 1 and max(versions) >= 20 and len(versions) >= 10  # small and large symbols
    assert len({mask for _, mask, _ in made}) == 8  # every mask chosen somewhere
    assert ours == theirs


def test_board_svg_unchanged() -> None:
    url = "https://gongshi.example.gov.cn/units/hall/members/li-ming/?v=0a1b2c3d"
    ours = qr._render(url, "#000", None)
    with stock_segno():
        assert qr._render(url, "#000", None) == ours


def test_micro_qr_and_a_given_mask_are_segno_own() -> None:
    qrmask.install()
    micro = segno.make_micro("12345")
    masked = segno.make_qr("https://example.org/", mask=3)
    with stock_segno():
        assert bytes(b for row in segno.make_micro("12345").matrix for b in row) == bytes(
            b for row in micro.matrix for b in row)
        assert segno.make_qr("https://example.org/", mask=3).matrix == masked.matrix
