"""The schema of what a unit says about itself: ``unit.yml`` (亮标准), ``members.yml``
(亮身份) and ``pledges.yml`` (亮承诺). Re-exported by :mod:`generator.schema`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import StringConstraints

from .schematypes import Long, Phone, Slug, Strict, Text, f

# ---------------------------------------------------------------- unit.yml (亮标准)

UnitKind = Literal["主管部门", "行政服务中心", "办事大厅", "服务窗口", "医院", "学校", "营业厅", "其他"]
Limit = int | Literal["即办"]
Mode = Literal["一站式", "预约", "延时", "代办", "上门", "网上办理", "邮寄", "自助"]


class PartyOrg(Strict):
    name: Text = f("党组织名称", "name of the party organisation")
    kind: Literal["党委", "党总支", "党支部"] = f("党组织类型", "kind of party organisation")
    secretary: Text = f("书记姓名", "secretary's name")


class Material(Strict):
    name: Text = f("材料名称", "document name")
    form: Literal["原件", "复印件", "原件和复印件", "电子件"] = f("原件或复印件", "original or copy", default="原件")
    copies: int = f("份数", "number of copies", default=1, ge=1, le=99)
    note: Text | None = f("说明", "note", default=None)


class Service(Strict):
    id: Slug = f("事项编号（小写字母、数字、连字符）", "item id (lowercase, digits, hyphens)")
    name: Text = f("事项名称", "service item name")
    code: Text | None = f("事项编码", "official item code", default=None)
    implementer: Text | None = f("实施主体", "implementing body", default=None)
    applicants: Text | None = f("申请对象（谁可以办）", "who may apply", default=None)
    conditions: list[Text] = f("办理条件", "conditions", default_factory=list)
    materials: list[Material] = f("所需材料", "required materials", default_factory=list)
    steps: list[Text] = f("办理流程", "steps", default_factory=list)
    legal_limit: Limit | None = f("法定时限：工作日数，或“即办”", "legal limit: working days or 即办", default=None)
    promised_limit: Limit | None = f("承诺时限：工作日数，或“即办”", "promised limit: working days or 即办", default=None)
    fee: Text = f("收费标准", "fee", default="不收费")
    fee_basis: Text | None = f("收费依据", "legal basis of the fee", default=None)
    basis: list[Text] = f("办理依据（法律法规）", "legal basis", default_factory=list)
    window: Text | None = f("办理窗口或地点", "window or place", default=None)
    visits: int | None = f("到现场次数", "visits the citizen must make", default=None, ge=0, le=9)
    modes: list[Mode] = f("服务方式", "service modes", default_factory=list)
    consult_phone: Phone | None = f("咨询电话", "consultation phone", default=None)


class Regime(Strict):
    name: Text = f("制度名称，如首问负责制", "name of the regime, e.g. first-asked responsibility")
    text: Long = f("制度内容（可用 Markdown）", "what it says (Markdown allowed)")


class UnitFile(Strict):
    """``content/units/<id>/unit.yml``: the unit's profile and standards (亮标准)."""

    name: Text = f("单位全称", "full name of the unit")
    short_name: Text | None = f("简称（用于桌牌、导航）", "short name for tents and navigation", default=None)
    parent: Slug | None = f("上级单位编号（目录名）；顶级单位留空", "parent unit id; empty for the top", default=None)
    kind: UnitKind = f("单位类型", "kind of unit")
    description: Long | None = f("单位简介（可用 Markdown）", "introduction (Markdown allowed)", default=None)
    address: Text | None = f("地址", "address", default=None)
    postcode: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")] | None = f(
        "邮政编码（加引号）", "postcode (quoted)", default=None)
    hours: Text | None = f("办公时间", "opening hours", default=None)
    phone: Phone | None = f("咨询电话", "enquiry phone", default=None)
    supervision_phone: Phone | None = f("监督电话；留空则用站点配置里的", "supervision phone", default=None)
    party_org: PartyOrg | None = f("党组织", "party organisation", default=None)
    brands: list[Text] = f("创建品牌，如青年文明号、巾帼文明岗", "brands such as 青年文明号", default_factory=list)
    duties: list[Text] = f("工作职责", "duties", default_factory=list)
    regimes: list[Regime] = f("服务制度（首问负责、限时办结、一次性告知等）", "regimes", default_factory=list)
    phrases: list[Text] = f("服务用语", "service phrases", default_factory=list)
    services: list[Service] = f("服务事项（办事指南）", "service items", default_factory=list)


