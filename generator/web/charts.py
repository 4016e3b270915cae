"""Charts as SVG made at build time; the same numbers always stand in a table beside them."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # 0..1, None when there is no data
    text: str  # what is written on the bar, e.g. "96.2%"


def rate_bars(bars: list[Bar], target: float | None, title: str, target_text: str = "") -> Markup:
    """Horizontal bars, one per period, with the target as a dashed line labelled ``target_text``."""
    row, left, width = 34, 110, 220
    height = row * len(bars) + 24
    parts = [
        f'<svg class="g-chart" viewBox="0 0 {left + width + 70} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = 8 + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" class="g-chart__label">'
                     f"{escape(bar.label)}</text>")
        parts.append(f'<rect x="{left}" y="{y}" width="{width}" height="24" class="g-chart__track"/>')
        if bar.value is not None:
            w = round(width * max(0.0, min(bar.value, 1.0)), 1)
            parts.append(f'<rect x="{left}" y="{y}" width="{w}" height="24" class="g-chart__bar"/>')
        parts.append(f'<text x="{left + width + 6}" y="{y + 17}" class="g-chart__value">'
                     f"{escape(bar.text)}</text>")
    if target is not None:
        x = left + round(width * target, 1)
        parts.append(f'<line x1="{x}" y1="2" x2="{x}" y2="{height - 14}" class="g-chart__target"/>')
        parts.append(f'<text x="{x}" y="{height - 2}" text-anchor="middle" class="g-chart__note">'
                     f"目标 {escape(target_text or f'{target * 100:g}%')}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))
