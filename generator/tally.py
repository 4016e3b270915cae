"""The counts behind the figures (:mod:`generator.figures`): one unit's, added up the unit tree.

A :class:`Tally` holds only counts, so a subtree's tally is the sum of its units' tallies;
:func:`generator.figures.tabulate` adds them bottom-up and turns each into rates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Site, Unit


def skilled_ids(unit: Unit, title: str, year: int) -> set[str]:
    """Members of ``unit`` awarded ``title`` (岗位能手) in ``year``."""
    return {a.member for a in unit.compare.awards if a.member and a.title == title and a.date.year == year}


@dataclass(frozen=True)
class Tally:
    """The counts behind one unit's figures for one period; a subtree's tally is the sum of its units'.

    Adding keeps the answers in the order they are first met walking the subtree (the unit,
    then each child's subtree), so a sum equals counting the subtree's units in tree order.
    """

    members: int
    party_members: int
    skilled: int
    pledges: int
    due: int
    kept: int
    partly_kept: int
    not_kept: int
    not_rated: int
    overdue: int  # pledges of every year, not only the tally's: overdue is overdue whenever it was made
    withdrawn: int
    rect_open: int
    rect_closed: int
    rect_overdue: int
    answers: dict[str, int]

    def __add__(self, other: Tally) -> Tally:
        answers = Counter(self.answers)
        answers.update(other.answers)
        return replace(self, answers=dict(answers), **{n: getattr(self, n) + getattr(other, n) for n in _COUNTS})


_COUNTS = tuple(f.name for f in fields(Tally) if f.name != "answers")  # the fields a sum adds


def unit_counts(site: Site, unit: Unit, years: set[int]) -> dict[int, dict[str, int]]:
    """``year -> counts``: the counts of a :class:`Tally` of ``unit``, all but the answers (which are per period)."""
    party = {m.id for m in unit.members if m.is_party}  # 岗位能手比率 counts party members (seed 002: 在职党员)
    rects = unit.rectifications
    alone = dict(members=len(unit.members), party_members=len(party),
                 rect_open=sum(r.data.status != "已完成" for r in rects),
                 rect_closed=sum(r.data.status == "已完成" for r in rects), rect_overdue=sum(r.overdue for r in rects),
                 overdue=sum(p.overdue for p in unit.pledges))  # of any year: a 2025 pledge still open past its due date is overdue now
    title = site.config.targets.skill_title
    return {year: alone | pledge_counts(unit, year) | {"skilled": len(skilled_ids(unit, title, year) & party)}
            for year in years}


def pledge_counts(unit: Unit, year: int) -> dict[str, int]:
    """The pledge counts of :class:`Tally` for the pledges of ``year`` in ``unit`` (all but ``overdue``,
    which counts the overdue pledges of every year: see :func:`unit_counts`)."""
    pledges = [p for p in unit.pledges if p.year == year]
    counted = [p for p in pledges if p.counted]
    outcomes = Counter(p.data.outcome for p in counted)
    due = sum(p.fallen_due for p in counted)
    return dict(
        pledges=len(counted), due=due, kept=outcomes["已兑现"], partly_kept=outcomes["部分兑现"],
        not_kept=outcomes["未兑现"], not_rated=outcomes[None],
        withdrawn=sum(p.data.status == "已撤回" for p in pledges),
    )