# ---------------------------------------------------------------- members.yml (亮身份)

Political = Literal["中共党员", "预备党员", "共青团员", "群众", "民主党派"]
Badge = Literal["党员先锋岗", "党员示范岗", "党员责任区", "党员服务岗"]


class Member(Strict):
    id: Slug = f("成员编号，如 zhang-wei", "member id, e.g. zhang-wei")
    name: Annotated[str, StringConstraints(min_length=1, max_length=40)] = f("姓名", "name")
    photo: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-./]+\.(jpg|jpeg|png)$")] | None = f(
        "照片文件（放在本单位 photos/ 目录）", "photo file in the unit's photos/ folder", default=None)
    post: Text = f("岗位或窗口", "post or window")
    title: Text | None = f("职务", "job title", default=None)
    duties: list[Text] = f("岗位职责", "duties", default_factory=list)
    political_status: Political = f("政治面貌", "political status")
    badge: Badge | None = f("党员岗位称号", "post title", default=None)
    card_no: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-]{1,20}$")] | None = f(
        "服务卡号（加引号）", "service card number (quoted)", default=None)
    work_phone: Phone | None = f("工作电话（座机，不要填个人手机）", "work phone (landline)", default=None)
    consent: bool = f("本人同意公开姓名、照片、岗位；为 false 时不发布", "consents to publication", default=False)


class MembersFile(Strict):
    """``members.yml``: who serves at the unit (亮身份)."""

    members: list[Member] = f("成员列表", "members", default_factory=list)


# ---------------------------------------------------------------- pledges.yml (亮承诺)

PledgeStatus = Literal["提出", "已审核", "已公开", "履行中", "已完成", "已评议", "已撤回"]
Outcome = Literal["已兑现", "部分兑现", "未兑现"]
Topic = Literal["带头学习提高", "带头争创佳绩", "带头服务群众", "带头遵纪守法", "带头弘扬正气", "服务承诺"]


class Step(Strict):
    date: dt.date = f("日期", "date")
    event: Text = f("进展说明", "what happened")
    evidence: Text | None = f("佐证材料说明", "evidence", default=None)
    link: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = f(
        "佐证链接（http/https）", "evidence link", default=None)


class Pledge(Strict):
    id: Slug = f("承诺编号", "pledge id")
    member: Slug | None = f("承诺人（成员编号）；党组织承诺留空", "member id; empty for the organisation", default=None)
    kind: Literal["年度承诺", "即时承诺"] = f("承诺类别", "annual or ad hoc")
    form: Literal["个人承诺", "集体承诺", "共同承诺"] = f("承诺形式", "personal, collective, or joint with the public",
                                                    default="个人承诺")
    topic: Topic = f("承诺主题（五带头或服务承诺）", "topic")
    text: Long = f("承诺内容", "the pledge")
    target: Text | None = f("可衡量的目标", "measurable target", default=None)
    made: dt.date = f("提出日期", "date made")
    due: dt.date = f("完成期限", "due date")
    year: int | None = f("承诺年度；留空取提出日期的年份", "year; defaults to the year made", default=None,
                         ge=2000, le=2100)
    status: PledgeStatus = f("办理状态（进展到哪一步）", "where it stands in its life cycle")
    outcome: Outcome | None = f("兑现评定（评议后填写）；未评定留空", "how well it was kept; empty if not rated",
                                default=None)
    completed_on: dt.date | None = f("完成日期", "date completed", default=None)
    withdrawn_reason: Text | None = f("撤回理由（状态为已撤回时必填）", "reason for withdrawal", default=None)
    timeline: list[Step] = f("进展记录", "timeline", default_factory=list)


class PledgesFile(Strict):
    """``pledges.yml``: pledges of the organisation and its members (亮承诺)."""

    pledges: list[Pledge] = f("承诺列表", "pledges", default_factory=list)
