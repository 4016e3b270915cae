"""Stage 3, model: validated files become one immutable site with references resolved.

Later stages (figures, site, boards, exports) read only these objects, never YAML
or dicts. Upward links are ids (a member knows its unit's id); lookups such as
:meth:`Unit.pledges_of` give the downward ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from . import schema
from .figures import FigureTable, tabulate
from .settings import Period, SiteConfig
from .withheld import published_rect, published_unit, withheld_names

if TYPE_CHECKING:  # trends reads the model
    from .modelmemo import ModelMemo
    from .trends import PeriodPoint

COUNTED_STATES = frozenset({"已公开", "履行中", "已完成", "已评议"})


@dataclass(frozen=True, slots=True)
class Person:
    """A member of a unit (亮身份)."""

    unit_id: str
    data: schema.Member
    photo: Path | None  # the source file, if any

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def key(self) -> str:
        return f"{self.unit_id}/{self.data.id}"

    @property
    def published(self) -> bool:
        return self.data.consent

    @property
    def is_party(self) -> bool:
        return self.data.political_status in {"中共党员", "预备党员"}


@dataclass(frozen=True, slots=True)
class PledgeItem:
    """A pledge with its owner resolved and its derived state as of the build date."""

    unit_id: str
    data: schema.Pledge
    owner: Person | None  # None: the party organisation's pledge
    year: int
    overdue: bool
    fallen_due: bool = False  # due on or before the as-of date, or already rated: counts in 践诺率

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def counted(self) -> bool:
        """Published and not withdrawn: counts in 践诺率."""
        return self.data.status in COUNTED_STATES

    @property
    def published(self) -> bool:
        """Shown to the public: made public, and its owner consented."""
        return (self.counted or self.data.status == "已撤回") and self.owner_published

    @property
    def owner_published(self) -> bool:
        return self.owner is None or self.owner.published


@dataclass(frozen=True, slots=True)
class RectItem:
    unit_id: str
    data: schema.Rectification
    comment: schema.Comment | None  # the leader comment it answers, if any
    overdue: bool


@dataclass(frozen=True)
class Unit:
    id: str
    data: schema.UnitFile
    folder: Path
    files: tuple[Path, ...]
    parent: str | None
    children: tuple[str, ...]
    ancestors: tuple[str, ...]  # root first
    members: tuple[Person, ...]
    pledges: tuple[PledgeItem, ...]
    compare: schema.CompareFile
    evaluations: schema.EvaluationsFile
    rectifications: tuple[RectItem, ...]
    grading: schema.GradingFile
    _members: Mapping[str, Person] = field(repr=False, compare=False)
    digest: str = ""  # sha256 of the unit's YAML files (see UnitSource)
    file_digests: tuple[tuple[str, str], ...] = ()  # (file name, sha256 of its bytes) of each YAML file

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def short_name(self) -> str:
        return self.data.short_name or self.data.name

    @property
    def depth(self) -> int:
        return len(self.ancestors)

    def member(self, member_id: str | None) -> Person | None:
        return self._members.get(member_id) if member_id else None

    @cached_property
    def public_members(self) -> tuple[Person, ...]:
        """Members shown to the public (kept: every page and board of the unit asks, ~10 times a member)."""
        return tuple(m for m in self.members if m.published)

    def pledges_of(self, member_id: str | None) -> tuple[PledgeItem, ...]:
        return tuple(p for p in self.pledges if p.data.member == member_id)

    def reviews_of(self, member_id: str) -> tuple[schema.Review, ...]:
        return tuple(r for r in self.evaluations.reviews if r.member == member_id)

    def surveys_of(self, member_id: str | None) -> tuple[schema.Survey, ...]:
        return tuple(s for s in self.evaluations.surveys if s.member == member_id)

    def comments_on(self, member_id: str | None) -> tuple[schema.Comment, ...]:
        return tuple(c for c in self.evaluations.comments if c.member == member_id)

    def awards_of(self, member_id: str | None) -> tuple[schema.Award, ...]:
        return tuple(a for a in self.compare.awards if a.member == member_id)

    def results_of(self, member_id: str) -> tuple[tuple[schema.Contest, schema.Result], ...]:
        return tuple((c, r) for c in self.compare.contests for r in c.results if r.member == member_id)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    root: Path
    as_of: dt.date
    units: Mapping[str, Unit]  # in tree order: each parent before its children
    roots: tuple[str, ...]
    memo: ModelMemo | None = field(default=None, compare=False, repr=False)  # serve's between rebuilds, or the CLI's figures file

    @cached_property
    def period(self) -> Period:
        """The current period (site_config ``current_period``)."""
        return self.period_by_id(self.config.current_period)

    def period_by_id(self, period_id: str) -> Period:
        return next(p for p in self.config.periods if p.id == period_id)

    @property
    def year(self) -> int:
        """The pledge year the headline figures use: the current period's."""
        return self.period.end.year

    def subtree(self, unit_id: str) -> Iterator[Unit]:
        unit = self.units[unit_id]
        yield unit
        for child in unit.children:
            yield from self.subtree(child)

    @cached_property
    def figures(self) -> FigureTable:
        """Stage 4, figures: every unit's figures in every period, computed on first use, then kept.

        The site is immutable, so its table never goes stale; a changed site (another period,
        other settings) is a new ``Site`` with its own table. Check's warnings make it, right
        after the model; :func:`generator.pipeline.render` names the stage.
        """
        return tabulate(self, self.memo)

    @cached_property
    def trends(self) -> dict[tuple[str | None, bool], tuple[PeriodPoint, ...]]:
        """Each unit's (or subtree's, or the site's) figures per period, kept on first use by
        :func:`generator.trends.period_points`: rankings, ledgers and trend charts all ask."""
        return {}

    def all_members(self) -> Iterator[Person]:
        for unit in self.units.values():
            yield from unit.members

    def all_pledges(self) -> Iterator[PledgeItem]:
        for unit in self.units.values():
            yield from unit.pledges


