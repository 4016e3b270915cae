"""Survey channels that contain one another: the one rule behind G716.

A 好差评 export of a service hall already carries the ratings its window devices
(评价器) sent in, so a period holding both counts those citizens twice in the
satisfaction rate (every unit-level survey of a period is summed). Which channel
contains which is a setting (``surveys.channels_included``), because it depends on
how a county wired its devices; ``check`` warns on content edited by hand and
``import-survey`` shows the same warning before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .schema import Survey


@dataclass(frozen=True)
class Overlap:
    """Survey ``index`` (of channel ``inner``) is already contained in a survey of channel ``outer``."""

    index: int
    period: str
    member: str | None
    outer: str
    inner: str

    def message(self) -> str:
        who = f"成员 {self.member} " if self.member else ""
        return (f"{self.period} 的{who}群众评议既有“{self.outer}”又有“{self.inner}”，而 site_config.yml 的 "
                f"surveys.channels_included 写明“{self.outer}”已包含“{self.inner}”的评价：两条都计入满意率会重复计数。"
                f"请删掉其中一条，或改正 channels_included")


def overlaps(surveys: Sequence[Survey], included: Mapping[Any, Iterable[str]]) -> Iterator[Overlap]:
    """Each survey whose channel another survey of the same period and member already includes."""
    channels: dict[tuple[str, str | None], set[str]] = {}
    for s in surveys:
        channels.setdefault((s.period, s.member), set()).add(s.channel)
    for index, s in enumerate(surveys):
        for outer in sorted(channels[s.period, s.member]):
            if outer != s.channel and s.channel in included.get(outer, ()):
                yield Overlap(index, s.period, s.member, outer, s.channel)
