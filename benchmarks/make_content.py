#!/usr/bin/env python3
"""Synthetic province-scale content for benchmarks: ``make_content.py --units N --out DIR``.

Writes a complete project folder (``site_config.yml`` and ``content/units/<id>/*.yml``)
that passes ``python build.py --root DIR check`` with no error. The proportions follow
the issue ("2,000 units ≈ 30,000 members, 90,000 pledges, four periods of
evaluations") and the demo's shape: a tree province → cities → counties → halls →
windows; on average 15 members and 45 pledges a unit; unit-level surveys each period
and per-member rating-device surveys; peer and self reviews; leader comments;
rectifications that answer them; contests, conduct, stars, awards, red flags; two
years of grading. Chinese text is drawn from word lists; the output depends only on
``--units`` and ``--seed``. No photos; no pattern the privacy guard refuses (no
mobile numbers, no identity numbers, no birth dates).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

PERIODS = [
    ("2025h1", "2025年上半年", "2025-01-01", "2025-06-30"),
    ("2025h2", "2025年下半年", "2025-07-01", "2025-12-31"),
    ("2026h1", "2026年上半年", "2026-01-01", "2026-06-30"),
    ("2026h2", "2026年下半年", "2026-07-01", "2026-12-31"),
]
AS_OF = dt.date(2026, 11, 20)

# ------------------------------------------------------------------ word lists

PLACE_A = "青云安宁平丰泰河清江阳兴永长新华临定石金凤龙白桃柳松梅溪"
PLACE_B = "川阳安宁平山江河城源州水溪林原峰湖口桥"
SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
            ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
            ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
            ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
            ("唐", "tang"), ("许", "xu"), ("邓", "deng"), ("冯", "feng"), ("韩", "han"), ("曹", "cao"),
            ("彭", "peng"), ("曾", "zeng"), ("田", "tian"), ("袁", "yuan"), ("蒋", "jiang"), ("蔡", "cai")]
GIVEN = [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
         ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
         ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"),
         ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("文", "wen"), ("华", "hua"), ("建", "jian"),
         ("红", "hong"), ("玉", "yu"), ("兰", "lan"), ("英", "ying"), ("鹏", "peng"), ("宇", "yu"),
         ("晨", "chen"), ("欣", "xin"), ("雪", "xue"), ("琳", "lin"), ("浩", "hao"), ("凯", "kai"),
         ("佳", "jia"), ("慧", "hui"), ("思", "si"), ("雅", "ya"), ("海", "hai"), ("燕", "yan")]
# department of a hall: name, kind, business words for its windows and services
DEPARTMENTS = [
    ("税务局办税服务厅", "办事大厅", ["综合服务", "发票业务", "社保费", "自助办税", "咨询辅导"],
     ["新办纳税人套餐", "数电发票额度调整", "完税证明开具", "居民社保费缴纳", "税务登记信息变更"]),
    ("政务服务中心", "行政服务中心", ["综合受理", "企业开办", "不动产登记", "社保医保", "帮办代办"],
     ["企业开办一件事", "营业执照变更登记", "不动产转移登记", "社保卡补换", "个体工商户注销"]),
    ("人民医院", "医院", ["门诊服务", "住院结算", "医保报销", "检验报告", "预约诊疗"],
     ["门诊预约挂号", "出院结算", "异地就医备案", "病历复印", "检验报告查询"]),
    ("供电公司营业厅", "营业厅", ["业扩报装", "电费缴纳", "故障报修", "新能源接入"],
     ["低压居民用电报装", "电费发票开具", "光伏并网申请", "用电过户", "充电桩报装"]),
    ("人力资源和社会保障局服务大厅", "办事大厅", ["就业登记", "养老保险", "失业保险", "劳动维权"],
     ["就业失业登记", "养老保险关系转移接续", "失业保险金申领", "职业技能补贴申领", "劳动争议调解"]),
    ("公安局户政出入境大厅", "办事大厅", ["户籍业务", "居民身份证", "出入境证件", "居住证"],
     ["户口迁移", "居民身份证换领", "普通护照申领", "居住证申领", "临时身份证明开具"]),
    ("第一中学", "学校", ["招生咨询", "学籍管理", "资助服务"],
     ["新生入学登记", "学籍转出", "家庭经济困难学生资助申请", "毕业证明补办"]),
    ("自来水公司营业厅", "营业厅", ["用水报装", "水费缴纳", "管网维修"],
     ["居民用水报装", "水表迁移", "水费缴纳", "用水过户"]),
    ("医疗保障局服务大厅", "办事大厅", ["参保登记", "医保报销", "门诊慢特病"],
     ["城乡居民医保参保登记", "零星医疗费用报销", "门诊慢特病认定", "医保关系转移接续"]),
    ("市场监督管理局登记窗口", "办事大厅", ["企业登记", "食品许可", "投诉举报"],
     ["公司设立登记", "食品经营许可", "消费投诉受理", "个体工商户登记"]),
]
REGIMES = [
    ("首问负责制", "群众咨询或办事，首位接待的工作人员负责解答或引导到位，不得推诿。"),
    ("一次性告知制", "资料不全的，一次性告知需补正的全部材料，并出具书面告知单。"),
    ("限时办结制", "即办事项当场办结；承诺件在承诺时限内办结，超时自动提醒。"),
    ("服务承诺制", "延时服务、预约服务、“最多跑一次”清单事项全部兑现，公开接受监督。"),
    ("责任追究制", "群众投诉查实的，按规定追究责任并公开整改结果。"),
    ("效能公示制", "每月公示办件量、按时办结率和群众满意率。"),
    ("AB岗工作制", "主办人员不在岗时由备岗人员顶岗，确保窗口不空岗、业务不断档。"),
]
PHRASES = ["您好，请问办理什么业务？", "请您稍等，马上为您办理。", "您的材料齐全，今天就能办好。",
           "这项业务可以在网上办，我教您操作。", "不好意思，让您久等了。", "请慢走，欢迎对我们的服务提出意见。",
           "还差一份材料，我把清单写给您。", "这个问题我马上帮您联系相关窗口。"]
DUTIES = ["受理、审核并办理本窗口服务事项", "提供政策咨询和办事指引", "落实首问负责和一次性告知",
          "做好延时、预约和上门服务", "收集群众意见并跟踪整改", "维护窗口秩序和服务环境",
          "开展帮办代办和适老化服务", "配合做好效能监督和好差评回访"]
TITLES = ["窗口负责人", "业务骨干", "综合受理员", "审核员", "导办员", "副主任", "主任、党支部书记", "科员"]
BRANDS = ["青年文明号", "巾帼文明岗", "工人先锋号", "党员先锋示范岗", "五星级窗口", "群众满意窗口"]
TOPIC_TEXT = {
    "带头学习提高": ["系统学习本岗位业务政策，每季度在支部作一次业务分享", "参加业务能力培训并通过考试",
                   "学习新修订的办事指南，做到窗口政策解答零差错"],
    "带头争创佳绩": ["本岗位办件按时办结率保持100%", "参加岗位练兵比武并争取名次", "所办业务差错率控制在千分之一以内"],
    "带头服务群众": ["为行动不便的群众提供上门或帮办代办服务", "对老年人办事全程陪同指导", "征期、高峰期主动延时服务"],
    "带头遵纪守法": ["严守廉洁纪律，不收受服务对象任何礼品礼金", "严格按法定程序办理，全年零违规", "遵守窗口考勤和服务规范"],
    "带头弘扬正气": ["主动参加志愿服务活动", "带头制止和纠正窗口不文明现象", "结对帮扶困难群众"],
    "服务承诺": ["即办件当场办结，承诺件提前办结", "推行“一窗受理、集成服务”，群众最多跑一次",
              "每周六上午开设预约服务", "好差评差评一个工作日内回访、十五个工作日内整改"],
}
TARGETS = ["全年不少于{n}次", "按时办结率100%", "差错{n}件以内", "群众满意率不低于95%", "服务不少于{n}人次",
           "投诉0件", "全年{n}个工作日延时服务"]
EVENTS = ["已完成第{n}次", "累计服务{n}人次", "按计划推进，完成进度{p}%", "阶段目标完成，群众反映良好",
          "支部检查，进展符合要求", "已提交佐证材料"]
EVIDENCE = ["窗口服务台账", "业务系统统计", "支部会议记录", "服务对象签字确认单", "培训签到表", None, None]
OPINIONS = ["希望增加周末预约服务", "大厅指引标识清楚", "工作人员态度热情", "高峰期排队时间偏长",
            "网上办理流程还可以简化", "自助终端偶尔故障", "延时服务很贴心", "希望提供更多停车位"]
LEADER_TITLES = ["局长", "党组书记", "主任", "分管副局长", "纪检组长", "院长", "总经理"]
ACHIEVEMENTS = ["窗口服务规范，群众满意率保持较高水平", "延时和上门服务受到群众好评", "承诺事项推进有力，台账清楚",
                "练兵比武取得好成绩", "好差评差评全部按时回访整改"]
PROBLEMS = ["高峰期排队时间偏长", "个别人员政策解答不够准确", "自助设备故障处置不及时", "一次性告知执行不够到位",
            "承诺事项佐证材料不完整", "网上办理引导不足"]
SUGGESTIONS = ["增设高峰期弹性窗口", "加强业务培训和考核", "建立设备巡检制度", "推行预约服务",
               "完善承诺台账和佐证管理", "加强网上办理辅导"]
MEASURES = ["增设弹性窗口，高峰期全员上岗", "每月组织一次政策培训和测试", "每日开厅前巡检设备，故障30分钟内响应",
            "开通电话和网上预约", "建立承诺事项佐证清单", "在大厅设网上办理辅导专区"]
CONTESTS = ["岗位练兵", "业务技能比武", "服务礼仪竞赛", "政策知识竞赛", "应急处置演练比赛"]
RESULTS = ["一等奖", "二等奖", "三等奖", "优秀奖"]
CONDUCT = [("活动", "开展“便民服务月”活动，推出延时、预约和上门服务"), ("活动", "参加“清廉窗口”创建活动"),
           ("表扬", "服务对象送来锦旗，感谢窗口工作人员耐心细致"), ("表扬", "上级部门通报表扬窗口服务规范"),
           ("投诉", "群众反映高峰期等候时间长"), ("投诉", "群众反映电话咨询无人接听")]
AWARD_TITLES = ["岗位能手", "服务标兵", "岗位明星", "优秀共产党员", "青年文明号", "巾帼文明岗"]
GRADE_NOTES = {"leader": "支部书记带头坐班，党员亮牌上岗", "ideas": "党建与业务工作一体推进",
               "rules": "首问负责、限时办结等制度落实到位", "venue": "大厅设党员先锋岗和党员活动角",
               "support": "上级保障延时服务和上门服务经费", "results": "办件按时办结率保持100%",
               "opinion": "群众满意率保持在95%以上"}

# ------------------------------------------------------------------ YAML writing

_PLAIN = re.compile(r"^[\u4e00-\u9fff\u3000-\u303f\uff00-\uffefA-Za-z][^:#\n'\"{}\[\]|>&*!%@`]*$")


def scalar(value: Any) -> str:
    """A YAML scalar: numbers and dates plain, text plain when safe, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text not in {"true", "false", "null", "yes", "no", "on", "off"} \
            and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def emit(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for dicts and lists (list items indented under their key)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                if not item:
                    lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
                    continue
                lines.append(f"{pad}{key}:")
                lines += emit(item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                inner = emit(item, indent + 2)
                inner[0] = f"{pad}- {inner[0][indent + 2:]}"
                lines += inner
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


def write_yaml(path: Path, header: str, data: dict[str, Any]) -> None:
    path.write_text(f"# {header}\n" + "\n".join(emit(data)) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ the unit tree


def level_sizes(n: int) -> list[int]:
    """How many units on each level: province, cities, counties, halls, windows."""
    wanted = [1, max(1, round(n / 170)), max(1, round(n / 17)), max(1, round(n / 4))]
    sizes = []
    left = n
    for size in wanted:
        take = min(size, left)
        sizes.append(take)
        left -= take
    sizes.append(left)
    return sizes


def place(rng: random.Random, used: set[str], suffix: str) -> str:
    for _ in range(50):
        name = rng.choice(PLACE_A) + rng.choice(PLACE_B) + suffix
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(PLACE_A)}{rng.choice(PLACE_B)}{len(used)}{suffix}"
    used.add(name)
    return name


def plan_tree(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Units in tree order, each with id, parent, level, name, kind and department."""
    sizes = level_sizes(n)
    used: set[str] = set()
    units: list[dict[str, Any]] = []
    province = {"id": "sheng", "parent": None, "level": 0, "name": "中共江源省委组织部",
                "short": "省委组织部", "kind": "主管部门", "dept": None, "place": "江源省"}
    units.append(province)
    levels: list[list[dict[str, Any]]] = [[province]]
    for level, (prefix, size) in enumerate(zip(["city", "county", "hall", "win"], sizes[1:], strict=True), 1):
        row = []
        parents = levels[-1]
        for i in range(size):
            parent = parents[i % len(parents)] if level < 4 else rng.choice(parents)
            unit: dict[str, Any] = {"id": f"{prefix}-{i + 1:04d}", "parent": parent["id"], "level": level}
            if level == 1:
                unit["place"] = place(rng, used, "市")
                unit.update(name=f"中共{unit['place']}委组织部", short=f"{unit['place']}委组织部", kind="主管部门",
                            dept=None)
            elif level == 2:
                unit["place"] = place(rng, used, "县")
                unit.update(name=f"{parent['place']}{unit['place']}委组织部", short=f"{unit['place']}委组织部",
                            kind="主管部门", dept=None)
            elif level == 3:
                dept = DEPARTMENTS[rng.randrange(len(DEPARTMENTS))]
                unit.update(place=parent["place"], dept=dept, kind=dept[1],
                            name=f"{parent['place']}{dept[0]}", short=f"{parent['place']}{dept[0][:4]}")
            else:
                dept = parent["dept"]
                window = len([u for u in row if u["parent"] == parent["id"]]) + 1
                business = rng.choice(dept[2])
                unit.update(place=parent["place"], dept=dept, kind="服务窗口",
                            name=f"{parent['name']}{business}窗口（{window}号）",
                            short=f"{parent['short']}{window}号窗口")
            row.append(unit)
        if row:
            levels.append(row)
    for row in levels[1:]:
        units += row
    return units


# ------------------------------------------------------------------ one unit


class UnitMaker:
    """Makes the seven files of one unit from a seeded random generator."""

    def __init__(self, info: dict[str, Any], rng: random.Random, serial: int):
        self.info = info
        self.rng = rng
        self.serial = serial  # keeps phones and card numbers unique and landline-shaped
        self.members: list[dict[str, Any]] = []
        self.comment_ids: list[str] = []

    def phone(self, extra: int) -> str:
        """A landline: area code and eight digits (never mobile-shaped)."""
        return f"0{830 + self.serial % 60}-{(self.serial * 100 + extra) % 80000000 + 12000000}"

    def date(self, start: dt.date, end: dt.date) -> dt.date:
        days = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(days, 0)))

    def service(self, i: int) -> dict[str, Any]:
        rng = self.rng
        dept = self.info["dept"] or DEPARTMENTS[self.serial % len(DEPARTMENTS)]
        name = rng.choice(dept[3])
        legal = rng.choice(["即办", 3, 5, 10, 15, 20])
        promised: Any = "即办" if legal == "即办" else rng.choice(["即办", max(1, legal // 2), legal])
        service: dict[str, Any] = {
            "id": f"s{i + 1:02d}", "name": name, "code": f"JY-{self.serial:05d}-{i + 1:02d}",
            "implementer": self.info["name"], "applicants": rng.choice(["本辖区居民", "企业和个体工商户",
                                                                       "参保人员", "有需要的群众"]),
            "conditions": [rng.choice(["材料齐全、符合法定形式", "已完成前置登记", "本人或委托代理人办理"])],
            "materials": [
                {"name": "申请人身份证件", "form": "原件", "note": "现场核验"},
                {"name": rng.choice(["申请表", "授权委托书", "相关证明材料", "业务申请单"]),
                 "form": rng.choice(["原件", "复印件", "电子件"]), "copies": rng.randint(1, 2)},
            ],
            "steps": ["窗口或网上提交申请", "工作人员审核材料", rng.choice(["当场办结", "办结后短信通知领取", "邮寄送达"])],
            "legal_limit": legal, "promised_limit": promised, "fee": "不收费",
            "basis": [rng.choice(["《中华人民共和国行政许可法》", "《优化营商环境条例》", "《政务服务“好差评”制度》",
                                  "本行业服务规范"])],
            "window": f"{rng.randint(1, 12)}号窗口", "visits": rng.choice([0, 0, 1]),
            "modes": sorted(set(rng.sample(["一站式", "预约", "延时", "代办", "上门", "网上办理", "邮寄", "自助"], 2))),
            "consult_phone": self.phone(i + 1),
        }
        return service

    def unit_file(self) -> dict[str, Any]:
        rng, info = self.rng, self.info
        data: dict[str, Any] = {"name": info["name"], "short_name": info["short"]}
        if info["parent"]:
            data["parent"] = info["parent"]
        secretary = self.members[0]["name"] if self.members else "王伟"
        data.update({
            "kind": info["kind"],
            "description": f"{info['name']}设服务窗口{rng.randint(2, 12)}个，推行一窗受理、限时办结，"
                           f"全年办件约{rng.randint(2, 90)}千件。",
            "address": f"{info['place']}{rng.choice(['建设路', '人民路', '解放路', '滨江路', '新华街'])}{rng.randint(1, 300)}号",
            "postcode": f"{600000 + self.serial % 9000 + 100:06d}",
            "hours": "周一至周五 上午9:00—12:00，下午14:00—17:30",
            "phone": self.phone(0),
            "supervision_phone": self.phone(9),
            "party_org": {"name": f"中共{info['short']}支部委员会", "kind": "党支部", "secretary": secretary},
            "brands": rng.sample(BRANDS, rng.randint(0, 2)),
            "duties": rng.sample(DUTIES, 3),
            "regimes": [{"name": n, "text": t} for n, t in rng.sample(REGIMES, rng.randint(3, 5))],
            "phrases": rng.sample(PHRASES, 4),
            "services": [self.service(i) for i in range(rng.randint(2, 6))],
        })
        return data

    def member_list(self) -> list[dict[str, Any]]:
        rng = self.rng
        seen: set[str] = set()
        count = rng.randint(6, 24)
        for i in range(count):
            sur, sur_py = rng.choice(SURNAMES)
            given = rng.sample(GIVEN, rng.choice([1, 2, 2]))
            name = sur + "".join(g for g, _ in given)
            mid = f"{sur_py}-{''.join(p for _, p in given)}"
            if mid in seen:
                mid = f"{mid}-{i + 1}"
            seen.add(mid)
            status = rng.choices(["中共党员", "预备党员", "共青团员", "群众"], [55, 5, 20, 20])[0]
            member: dict[str, Any] = {
                "id": mid, "name": name, "post": f"{rng.choice(self.info['dept'][2]) if self.info['dept'] else '综合'}岗",
                "title": TITLES[-2] if i == 0 else rng.choice(TITLES[:6]),
                "duties": rng.sample(DUTIES, 2), "political_status": status,
            }
            if status in {"中共党员", "预备党员"}:
                member["badge"] = rng.choice(["党员先锋岗", "党员示范岗", "党员责任区", "党员服务岗"])
            member.update({"card_no": f"JY-{self.serial:05d}-{i + 1:02d}", "work_phone": self.phone(i + 20),
                           "consent": rng.random() < 0.96})
            self.members.append(member)
        return self.members

    def pledge(self, pid: str, member: str | None) -> dict[str, Any]:
        rng = self.rng
        topic = rng.choice(list(TOPIC_TEXT))
        kind = rng.choices(["年度承诺", "即时承诺"], [4, 1])[0]
        made = dt.date(2026, 1, rng.randint(2, 20)) if kind == "年度承诺" else self.date(dt.date(2026, 1, 1),
                                                                                    dt.date(2026, 9, 30))
        due = rng.choice([dt.date(2026, 6, 30), dt.date(2026, 12, 31)]) if kind == "年度承诺" else \
            made + dt.timedelta(days=rng.randint(30, 150))
        status = rng.choices(["提出", "已审核", "已公开", "履行中", "已完成", "已评议", "已撤回"],
                             [2, 2, 5, 36, 18, 33, 4])[0]
        if due < AS_OF and status in {"已公开", "履行中"} and rng.random() < 0.85:
            status = rng.choice(["已完成", "已评议"])  # most pledges past due were kept: ~5 % stay overdue
        pledge: dict[str, Any] = {"id": pid}
        if member:
            pledge["member"] = member
        pledge.update({
            "kind": kind, "form": "个人承诺" if member else rng.choice(["集体承诺", "共同承诺"]), "topic": topic,
            "text": rng.choice(TOPIC_TEXT[topic]) + "。",
            "target": rng.choice(TARGETS).format(n=rng.randint(2, 40)), "made": made, "due": due, "status": status,
        })
        end = min(AS_OF, due + dt.timedelta(days=20))
        if status in {"已完成", "已评议"}:
            pledge["outcome"] = rng.choices(["已兑现", "部分兑现", "未兑现"], [80, 15, 5])[0] \
                if status == "已评议" or rng.random() < 0.5 else None
            if pledge["outcome"] is None:
                del pledge["outcome"]
            pledge["completed_on"] = self.date(made, end)
        if status == "已撤回":
            pledge["withdrawn_reason"] = rng.choice(["岗位调整，承诺由接任人员重新提出", "上级政策调整，事项取消"])
        steps = []
        for _ in range(rng.randint(0, 3)):
            step: dict[str, Any] = {"date": self.date(made, end),
                                    "event": rng.choice(EVENTS).format(n=rng.randint(2, 900), p=rng.randint(20, 95))}
            evidence = rng.choice(EVIDENCE)
            if evidence:
                step["evidence"] = evidence
            steps.append(step)
        if steps:
            pledge["timeline"] = sorted(steps, key=lambda s: s["date"])
        return pledge

    def pledge_list(self) -> list[dict[str, Any]]:
        rng = self.rng
        pledges = [self.pledge(f"2026-org-{i + 1:02d}", None) for i in range(rng.randint(2, 4))]
        for m in self.members:
            for j in range(rng.choice([2, 3, 3, 3, 3])):
                pledges.append(self.pledge(f"2026-{m['id']}-{j + 1:02d}", m["id"]))
        return pledges

    def counts(self, scale: int) -> dict[str, int]:
        rng = self.rng
        base = rng.randint(scale // 2, scale)
        bad = rng.random() < 0.1
        if rng.random() < 0.5:
            return {"满意": base, "基本满意": rng.randint(0, base // 20 + 1),
                    "不满意": rng.randint(0, base // (8 if bad else 150) + 1)}
        return {"非常满意": base, "满意": rng.randint(0, base // 8 + 1), "基本满意": rng.randint(0, base // 30 + 1),
                "不满意": rng.randint(0, base // (8 if bad else 200) + 1), "非常不满意": rng.randint(0, 2)}

    def evaluations(self) -> dict[str, Any]:
        rng = self.rng
        surveys: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        for pid, *_ in PERIODS:
            for channel in rng.sample(["评价器", "好差评", "问卷调查", "网上评议"], 2):
                survey: dict[str, Any] = {"period": pid, "channel": channel, "counts": self.counts(3000)}
                if rng.random() < 0.4:
                    survey["opinions"] = rng.sample(OPINIONS, rng.randint(1, 2))
                surveys.append(survey)
            for m in self.members:
                if rng.random() < 0.3:
                    surveys.append({"period": pid, "channel": "评价器", "member": m["id"], "counts": self.counts(800)})
                if m["political_status"] in {"中共党员", "预备党员"}:
                    review: dict[str, Any] = {"period": pid, "member": m["id"], "kind": "互评",
                                              "grade": rng.choices(["优秀", "合格", "基本合格", "不合格"], [35, 55, 8, 2])[0],
                                              "score": rng.randint(70, 99)}
                    reviews.append(review)
                    if rng.random() < 0.15:
                        reviews.append({"period": pid, "member": m["id"], "kind": "自评", "grade": "合格",
                                        "summary": "承诺按进度推进，继续改进服务"})
        comments = []
        for i in range(rng.randint(1, 4)):
            cid = f"c{i + 1:02d}"
            comment: dict[str, Any] = {
                "id": cid, "date": self.date(dt.date(2025, 6, 1), AS_OF),
                "leader": rng.choice(SURNAMES)[0] + rng.choice(GIVEN)[0] + rng.choice(GIVEN)[0],
                "leader_title": rng.choice(LEADER_TITLES),
                "kind": rng.choice(["集中点评", "个别点评", "随机点评", "现场点评"]),
            }
            if self.members and rng.random() < 0.3:
                comment["member"] = rng.choice(self.members)["id"]
            comment.update({"achievements": rng.choice(ACHIEVEMENTS), "problems": rng.choice(PROBLEMS),
                            "suggestions": rng.choice(SUGGESTIONS)})
            comments.append(comment)
            self.comment_ids.append(cid)
        return {"surveys": surveys, "reviews": reviews, "comments": comments}

    def rectifications(self) -> dict[str, Any]:
        rng = self.rng
        items = []
        for i in range(rng.randint(1, 4)):
            kind = rng.choice(["领导点评", "群众评议", "投诉", "自查"])
            source: dict[str, Any] = {"kind": kind}
            if kind == "领导点评":
                source["ref"] = rng.choice(self.comment_ids)
            elif kind == "群众评议":
                source["ref"] = rng.choice(PERIODS)[0]
            k = rng.randrange(len(PROBLEMS))
            status = rng.choices(["未开始", "整改中", "已完成"], [15, 35, 50])[0]
            deadline = self.date(dt.date(2026, 3, 1), dt.date(2027, 3, 31))
            item: dict[str, Any] = {
                "id": f"zg-{i + 1:02d}", "problem": PROBLEMS[k], "source": source, "measure": MEASURES[k],
                "deadline": deadline, "leader": self.members[0]["name"] if self.members else "王伟",
                "person": rng.choice(self.members)["name"] if self.members else "李明", "status": status,
            }
            if status == "已完成":
                item["closed_on"] = self.date(dt.date(2026, 1, 1), min(deadline, AS_OF))
                item["result"] = "措施已落实，回访群众表示满意"
            items.append(item)
        return {"rectifications": items}

    def compare(self) -> dict[str, Any]:
        rng = self.rng
        ids = [m["id"] for m in self.members]
        contests = []
        for _ in range(rng.randint(0, 2)):
            results = [{"member": mid, "result": rng.choice(RESULTS), "rank": rng.randint(1, 12)}
                       for mid in rng.sample(ids, min(len(ids), rng.randint(1, 3)))]
            contests.append({"name": f"全市{rng.choice(CONTESTS)}", "date": self.date(dt.date(2025, 3, 1), AS_OF),
                             "level": rng.choice(["县级", "市级", "省级"]), "organiser": "市创先争优活动领导小组办公室",
                             "results": results})
        conduct = []
        for _ in range(rng.randint(1, 3)):
            kind, text = rng.choice(CONDUCT)
            item: dict[str, Any] = {"date": self.date(dt.date(2026, 1, 1), AS_OF), "kind": kind, "text": text}
            if kind == "投诉":
                item["result"] = "当天核实处理并回访，群众表示满意"
            conduct.append(item)
        stars = [{"period": pid, "stars": rng.choices([3, 4, 5], [2, 4, 3])[0], "grantor": "市创先争优活动领导小组"}
                 for pid, *_ in PERIODS]
        awards = []
        for _ in range(rng.randint(1, 5)):
            title = rng.choice(AWARD_TITLES)
            award: dict[str, Any] = {"title": title, "date": self.date(dt.date(2024, 1, 1), AS_OF),
                                     "grantor": rng.choice(["市创先争优活动领导小组", "省总工会", "共青团市委", "县委组织部"]),
                                     "level": rng.choice(["县级", "市级", "省级"])}
            if title in {"岗位能手", "服务标兵", "岗位明星", "优秀共产党员"} and ids:
                award["member"] = rng.choice(ids)
            awards.append(award)
        flags = sorted({f"2026-{m:02d}" for m in rng.sample(range(1, 12), rng.choice([0, 0, 1, 2, 3]))})
        return {"contests": contests, "conduct": conduct, "stars": stars, "awards": awards, "red_flags": flags}

    def grading(self) -> dict[str, Any]:
        rng = self.rng
        grades = []
        for year in (2024, 2025):
            grade = rng.choices(["先进", "一般", "后进"], [22, 68, 10])[0]
            notes = dict(rng.sample(sorted(GRADE_NOTES.items()), rng.randint(2, 7)))
            grades.append({"year": year, "grade": grade, "indicators": notes,
                           "plan": rng.choice(["保持先进，推进延时和预约服务", "补齐短板，争创先进", "加强制度落实和业务培训"])})
        return {"grading": grades}

    def write(self, folder: Path) -> tuple[int, int]:
        folder.mkdir(parents=True, exist_ok=True)
        members = self.member_list()
        unit = self.unit_file()
        pledges = self.pledge_list()
        evaluations = self.evaluations()
        write_yaml(folder / "unit.yml", f"单位基本情况与服务标准（亮标准）：{self.info['name']}", unit)
        write_yaml(folder / "members.yml", "成员名单（亮身份）", {"members": members})
        write_yaml(folder / "pledges.yml", "承诺台账（亮承诺）", {"pledges": pledges})
        write_yaml(folder / "compare.yml", "三比：比技能、比作风、比业绩", self.compare())
        write_yaml(folder / "evaluations.yml", "三评：群众评议、党员互评、领导点评", evaluations)
        write_yaml(folder / "rectifications.yml", "整改台账", self.rectifications())
        write_yaml(folder / "grading.yml", "晋位升级", self.grading())
        return len(members), len(pledges)


# ------------------------------------------------------------------ the project


def site_config(n: int, tree: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "site": {"name": "江源省“三亮三比三评”公示平台（基准测试）", "owner": "中共江源省委组织部",
                 "base_url": "https://gongshi.example.cn/",
                 "description": f"合成的基准测试内容：{n} 个窗口单位。"},
        "periods": [{"id": i, "name": name, "start": s, "end": e} for i, name, s, e in PERIODS],
        "current_period": PERIODS[-1][0],
        "as_of": AS_OF,
        "targets": {"satisfaction": 0.95, "fulfilment": 0.9, "skill_ratio": 0.98, "skill_title": "岗位能手",
                    "advanced_cap": 0.3},
        "satisfaction": {"scale": "五级", "formula": "满意加基本满意"},
        "supervision_phone": "0830-12345678",
        "feedback_url": "https://gongshi.example.cn/feedback/?unit={unit}&member={member}",
        "publish": {"member_phone": True, "member_card_no": True, "reviews": True},
        "print": {"poster_size": "A3", "bleed_mm": 3, "crop_marks": True},
        "maintainers": {info["id"]: [f"@editor-{info['id']}"] for info in tree},  # who reviews each unit
    }


def make_project(root: Path, units: int, seed: int = 1) -> dict[str, int]:
    """Write the project into ``root`` (replacing its content/); returns the counts."""
    if units < 1:
        raise ValueError("units must be at least 1")
    rng = random.Random(seed)
    tree = plan_tree(units, rng)
    content = root / "content" / "units"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    write_yaml(root / "site_config.yml", "站点配置（基准测试合成内容）", site_config(units, tree))
    members = pledges = 0
    for serial, info in enumerate(tree, 1):
        maker = UnitMaker(info, random.Random(f"{seed}:{info['id']}"), serial)
        m, p = maker.write(content / info["id"])
        members += m
        pledges += p
    return {"units": len(tree), "members": members, "pledges": pledges}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, required=True, help="number of units")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    counts = make_project(args.out, args.units, args.seed)
    print(f"{args.out}: {counts['units']} units, {counts['members']} members, {counts['pledges']} pledges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
