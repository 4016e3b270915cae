"""A rate and how it is printed: rounded half up as offices round, with the decimals it needs.

:mod:`generator.figures` computes the rates; this module says how one is written: ``percent_text``
rounds half up (70.5 % → 71 %, not to even as Python's ``round`` does), and :meth:`Rate.percent`
adds the decimals that keep a rate from misstating itself (never 100.0 % with one 不满意).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor


def percent_text(value: Fraction, places: int) -> str:
    """``value`` (a ratio) as a percentage with ``places`` decimals, rounded half up: 0.705 → "71%"."""
    return f"{rounded_text(value * 100, places)}%"


def rounded_text(value: Fraction, places: int) -> str:
    """``value`` (not negative) with ``places`` decimals, rounded half up as every figure is: 92.25 → "92.3"."""
    steps = floor(value * 10**places + Fraction(1, 2))
    whole, part = divmod(steps, 10**places)
    return f"{whole}.{part:0{places}d}" if places else f"{whole}"


MORE_PLACES = 6  # at most this many decimals more than set: one answer in 8 million still shows below 100 %


@dataclass(frozen=True)
class Rate:
    """A ratio with what it counts, its scope and how it is printed; the counts stay exact."""

    numerator: int
    denominator: int
    target: float | None = None
    places: int = 1  # decimals when printed (site_config figures.percent_decimals)
    counted: str = ""  # what the numerator counts, e.g. "已兑现"
    base: str = ""  # what the denominator counts, e.g. "已到期承诺"
    scope: str = ""  # period and as-of date, e.g. "2026 年度承诺，截至 2026-11-20"

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def meets(self) -> bool | None:
        if self.ratio is None or self.target is None:
            return None
        return self.ratio >= Fraction(repr(self.target))

    def percent(self) -> str:
        """The percentage at :attr:`places` decimals, or at as many more as it takes not to misstate it."""
        return "—" if self.ratio is None else percent_text(self.ratio, self.shown_places())

    def shown_places(self) -> int:
        """:attr:`places`, or more where rounding would misstate the rate: never “100.0%” (or “0.0%”)
        unless it is exactly that (9,999 satisfied of 10,000: 99.99%), and never the target's own text
        beside a rate that falls short of it or exceeds it (94.96% under a target of 95.0%, not 95.0%
        marked 未达标). Up to :data:`MORE_PLACES` more; the counts beside it are exact anyway."""
        ratio = self.ratio
        if ratio is None:
            return self.places
        value, near = self.numerator / self.denominator, 10.0 ** -(self.places + 2)  # a printed step, as a ratio
        if near < value < 1 - near and (self.target is None or abs(value - self.target) > near):
            return self.places  # nearly every rate: nowhere near 0, 100 % or its target
        target = Fraction(repr(self.target)) if self.target is not None else None
        for places in range(self.places, self.places + MORE_PLACES + 1):
            shown = percent_text(ratio, places)
            misstated = ((ratio < 1 and shown == percent_text(Fraction(1), places))
                         or (ratio > 0 and shown == percent_text(Fraction(0), places))
                         or (target is not None and ratio != target and shown == percent_text(target, places)))
            if not misstated:
                return places
        return self.places + MORE_PLACES

    def target_percent(self) -> str:
        return "" if self.target is None else percent_text(Fraction(repr(self.target)), self.places)

    def short(self) -> str:
        """The percentage with its counts, for a table cell or a line: "60.0%（3/5）"."""
        return "—" if self.ratio is None else f"{self.percent()}（{self.numerator}/{self.denominator}）"

    def fraction(self) -> str:
        """The counts behind the percentage, e.g. "已兑现 50 ÷ 已到期承诺 70"."""
        if not (self.counted or self.base):
            return f"{self.numerator}/{self.denominator}"
        return f"{self.counted} {self.numerator} ÷ {self.base} {self.denominator}"
