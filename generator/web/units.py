"""Unit, member and hall-screen pages: their contexts, built from the model.

Templates only display: every figure, link and stamp is decided here, and so is what a
reader may see (members who did not consent are left out of the contexts).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from markupsafe import Markup

from .. import schema, urls
from ..boards.plan import UnitStamps
from ..figures import (
    answers_of,
    member_satisfaction,
    percent_of,
    rolled_up,
    satisfaction_rate,
    unit_figures,
)
from ..history import History, Trail
from ..model import Person, Site, Unit
from ..qr import qr_svg
from ..rates import rounded_text
from ..richtext import render_markdown
from ..urls import feedback_url, member_url, unit_url
from .charts import Bar, rate_bars
from .jsonld import member_jsonld, unit_jsonld
from .plan import PageSpec
from .screen import screen_context
from .trendview import trend_view
from .unitcontexts import MemberContext, PeriodRow, ReviewLine, UnitContext

GRADES = ("优秀", "合格", "基本合格", "不合格")
ANSWERS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")


def score_text(score: float | None) -> str:
    """A review score as printed: "92 分", "92.5 分"; "" when there is none."""
    return "" if score is None else f"{score:g} 分"


def _periods(site: Site, unit: Unit, member_id: str | None) -> tuple[PeriodRow, ...]:
    rows = []
    surveys = unit.surveys_of(member_id)
    for period in site.config.periods:
        answers = answers_of(surveys, period.id)
        if not answers:
            continue
        total = sum(answers.values())
        opinions = tuple(o for s in surveys if s.period == period.id for o in s.opinions)
        channels = []
        for channel in sorted({s.channel for s in surveys if s.period == period.id}):
            counts = answers_of([s for s in surveys if s.channel == channel], period.id)
            channels.append((channel, sum(counts.values()), satisfaction_rate(site, counts, period.name)))
        rows.append(PeriodRow(period.name, answers, total, satisfaction_rate(site, answers, period.name), opinions,
                              tuple(channels)))
    return tuple(rows)


def _reviews(site: Site, unit: Unit) -> dict[str, dict[str, int]]:
    if not site.config.publish.reviews:
        return {}
    public = {m.id for m in unit.public_members}
    result: dict[str, dict[str, int]] = {}
    for period in site.config.periods:
        grades: Counter[str] = Counter(r.grade for r in unit.evaluations.reviews
                         if r.period == period.id and r.kind == "互评" and r.member in public)
        if grades:
            result[period.name] = {g: grades[g] for g in GRADES}
    return result


def _review_scores(site: Site, unit: Unit) -> dict[str, str]:
    """Mean score of the period's peer reviews of published members that carry a score."""
    if not site.config.publish.reviews:
        return {}
    public = {m.id for m in unit.public_members}
    out = {}
    for period in site.config.periods:
        scores = [r.score for r in unit.evaluations.reviews
                  if r.period == period.id and r.kind == "互评" and r.member in public and r.score is not None]
        if scores:
            mean = sum((Fraction(str(score)) for score in scores), Fraction(0)) / len(scores)  # exact: 92 and 92.5 give 92.25
            out[period.name] = f"平均 {rounded_text(mean, 1)} 分（{len(scores)} 人）"
    return out


def _review_lines(site: Site, unit: Unit, person: Person) -> tuple[ReviewLine, ...]:
    if not site.config.publish.reviews:
        return ()
    names = {p.id: p.name for p in site.config.periods}
    return tuple(ReviewLine(names.get(r.period, r.period), r.kind, r.grade, score_text(r.score), r.summary)
                 for r in unit.reviews_of(person.id))


def _breadcrumbs(site: Site, unit: Unit) -> tuple[tuple[str, str], ...]:
    return tuple((site.units[a].short_name, urls.unit(a)) for a in unit.ancestors)


def _shown_member(unit: Unit, member_id: str | None) -> tuple[bool, str | None]:
    """Whether a record naming ``member_id`` (None: the unit's own) may be shown, and the name to show:
    only members who consented are named, and their records are left out otherwise."""
    if member_id is None:
        return True, None
    person = unit.member(member_id)
    return (True, person.data.name) if person is not None and person.published else (False, None)


def shown_awards(unit: Unit) -> tuple[tuple[schema.Award, str | None], ...]:
    """The unit's own awards and those of members who consented, with the member's name."""
    shown = ((a, _shown_member(unit, a.member)) for a in unit.compare.awards)
    return tuple((a, name) for a, (ok, name) in shown if ok)


def shown_contests(unit: Unit) -> tuple[tuple[schema.Contest, tuple[tuple[str, schema.Result], ...]], ...]:
    """Every contest, with the unit's own results (“集体”) and those of members who consented."""
    out = []
    for contest in unit.compare.contests:
        shown = ((r, _shown_member(unit, r.member)) for r in contest.results)
        out.append((contest, tuple((name or "集体", r) for r, (ok, name) in shown if ok)))
    return tuple(out)