@dataclass
class UnitSource:
    """One unit's validated files, as :mod:`generator.check` hands them over."""

    id: str
    folder: Path
    files: list[Path]
    unit: schema.UnitFile
    members: schema.MembersFile
    pledges: schema.PledgesFile
    compare: schema.CompareFile
    evaluations: schema.EvaluationsFile
    rectifications: schema.RectificationsFile
    grading: schema.GradingFile
    digest: str = ""  # sha256 of the unit's YAML files: what the incremental site build compares
    file_digests: tuple[tuple[str, str], ...] = ()  # (file name, sha256 of its bytes) of each YAML file


def _photo(source: UnitSource, member: schema.Member) -> Path | None:
    return source.folder / member.photo if member.photo else None


def _unit(source: UnitSource, children: tuple[str, ...], ancestors: tuple[str, ...],
          as_of: dt.date) -> Unit:
    people = tuple(Person(source.id, m, _photo(source, m)) for m in source.members.members)
    by_id = {p.id: p for p in people}
    pledges = tuple(
        PledgeItem(
            unit_id=source.id,
            data=p,
            owner=by_id.get(p.member) if p.member else None,
            year=p.year or p.made.year,
            overdue=p.due < as_of and p.status in {"已公开", "履行中"},
            fallen_due=p.due <= as_of or p.outcome is not None,
        )
        for p in source.pledges.pledges
    )
    comments = {c.id: c for c in source.evaluations.comments}
    withheld = withheld_names(source.members)  # a fix names a member who did not consent: （未公开）
    rects = tuple(
        RectItem(
            unit_id=source.id,
            data=published_rect(r, withheld),
            comment=comments.get(r.source.ref or "") if r.source.kind == "领导点评" else None,
            overdue=r.status != "已完成" and r.deadline < as_of,
        )
        for r in source.rectifications.rectifications
    )
    return Unit(
        id=source.id, data=published_unit(source.unit, withheld), folder=source.folder, files=tuple(source.files),
        parent=source.unit.parent, children=children, ancestors=ancestors, members=people,
        pledges=pledges, compare=source.compare, evaluations=source.evaluations,
        rectifications=rects, grading=source.grading, _members=MappingProxyType(by_id), digest=source.digest,
        file_digests=source.file_digests,
    )


def build(config: SiteConfig, root: Path, sources: list[UnitSource], as_of: dt.date,
          memo: ModelMemo | None = None) -> Site:
    """Assemble the site; ``sources`` must already be checked (ids exist, no cycles). ``memo``:
    units and figures kept from an earlier build of this process (:mod:`generator.modelmemo`)."""
    by_id = {s.id: s for s in sources}
    children: dict[str, list[str]] = {s.id: [] for s in sources}
    for s in sorted(sources, key=lambda s: s.id):
        if s.unit.parent:
            children[s.unit.parent].append(s.id)
    roots = tuple(sorted(s.id for s in sources if not s.unit.parent))
    units: dict[str, Unit] = {}

    def visit(unit_id: str, ancestors: tuple[str, ...]) -> None:
        source, below = by_id[unit_id], tuple(children[unit_id])
        units[unit_id] = (memo.unit(source, below, ancestors, as_of, lambda: _unit(source, below, ancestors, as_of))
                          if memo else _unit(source, below, ancestors, as_of))
        for child in children[unit_id]:
            visit(child, (*ancestors, unit_id))

    for root_id in roots:
        visit(root_id, ())
    if memo:
        memo.units_in_use(set(units))
    return Site(config=config, root=root, as_of=as_of, units=MappingProxyType(units), roots=roots, memo=memo)
