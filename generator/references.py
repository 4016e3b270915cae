"""Checks across fields and files: references resolve, ids are unique, dates ordered.

Each function takes validated objects plus the loaded files (for line numbers) and
returns problems; none raises. A unit's files that failed to load or validate are
listed in :attr:`Located.broken`: each check runs when the files it reads are whole,
so one broken file hides only the checks that need it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .checkdates import dated_after, overlapping_periods
from .errors import Problem, error, warning
from .load import Loaded, Loc
from .model import UnitSource
from .photos import photo_fault
from .safe_read import real_path
from .settings import SiteConfig, as_of_date

Stat = tuple[int, int, int, int, int, int]  # device, inode, mode, size, mtime_ns, ctime_ns
Signature = tuple[object, ...]


@dataclass
class Located:
    """A unit's sources with the loaded files, so a check can say where."""

    source: UnitSource
    loaded: dict[str, Loaded]  # file name -> loaded file
    broken: frozenset[str] = frozenset()  # files that failed to load or validate (empty stand-ins in source)

    def whole(self, *files: str) -> bool:
        """All these files loaded and validated: checks that read them can run."""
        return not self.broken.intersection(files)

    def at(self, file: str, loc: Loc, code: str, message: str) -> Problem:
        loaded = self.loaded[file]
        line, col = loaded.pos(loc)
        return error(loaded.shown, line, col, code, message)

    def warn(self, file: str, loc: Loc, code: str, message: str) -> Problem:
        loaded = self.loaded[file]
        line, col = loaded.pos(loc)
        return warning(loaded.shown, line, col, code, message)


