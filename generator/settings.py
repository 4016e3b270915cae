"""The schema of ``site_config.yml``: settings the organising office owns."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .schema import Channel, Handle, Phone, Slug, Strict, Text, f
from .webaddress import AddressTemplate, BaseAddress

Size = Annotated[str, StringConstraints(pattern=r"^(A[0-5]|[0-9]{2,4}x[0-9]{2,4}mm)$")]


class SiteInfo(Strict):
    name: Text = f("网站名称", "site name")
    owner: Text = f("主办单位（组织部门）", "owner organisation")
    base_url: BaseAddress = f(
        "网站正式地址，以 / 结尾；二维码指向这里", "public address ending in /; QR codes point here")
    language: Literal["zh-CN"] = f("语言", "language", default="zh-CN")
    description: Text | None = f("网站简介", "description", default=None)
    icp: Text | None = f("ICP 备案号", "ICP licence number", default=None)


class Period(Strict):
    id: Slug = f("时段编号，如 2026h1", "period id, e.g. 2026h1")
    name: Text = f("时段名称，如 2026年上半年", "period name")
    start: dt.date = f("开始日期", "first day")
    end: dt.date = f("结束日期", "last day")


class Targets(Strict):
    satisfaction: float = f("群众满意率目标（0–1）", "satisfaction target", default=0.9, ge=0, le=1)
    fulfilment: float = f("践诺率目标（0–1）", "fulfilment target", default=0.9, ge=0, le=1)
    skill_ratio: float = f("岗位能手比率目标（0–1）", "skilled-member ratio target", default=0.98, ge=0, le=1)
    skill_title: Text = f("计入岗位能手比率的荣誉名称", "award title counted as skilled", default="岗位能手")
    advanced_cap: float = f("晋位升级中“先进”所占比例上限（0–1）", "cap on the share of 先进", default=0.3,
                            ge=0, le=1)


class Satisfaction(Strict):
    scale: Literal["三级", "五级"] = f("评价等级：三级（满意/基本满意/不满意）或五级（好差评）",
                                     "3-level or 5-level scale", default="三级")
    formula: Literal["满意加基本满意", "仅满意"] = f("满意率算法", "what counts as satisfied",
                                               default="满意加基本满意")


class FigureSettings(Strict):
    """How the headline figures are counted and printed (see ``generator.figures.FORMULAS``)."""

    fulfilment_base: Literal["已到期", "全年"] = f(
        "践诺率的分母：已到期（截至统计日期已到完成期限或已评定的公开承诺，各地通报的算法）或 全年（本年度全部公开承诺）",
        "denominator of 践诺率: pledges fallen due by the as-of date (default), or every pledge of the year",
        default="已到期")
    percent_decimals: int = f("百分比保留几位小数（四舍五入，如 70.5% 印为 71%）；0 为整数百分比",
                              "decimal places of printed percentages, rounded half up", default=1, ge=0, le=3)


class Surveys(Strict):
    """How survey channels relate (an export that already holds another channel's ratings)."""

    channels_included: dict[Channel, list[Channel]] = f(
        "评议方式之间的包含关系，如 {好差评: [评价器]} 表示好差评的导出已含评价器的评价；同一时段两者都有时提示重复计数",
        "channels whose results already contain other channels' (both in one period double counts)",
        default_factory=dict)


class Reminders(Strict):
    """The office's reminders view and ``build.py remind``."""

    days: int = f("提醒提前天数：列出今后多少天内到期的承诺和整改", "days ahead that reminders look",
                  default=14, ge=1, le=366)


class Publish(Strict):
    member_phone: bool = f("公开成员工作电话", "publish members' work phones", default=True)
    member_card_no: bool = f("公开服务卡号", "publish service card numbers", default=True)
    reviews: bool = f("公开党员互评等次", "publish peer-review grades", default=True)


class Privacy(Strict):
    public_numbers: list[Phone] = f("允许公开的手机号码（如单位公开的服务热线手机）",
                                    "mobile numbers that are official and may be published",
                                    default_factory=list)


class ScreenSettings(Strict):
    reload_minutes: int = f("大厅电子显示屏每隔多少分钟重新载入（取得最新内容）", "minutes between hall screen reloads",
                            default=30, ge=1, le=1440)
    slide_seconds: int = f("每一屏停留的秒数", "seconds each slide is shown", default=12, ge=5, le=120)


class Print(Strict):
    poster_size: Size = f("公示栏尺寸：A3、A2、A1 或 宽x高mm", "poster size", default="A3")
    bleed_mm: float = f("出血（毫米），印刷厂通常要求 3", "bleed in mm", default=0, ge=0, le=10)
    crop_marks: bool = f("是否加裁切线（画在出血外的留白里）", "crop marks, in a slug outside the bleed", default=False)
    pdf_variant: Literal["pdf/x-4"] | None = f(
        "PDF 版本：留空为 RGB（数码快印）；pdf/x-4 用于胶印（输出意图、文字和细线只用黑版 K）",
        "PDF variant: empty for RGB (digital printing), pdf/x-4 for offset", default=None)
    cards_per_person: bool = f(
        "为每位成员另出两份服务卡：只印本人的 A4 拼版（10 张，带背面）和单张 90×54 mm 带出血的名片",
        "also each member's own cards: an A4 sheet of ten, and one 90 x 54 mm card with bleed", default=False)
    service_guides: bool = f("为每个服务事项生成一次性告知单（A4）", "a service guide handout (A4) per service item",
                             default=False)
    hall_directory: bool = f("有下级单位（窗口）的单位另出一张窗口导引（二维码墙）", "a hall directory for units with child units",
                             default=False)
    tent_copies: int = f("印刷订单（boards --order）里每人桌牌的份数", "copies of each tent in the print order",
                         default=1, ge=1, le=100)
    cards_each: int = f("印刷订单里每人服务卡（名片）的张数", "cards for each person in the print order",
                        default=100, ge=1, le=10000)
    timeout_s: float = f("每张展板的渲染时限（CPU 秒，机器忙时不会因排队而超时）", "CPU-time limit per board",
                         default=60, gt=0, le=600)


class AsOfRange(Strict):
    earliest: dt.date = f("统计截止日期 as_of 最早可以是哪天", "earliest allowed as_of", default=dt.date(2000, 1, 1))
    years_ahead: int = f("as_of 最多可以比今天晚几年", "how many years after today as_of may lie",
                         default=1, ge=0, le=50)


class RetiredMember(Strict):
    """A member taken out of members.yml whose page must stay: printed QR codes lead there for years."""

    unit: Slug = f("原所在单位的目录名", "unit folder the member served in")
    id: Slug = f("原成员编号（网址里的那一段）", "the member's former id (part of the page address)")
    name: Text | None = f("原姓名；留空则页面不写姓名", "former name; leave out to show none", default=None)
    left_on: dt.date = f("离开本单位的日期", "date the member stopped serving there")
    moved_to: Slug | None = f("调往的单位目录名（若仍在本平台）", "unit folder the member moved to, if on this site",
                              default=None)
    note: Text | None = f("补充说明，如“已调至县政务服务中心”", "note shown on the page", default=None)


class RetiredUnit(Strict):
    """A unit folder taken out of content/units/ whose pages must stay (merged or closed)."""

    id: Slug = f("原单位目录名", "the unit's former folder name")
    name: Text = f("原单位名称", "the unit's former name")
    closed_on: dt.date = f("撤销或合并的日期", "date the unit was closed or merged")
    merged_into: Slug | None = f("并入的单位目录名；留空表示已撤销", "unit folder it was merged into; empty if closed",
                                 default=None)
    note: Text | None = f("补充说明", "note shown on the page", default=None)


class Retired(Strict):
    """Who and what left the content: each keeps a page at its old address (see README, design)."""

    members: list[RetiredMember] = f("已离开的成员", "members who left", default_factory=list)
    units: list[RetiredUnit] = f("已撤销或合并的单位", "units closed or merged", default_factory=list)


class SiteConfig(Strict):
    """``site_config.yml``: the whole site's settings."""

    site: SiteInfo = f("网站信息", "site")
    periods: list[Period] = f("评议时段（通常每半年一个）", "evaluation periods", min_length=1)
    current_period: Slug = f("当前时段编号", "current period id")
    as_of: dt.date | None = f("统计截止日期；留空为今天（或 SOURCE_DATE_EPOCH）", "as-of date", default=None)
    as_of_range: AsOfRange = f("as_of 的合理范围，超出即报错（防止把 2026 打成 2206 或 1026）",
                               "sane range of as_of: a date outside is an error", default_factory=AsOfRange)
    targets: Targets = f("目标值", "targets", default_factory=Targets)
    satisfaction: Satisfaction = f("满意率设置", "satisfaction settings", default_factory=Satisfaction)
    figures: FigureSettings = f("数字的算法与显示：践诺率分母、百分比小数位数", "how figures are counted and printed",
                                default_factory=FigureSettings)
    surveys: Surveys = f("群众评议设置", "survey settings", default_factory=Surveys)
    supervision_phone: Phone = f("监督电话", "supervision phone")
    feedback_url: AddressTemplate | None = f(
        "在线评价地址模板，可用 {unit} {member}", "online rating URL template with {unit} {member}", default=None)
    reminders: Reminders = f("到期提醒", "reminders of what falls due", default_factory=Reminders)
    publish: Publish = f("公开范围", "what is published", default_factory=Publish)
    privacy: Privacy = f("个人信息保护", "personal data", default_factory=Privacy)
    maintainers: dict[Slug, list[Handle]] = f(
        "各单位内容维护人的代码托管平台账号，如 {tax-hall: ['@qc-tax-editor']}：由此生成 CODEOWNERS，"
        "本单位成员、承诺、整改和 unit.yml 由他们审核；名单本身只由组织部门审核，不向群众公开",
        "each unit's repository accounts (unit id → ['@handle']): CODEOWNERS routes the unit's own files to them; "
        "the list itself is office-reviewed and never published", default_factory=dict)
    print: Print = f("打印设置", "print settings", default_factory=Print)
    screen: ScreenSettings = f("大厅电子显示屏", "hall screens", default_factory=ScreenSettings)
    retired: Retired = f("已离开的成员和已撤销的单位：旧二维码仍能打开说明页", "members and units removed from content",
                         default_factory=Retired)
    max_units: int = Field(default=100000, ge=1, description="单位数上限 / maximum number of units")


def as_of_date(configured: dt.date | None) -> dt.date:
    """The as-of date: the setting, else SOURCE_DATE_EPOCH, else today (UTC+8)."""
    if configured:
        return configured
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return china_today()


def china_today() -> dt.date:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
