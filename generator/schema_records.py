"""The schema of what is recorded about a unit: ``compare.yml`` (三比), ``evaluations.yml``
(三评), ``rectifications.yml`` (整改台账) and ``grading.yml`` (晋位升级). Re-exported by
:mod:`generator.schema`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .schematypes import Slug, Strict, Text, f

# ---------------------------------------------------------------- compare.yml (三比)

Level = Literal["单位", "县级", "市级", "省级", "国家级"]


class Result(Strict):
    member: Slug | None = f("成员编号；集体成绩留空", "member id; empty for a team", default=None)
    result: Text = f("成绩，如一等奖", "result, e.g. first prize")
    rank: int | None = f("名次", "rank", default=None, ge=1)


class Contest(Strict):
    name: Text = f("竞赛或练兵名称", "contest name")
    date: dt.date = f("日期", "date")
    level: Level = f("级别", "level")
    organiser: Text | None = f("组织单位", "organiser", default=None)
    results: list[Result] = f("成绩", "results", default_factory=list)


class Star(Strict):
    period: Text = f("评定时段（站点配置 periods 中的编号）", "period id from site_config")
    stars: int = f("星级（1–5）", "star rating", ge=1, le=5)
    grantor: Text | None = f("评定单位", "grantor", default=None)


class Award(Strict):
    title: Text = f("荣誉名称，如服务标兵、岗位能手、青年文明号", "title of the award")
    date: dt.date = f("授予日期", "date granted")
    grantor: Text = f("授予单位", "grantor")
    level: Level = f("级别", "level")
    member: Slug | None = f("获奖成员编号；集体荣誉留空", "member id; empty for the unit", default=None)
    note: Text | None = f("说明", "note", default=None)


class Conduct(Strict):
    date: dt.date = f("日期", "date")
    kind: Literal["活动", "表扬", "投诉"] = f("类别：参加活动、受到表扬、处理投诉", "campaign, praise or complaint")
    text: Text = f("内容", "what happened")
    result: Text | None = f("处理结果", "outcome", default=None)


class CompareFile(Strict):
    """``compare.yml``: skills, conduct and results (比技能、比作风、比业绩)."""

    contests: list[Contest] = f("岗位练兵、技能比武", "contests", default_factory=list)
    conduct: list[Conduct] = f("比作风：活动、表扬、投诉", "conduct", default_factory=list)
    stars: list[Star] = f("星级窗口评定", "star ratings", default_factory=list)
    awards: list[Award] = f("荣誉", "awards", default_factory=list)
    red_flags: list[Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]] = f(
        "获得流动红旗的月份，如 '2026-03'", "months holding the rotating red flag", default_factory=list)


# ---------------------------------------------------------------- evaluations.yml (三评)

Answer = Literal["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
# How the answers were collected; settings.Surveys.channels_included says which channels contain others.
Channel = Literal["评价器", "网上评议", "意见箱", "问卷调查", "电话回访", "好差评"]


class Survey(Strict):
    period: Text = f("评议时段编号", "period id")
    channel: Channel = f("评议方式", "channel")
    member: Slug | None = f("成员编号（评价器按人记录时）；单位整体留空", "member id, when recorded per person",
                            default=None)
    counts: dict[Answer, Annotated[int, Field(ge=0)]] = f("各选项票数", "answers and their counts")
    opinions: list[Text] = f("主要意见", "main opinions", default_factory=list)


class Review(Strict):
    period: Text = f("评议时段编号", "period id")
    member: Slug = f("成员编号", "member id")
    kind: Literal["互评", "自评"] = f("党员互评或自评", "peer or self review")
    grade: Literal["优秀", "合格", "基本合格", "不合格"] = f("等次", "grade")
    score: float | None = f("得分（可选）", "score", default=None, ge=0, le=100)
    summary: Text | None = f("简要评语", "short summary", default=None)


class Comment(Strict):
    id: Slug = f("点评编号", "comment id")
    date: dt.date = f("点评日期", "date")
    leader: Text = f("点评领导姓名", "leader's name")
    leader_title: Text = f("领导职务", "leader's title")
    kind: Literal["集中点评", "个别点评", "随机点评", "现场点评"] = f("点评方式", "kind of comment")
    member: Slug | None = f("被点评成员；点评单位整体留空", "member commented on", default=None)
    achievements: Text | None = f("成绩", "achievements", default=None)
    problems: Text | None = f("问题", "problems", default=None)
    suggestions: Text | None = f("建议", "suggestions", default=None)


class EvaluationsFile(Strict):
    """``evaluations.yml``: citizens, members and leaders evaluate (三评)."""

    surveys: list[Survey] = f("群众评议结果", "citizen surveys", default_factory=list)
    reviews: list[Review] = f("党员互评、自评", "peer and self reviews", default_factory=list)
    comments: list[Comment] = f("领导点评", "leader comments", default_factory=list)


# ---------------------------------------------------------------- rectifications.yml (整改台账)


class Source(Strict):
    kind: Literal["领导点评", "群众评议", "投诉", "党员互评", "自查"] = f("问题来源", "where the problem came from")
    ref: Slug | None = f("来源编号：领导点评填点评编号，群众评议填时段编号", "comment id or period id", default=None)


class Rectification(Strict):
    id: Slug = f("整改编号", "rectification id")
    problem: Text = f("存在问题", "the problem")
    source: Source = f("问题来源", "source")
    measure: Text = f("整改措施", "the fix")
    deadline: dt.date = f("整改时限", "deadline")
    leader: Text = f("责任领导", "responsible leader")
    person: Text = f("责任人", "responsible person")
    status: Literal["未开始", "整改中", "已完成"] = f("整改状态", "status")
    closed_on: dt.date | None = f("完成日期", "date closed", default=None)
    result: Text | None = f("整改结果", "result", default=None)


class RectificationsFile(Strict):
    """``rectifications.yml``: the ledger of fixes (整改台账)."""

    rectifications: list[Rectification] = f("整改台账", "ledger", default_factory=list)


# ---------------------------------------------------------------- grading.yml (晋位升级)


class Indicators(Strict):
    leader: Text | None = f("带头人", "leader", default=None)
    ideas: Text | None = f("工作思路", "approach", default=None)
    rules: Text | None = f("工作制度", "rules", default=None)
    venue: Text | None = f("活动阵地", "venue", default=None)
    support: Text | None = f("保障机制", "support", default=None)
    results: Text | None = f("工作业绩", "results", default=None)
    opinion: Text | None = f("群众评价", "public opinion", default=None)


class Grade(Strict):
    year: int = f("年度", "year", ge=2000, le=2100)
    grade: Literal["先进", "一般", "后进"] = f("定级", "grade")
    indicators: Indicators = f("七项指标说明", "notes on the seven indicators", default_factory=Indicators)
    plan: Text | None = f("晋位升级措施", "improvement plan", default=None)


class GradingFile(Strict):
    """``grading.yml``: yearly grading of the party organisation (晋位升级)."""

    grading: list[Grade] = f("历年定级", "grades by year", default_factory=list)