def _unique(located: Located, file: str, key: str, ids: Iterable[str], what: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            first = located.loaded[file].pos((key, seen[item_id]))[0]
            yield located.at(file, (key, index, "id"), "G302",
                             f"{what}编号“{item_id}”重复：第 {first} 行已用过。请换一个编号")
        else:
            seen[item_id] = index


def _member_refs(loc: Located, members: set[str]) -> Iterator[Problem]:
    s = loc.source
    if not loc.whole("members.yml"):
        return

    def ref(file: str, path: Loc, member: str | None) -> Iterator[Problem]:
        if member and member not in members and loc.whole(file):
            known = "、".join(sorted(members)) or "（本单位还没有成员）"
            yield loc.at(file, path, "G301",
                         f"成员“{member}”在本单位 members.yml 里不存在。可用的成员编号：{known}")

    for i, p in enumerate(s.pledges.pledges):
        yield from ref("pledges.yml", ("pledges", i, "member"), p.member)
    for i, sv in enumerate(s.evaluations.surveys):
        yield from ref("evaluations.yml", ("surveys", i, "member"), sv.member)
    for i, r in enumerate(s.evaluations.reviews):
        yield from ref("evaluations.yml", ("reviews", i, "member"), r.member)
    for i, c in enumerate(s.evaluations.comments):
        yield from ref("evaluations.yml", ("comments", i, "member"), c.member)
    for i, a in enumerate(s.compare.awards):
        yield from ref("compare.yml", ("awards", i, "member"), a.member)
    for i, contest in enumerate(s.compare.contests):
        for j, result in enumerate(contest.results):
            yield from ref("compare.yml", ("contests", i, "results", j, "member"), result.member)


def _periods(loc: Located, periods: set[str], scale: str) -> Iterator[Problem]:
    s = loc.source
    known = "、".join(sorted(periods))
    items: list[tuple[str, Loc, str]] = [
        ("evaluations.yml", ("surveys", i, "period"), sv.period) for i, sv in enumerate(s.evaluations.surveys)
    ]
    items += [("evaluations.yml", ("reviews", i, "period"), r.period) for i, r in enumerate(s.evaluations.reviews)]
    items += [("compare.yml", ("stars", i, "period"), st.period) for i, st in enumerate(s.compare.stars)]
    for file, path, period in items:  # a broken file's stand-in has no items
        if period not in periods:
            yield loc.at(file, path, "G301", f"时段“{period}”没有在 site_config.yml 的 periods 里定义。可用：{known}")
    if scale == "三级":
        for i, sv in enumerate(s.evaluations.surveys):
            for answer in sv.counts:
                if answer in {"非常满意", "非常不满意"}:
                    yield loc.at("evaluations.yml", ("surveys", i, "counts", answer), "G204",
                                 f"选项“{answer}”属于五级（好差评）评价，但站点设置为三级评价（满意/基本满意/不满意）。"
                                 "请改用三级选项，或在 site_config.yml 设置 satisfaction.scale: 五级")


def _pledge_rules(loc: Located) -> Iterator[Problem]:
    for i, p in enumerate(loc.source.pledges.pledges):
        here = ("pledges", i)
        if p.due < p.made:
            yield loc.at("pledges.yml", (*here, "due"), "G305",
                         f"完成期限 {p.due} 早于提出日期 {p.made}。请检查日期")
        if p.status == "已撤回" and not p.withdrawn_reason:
            yield loc.at("pledges.yml", (*here, "status"), "G209",
                         "状态为“已撤回”时必须填写撤回理由 withdrawn_reason。承诺不能悄悄删除，须说明原因")
        if p.outcome and p.status not in {"已完成", "已评议"}:
            yield loc.at("pledges.yml", (*here, "outcome"), "G209",
                         f"只有状态为“已完成”或“已评议”的承诺才能评定兑现情况，当前状态为“{p.status}”。"
                         "请先更新状态，或删除 outcome")
        if p.status in {"已完成", "已评议"} and not p.completed_on:
            yield loc.at("pledges.yml", (*here, "status"), "G209",
                         f"状态为“{p.status}”时请填写完成日期 completed_on")
        if p.completed_on and p.completed_on < p.made:
            yield loc.at("pledges.yml", (*here, "completed_on"), "G305",
                         f"完成日期 {p.completed_on} 早于提出日期 {p.made}")
        for j, step in enumerate(p.timeline):
            if step.date < p.made:
                yield loc.at("pledges.yml", (*here, "timeline", j, "date"), "G305",
                             f"进展日期 {step.date} 早于承诺提出日期 {p.made}")


def _limit_days(limit: int | str) -> int:
    """A time limit as working days: 即办 (done on the spot) is the shortest, 0."""
    return 0 if limit == "即办" else int(limit)


def _limit_text(limit: int | str) -> str:
    return "即办" if limit == "即办" else f"{limit} 个工作日"


def _service_rules(loc: Located) -> Iterator[Problem]:
    """承诺时限 may not exceed 法定时限: a window promises to be faster than the law, never slower."""
    for i, s in enumerate(loc.source.unit.services):
        if s.legal_limit is None or s.promised_limit is None:
            continue
        if _limit_days(s.promised_limit) > _limit_days(s.legal_limit):
            yield loc.at("unit.yml", ("services", i, "promised_limit"), "G215",
                         f"服务事项“{s.name}”的承诺时限为 {_limit_text(s.promised_limit)}，长于法定时限 "
                         f"{_limit_text(s.legal_limit)}。承诺时限是向群众承诺的办结时间，只能等于或短于法定时限"
                         "（即办最短，其次按工作日数比较）。请缩短 promised_limit，或核对 legal_limit")


def _rect_rules(loc: Located, periods: set[str] | None) -> Iterator[Problem]:
    """Status and dates; the source references only when evaluations.yml and the periods are known."""
    comments = {c.id for c in loc.source.evaluations.comments} if loc.whole("evaluations.yml") else None
    for i, r in enumerate(loc.source.rectifications.rectifications):
        here = ("rectifications", i)
        if r.status == "已完成" and not r.closed_on:
            yield loc.at("rectifications.yml", (*here, "status"), "G209", "状态为“已完成”时请填写完成日期 closed_on")
        if r.closed_on and r.status != "已完成":
            yield loc.at("rectifications.yml", (*here, "closed_on"), "G209",
                         f"填写了完成日期，但状态是“{r.status}”。请把状态改为“已完成”，或删除 closed_on")
        ref = r.source.ref
        if r.source.kind == "领导点评" and comments is not None and ref not in comments:
            known = "、".join(sorted(comments)) or "（本单位还没有领导点评）"
            yield loc.at("rectifications.yml", (*here, "source", "ref"), "G301",
                         f"来源是领导点评，但点评编号“{ref or ''}”在 evaluations.yml 里不存在。可用：{known}")
        if r.source.kind == "群众评议" and ref and periods is not None and ref not in periods:
            yield loc.at("rectifications.yml", (*here, "source", "ref"), "G301",
                         f"来源是群众评议，请在 ref 填写评议时段编号，“{ref}”不存在")


def _photos(loc: Located) -> Iterator[Problem]:
    folder = loc.source.folder.resolve()
    for i, m in enumerate(loc.source.members.members):
        if not m.photo:
            continue
        path = (folder / m.photo).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            yield loc.at("members.yml", ("members", i, "photo"), "G304",
                         f"照片文件 {m.photo} 在单位目录里找不到。请把照片放进 {loc.source.id}/photos/，文件名与这里一致")
        elif fault := photo_fault(path):  # what site would fail on: not an image, cut short, too many pixels
            yield loc.at("members.yml", ("members", i, "photo"), "G308", f"照片 {m.photo} {fault}")


UnitCheck = Callable[["Located", SiteConfig | None], list[Problem]]  # check_unit, or serve's that remembers


def check_unit(loc: Located, config: SiteConfig | None) -> list[Problem]:
    """Checks within one unit, each over the files it reads that are whole (see :attr:`Located.broken`).

    Without a valid site_config.yml (``config`` None) the checks against its periods are left out.
    A broken file's stand-in holds no items, so checks that only walk one file need no guard.
    """
    s = loc.source
    periods = {p.id for p in config.periods} if config else None
    problems: list[Problem] = []
    problems += _unique(loc, "members.yml", "members", (m.id for m in s.members.members), "成员")
    problems += _unique(loc, "pledges.yml", "pledges", (p.id for p in s.pledges.pledges), "承诺")
    problems += _unique(loc, "unit.yml", "services", (x.id for x in s.unit.services), "服务事项")
    problems += _unique(loc, "evaluations.yml", "comments", (c.id for c in s.evaluations.comments), "点评")
    problems += _unique(loc, "rectifications.yml", "rectifications",
                        (r.id for r in s.rectifications.rectifications), "整改")
    problems += _member_refs(loc, {m.id for m in s.members.members})
    if config and periods is not None:
        problems += _periods(loc, periods, config.satisfaction.scale)
    problems += _pledge_rules(loc)
    if config:
        problems += dated_after(loc, config)
    problems += _service_rules(loc)
    problems += _rect_rules(loc, periods)
    problems += _photos(loc)
    return problems


def checks_within_key(loc: Located, config: SiteConfig | None) -> Signature:
    """All that :func:`check_unit` reads besides the unit's loaded files.

    The settings' periods, satisfaction scale and as-of date, and what :func:`_photos` reads of each
    member photo (G304: a file, inside the unit folder; G308: a whole image): the folder's real path, the photo's real
    path (a folder on the way may have become a link) and the ``stat`` of it as a link and of
    what it points to.
    """
    settings = (tuple(sorted((p.id, p.start.isoformat()) for p in config.periods)), config.satisfaction.scale,
                as_of_date(config.as_of).isoformat()) if config else None
    folder = str(loc.source.folder)
    parents: dict[str, str] = {}  # a unit's photos share a folder or two: one realpath each
    photos = []
    for m in loc.source.members.members:
        if m.photo:
            path = os.path.join(folder, m.photo)
            photos.append((m.photo, real_path(path, parents), stat_of(path, follow=False), stat_of(path)))
    return settings, os.path.realpath(folder), tuple(photos)


def stat_of(path: str, follow: bool = True) -> Stat | None:
    try:
        s = os.stat(path, follow_symlinks=follow)
    except OSError:
        return None
    return s.st_dev, s.st_ino, s.st_mode, s.st_size, s.st_mtime_ns, s.st_ctime_ns


def check_tree(located: dict[str, Located], folders: set[str] | None = None) -> list[Problem]:
    """Parents exist (as unit folders, whether or not their files loaded) and the tree has no cycle.

    Only units whose unit.yml is whole take part: a broken one's parent is unknown.
    """
    units = {unit_id: loc for unit_id, loc in located.items() if loc.whole("unit.yml")}
    folders = set(located) if folders is None else folders
    problems = []
    for unit_id, loc in sorted(units.items()):
        parent = loc.source.unit.parent
        if parent and parent not in folders:
            problems.append(loc.at("unit.yml", ("parent",), "G301",
                                   f"上级单位“{parent}”不存在：content/units/ 下没有这个目录。请填写上级单位的目录名，顶级单位留空"))
        if parent == unit_id:
            problems.append(loc.at("unit.yml", ("parent",), "G303", "上级单位不能是自己"))
    for unit_id in sorted(units):
        seen = [unit_id]
        current = units[unit_id].source.unit.parent
        while current and current in units:
            if current in seen:
                if current == unit_id and len(seen) > 1:
                    chain = " → ".join([*seen, current])
                    problems.append(units[unit_id].at("unit.yml", ("parent",), "G303",
                                                      f"上级单位形成循环：{chain}。请改正其中一个单位的 parent"))
                break
            seen.append(current)
            current = units[current].source.unit.parent
    return problems


def _maintainers(config: SiteConfig, loaded: Loaded, unit_ids: set[str]) -> Iterator[Problem]:
    """Each unit named in ``maintainers`` has a folder (G213)."""
    shown = "、".join(sorted(unit_ids)) or "（content/units/ 下还没有单位）"
    for unit_id in config.maintainers:
        if unit_id not in unit_ids:
            line, col = loaded.pos(("maintainers", unit_id))
            yield error(loaded.shown, line, col, "G213",
                        f"maintainers 里的单位“{unit_id}”不存在：content/units/ 下没有这个目录。"
                        f"请改成单位目录名，或删除这一行。可用的单位：{shown}")


def check_config(config: SiteConfig, loaded: Loaded, unit_ids: set[str] | None = None) -> list[Problem]:
    """Periods, the current period and, once the unit folders are known, the maintainers' units."""
    problems = list(_maintainers(config, loaded, unit_ids)) if unit_ids is not None else []
    ids = [p.id for p in config.periods]
    for i, p in enumerate(config.periods):
        if p.end < p.start:
            line, col = loaded.pos(("periods", i, "end"))
            problems.append(error(loaded.shown, line, col, "G305", f"时段 {p.id} 的结束日期早于开始日期"))
        if ids.index(p.id) != i:
            line, col = loaded.pos(("periods", i, "id"))
            problems.append(error(loaded.shown, line, col, "G302", f"时段编号“{p.id}”重复"))
    problems += overlapping_periods(config, loaded)
    if config.current_period not in ids:
        line, col = loaded.pos(("current_period",))
        problems.append(error(loaded.shown, line, col, "G301",
                              f"当前时段“{config.current_period}”不在 periods 里。可用：{'、'.join(ids)}"))
    return problems