def _trails(history: History, unit: Unit) -> dict[str, Trail]:
    return {p.id: history.trail(unit.id, p.id) for p in unit.pledges if history.trail(unit.id, p.id)}


def unit_context(site: Site, unit: Unit, boards: tuple[tuple[str, str], ...], history: History) -> UnitContext:
    periods = _periods(site, unit, None)
    used = {a for row in periods for a in row.answers}
    return UnitContext(
        unit=unit, own=unit_figures(site, unit.id), total=rolled_up(site, unit.id),
        url=unit_url(site, unit), stamps=UnitStamps(site, unit).page(None), qr=Markup(qr_svg(unit_url(site, unit), title=unit.name)),
        breadcrumbs=_breadcrumbs(site, unit),
        children=tuple((site.units[c], rolled_up(site, c)) for c in unit.children),
        description=render_markdown(unit.data.description),
        regimes=tuple((r.name, render_markdown(r.text)) for r in unit.data.regimes),
        members=unit.public_members,
        org_pledges=tuple(p for p in unit.pledges_of(None) if p.published),
        member_pledges=tuple(p for p in unit.pledges if p.owner is not None and p.published),
        awards=shown_awards(unit), contests=shown_contests(unit),
        periods=periods, answers=tuple(a for a in ANSWERS if a in used),
        chart=rate_bars([Bar(r.period, r.rate.value, r.rate.percent()) for r in periods],
                        site.config.targets.satisfaction, f"{unit.name}群众满意率",
                        percent_of(site.config, site.config.targets.satisfaction)),
        reviews=_reviews(site, unit), review_scores=_review_scores(site, unit),
        comments=tuple(sorted(unit.comments_on(None), key=lambda c: c.date, reverse=True)),
        rectifications=unit.rectifications,
        feedback_url=feedback_url(site, unit), boards=boards,
        jsonld=unit_jsonld(site, unit),
        supervision_phone=unit.data.supervision_phone or site.config.supervision_phone,
        changed=history.unit_changed(unit.id), trails=_trails(history, unit),
        trend=trend_view(site, unit.id, unit.name, satisfaction_chart=False), workbook=urls.unit_workbook(unit.id),
    )


def member_context(site: Site, unit: Unit, person: Person, boards: tuple[tuple[str, str], ...],
                   history: History, stamps: UnitStamps) -> MemberContext:
    return MemberContext(
        unit=unit, person=person, photo=urls.member_photo(unit.id, person.id) if person.photo else None,
        url=member_url(site, person),
        stamps=stamps.page(person),
        pledges=tuple(p for p in unit.pledges_of(person.id) if p.published),
        reviews=_review_lines(site, unit, person),
        satisfaction=member_satisfaction(site, unit, person.id),
        comments=unit.comments_on(person.id), awards=unit.awards_of(person.id),
        results=unit.results_of(person.id), feedback_url=feedback_url(site, unit, person),
        boards=boards, jsonld=member_jsonld(site, unit, person),
        show_phone=site.config.publish.member_phone, show_card=site.config.publish.member_card_no,
        changed=history.file_changed(unit.id, "members.yml", "pledges.yml"), trails=_trails(history, unit),
    )


def unit_pages(site: Site, unit: Unit, boards: Any, history: History) -> list[PageSpec]:
    """The unit page and its hall screen (one context for both)."""
    context = unit_context(site, unit, boards(unit, None), history)
    own = context.own  # each figure with its period (the screen's header gives the as-of date)
    figures = f"{own.year} 年践诺率 {own.fulfilment.short()}　{own.period_name}群众满意率 {own.satisfaction.short()}"
    return [
        PageSpec(urls.source(urls.unit(unit.id)), unit.name, "gongshi/unit.html", context,
                 description=f"{unit.name}：服务事项、党员身份、承诺与评议公示"),
        PageSpec(urls.source(urls.screen(unit.id)), f"{unit.short_name} 大厅显示屏", "gongshi/screen.html",
                 screen_context(site, unit, figures), standalone=True),
    ]


def member_pages(site: Site, unit: Unit, boards: Any, history: History) -> list[PageSpec]:
    """A page per public member of the unit."""
    pages, stamps = [], UnitStamps(site, unit)
    for person in unit.public_members:
        pages.append(PageSpec(
            urls.source(urls.member(unit.id, person.id)), f"{person.data.name}｜{unit.short_name}",
            "gongshi/member.html", member_context(site, unit, person, boards(unit, person), history, stamps),
            description=f"{unit.short_name}{person.data.post}{person.data.name}的身份与承诺",
        ))
    return pages
