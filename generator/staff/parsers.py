"""Argparse definitions of the staff commands (help in Chinese and English); handlers are in :mod:`.commands`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    return parser


def _add_new(sub: Any) -> None:
    new = _parser(sub, "new", "新建单位、成员、承诺、领导点评或整改（写入有中文注释的 YAML）/ scaffold content")
    what = new.add_subparsers(dest="what", metavar="类型 kind", required=True)
    _add_new_people(what)
    _add_new_records(what)


def _add_new_people(what: Any) -> None:
    u = _parser(what, "unit", "新建单位目录 / a new unit folder")
    u.add_argument("unit", help="单位编号（目录名，如 tax-hall）/ unit id")
    u.add_argument("--name", required=True, help="单位全称 / full name")
    u.add_argument("--kind", required=True, help="单位类型：主管部门、行政服务中心、办事大厅、服务窗口、医院、学校、营业厅、其他")
    u.add_argument("--parent", help="上级单位编号 / parent unit id")
    u.add_argument("--short-name", help="简称 / short name")
    u.add_argument("--maintainer", action="append", default=[], help="本单位维护人账号，写入 site_config.yml 的 maintainers，可多次 / editor account (repeatable)")
    m = _parser(what, "member", "添加成员到 members.yml / add a member")
    m.add_argument("unit", help="单位编号 / unit id")
    for flag, text in [("--id", "成员编号，如 zhang-wei"), ("--name", "姓名"), ("--post", "岗位或窗口"),
                       ("--political-status", "政治面貌：中共党员、预备党员、共青团员、群众、民主党派")]:
        m.add_argument(flag, required=True, help=text)
    for flag, text in [("--title", "职务"), ("--badge", "党员岗位称号"), ("--card-no", "服务卡号"),
                       ("--work-phone", "工作电话（座机）"), ("--photo", "照片，如 photos/zhang-wei.jpg")]:
        m.add_argument(flag, help=text)
    m.add_argument("--consent", action="store_true", help="本人已同意公开 / consents to publication")


def _add_new_records(what: Any) -> None:
    p = _parser(what, "pledge", "添加承诺到 pledges.yml / add a pledge")
    p.add_argument("unit", help="单位编号 / unit id")
    p.add_argument("--member", help="承诺人成员编号；党组织承诺不填 / member id, empty for the organisation")
    p.add_argument("--text", required=True, help="承诺内容 / the pledge")
    p.add_argument("--topic", required=True, help="主题：带头学习提高、带头争创佳绩、带头服务群众、带头遵纪守法、带头弘扬正气、服务承诺")
    p.add_argument("--due", required=True, help="完成期限 YYYY-MM-DD / due date")
    p.add_argument("--kind", default="年度承诺", help="年度承诺（默认）或 即时承诺")
    p.add_argument("--form", help="个人承诺、集体承诺、共同承诺（默认：有承诺人为个人承诺，否则集体承诺）")
    p.add_argument("--target", help="可衡量的目标 / measurable target")
    p.add_argument("--made", help="提出日期，默认今天 / date made (default today)")
    p.add_argument("--status", default="已公开", help="状态，默认“已公开”；支部尚未审核的填“提出” / status")
    p.add_argument("--id", help="承诺编号，默认自动生成 / pledge id (default: generated)")
    c = _parser(what, "comment", "添加领导点评到 evaluations.yml / add a leader's comment")
    c.add_argument("unit", help="单位编号 / unit id")
    for flag, text in [("--leader", "点评领导姓名"), ("--leader-title", "领导职务"), ("--kind", "集中点评、个别点评、随机点评、现场点评")]:
        c.add_argument(flag, required=True, help=text)
    for flag, text in [("--date", "点评日期，默认今天"), ("--member", "被点评成员编号；点评单位整体不填"), ("--achievements", "成绩"),
                       ("--problems", "问题"), ("--suggestions", "建议"), ("--id", "点评编号，默认自动生成")]:
        c.add_argument(flag, help=text)
    r = _parser(what, "rectification", "添加整改到 rectifications.yml / add a rectification")
    r.add_argument("unit", help="单位编号 / unit id")
    for flag, text in [("--problem", "存在问题"), ("--measure", "整改措施"), ("--deadline", "整改时限 YYYY-MM-DD"),
                       ("--leader", "责任领导"), ("--person", "责任人"),
                       ("--source", "问题来源：领导点评、群众评议、投诉、党员互评、自查")]:
        r.add_argument(flag, required=True, help=text)
    r.add_argument("--ref", help="来源编号：领导点评填点评编号，群众评议填时段编号")
    r.add_argument("--status", default="未开始", help="未开始（默认）、整改中、已完成")
    r.add_argument("--id", help="整改编号，默认自动生成 / id (default: generated)")


def _add_edits(sub: Any) -> None:
    f = _parser(sub, "fulfil", "把承诺标记为已完成，并记下佐证 / mark a pledge fulfilled with its evidence")
    p = _parser(sub, "progress", "给承诺添加一条进展记录 / add a progress step to a pledge")
    for parser in (f, p):
        parser.add_argument("unit", help="单位编号 / unit id")
        parser.add_argument("pledge", help="承诺编号 / pledge id")
        parser.add_argument("--date", help="日期，默认今天 / date (default today)")
        parser.add_argument("--link", help="佐证链接 http(s)://… / evidence link")
    f.add_argument("--evidence", required=True, help="佐证材料说明，如“登记簿、系统统计” / evidence")
    f.add_argument("--event", help="完成情况说明 / what was done")
    f.add_argument("--outcome", help="兑现评定（已评议时）：已兑现、部分兑现、未兑现")
    p.add_argument("--event", required=True, help="进展说明 / what happened")
    p.add_argument("--evidence", help="佐证材料说明 / evidence")
    rt = _parser(sub, "rate", "记录承诺的兑现评定（评议后）/ record a pledge's rated outcome")
    rt.add_argument("unit")
    rt.add_argument("pledge")
    rt.add_argument("--outcome", required=True, help="已兑现、部分兑现、未兑现")
    w = _parser(sub, "withdraw", "撤回承诺并写明理由 / withdraw a pledge with its reason")
    w.add_argument("unit")
    w.add_argument("pledge")
    w.add_argument("--reason", required=True, help="撤回理由 / reason")
    w.add_argument("--date", help="日期，默认今天 / date")
    cl = _parser(sub, "close", "整改完成：写明结果和完成日期 / close a rectification")
    cl.add_argument("unit")
    cl.add_argument("rectification", help="整改编号 / rectification id")
    cl.add_argument("--result", required=True, help="整改结果 / result")
    cl.add_argument("--date", help="完成日期，默认今天 / date closed")


def _add_imports(sub: Any) -> None:
    s = _parser(sub, "import-survey", "导入评价器或网上问卷的导出文件（CSV/XLSX）/ import citizen survey results")
    v = _parser(sub, "import-reviews", "导入党员互评、自评结果（CSV/XLSX）/ import peer-review grades")
    for parser in (s, v):
        parser.add_argument("file", type=Path, help="导出的 .csv 或 .xlsx 文件 / the export")
        parser.add_argument("--unit", required=True, help="单位编号 / unit id")
        parser.add_argument("--sheet", help="Excel 工作表名称，默认第一个 / sheet name")
        parser.add_argument("--replace", action="store_true", help="覆盖已有的同一时段结果 / replace existing results")
    s.add_argument("--period", help="评议时段编号，如 2026h2；文件有“月份”“评价时间”或“日期”列时可不填，"
                   "按每行的时间归入 site_config.yml 的时段 / period id (default: from each row's date)")
    v.add_argument("--period", required=True, help="评议时段编号，如 2026h2 / period id")
    s.add_argument("--channel", default="评价器", help="评议方式：评价器（默认）、网上评议、意见箱、问卷调查、电话回访、好差评")
    v.add_argument("--kind", default="互评", help="没有“类别”列时的类别：互评（默认）或 自评")


def _add_repo(sub: Any) -> None:
    co = _parser(sub, "codeowners", "根据 site_config.yml 的 maintainers 生成 CODEOWNERS / generate CODEOWNERS")
    co.add_argument("--office", action="append", default=[], help="组织部门审核账号，如 @qc-zzb/office（可多次）")
    mode = co.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="写入 .github/CODEOWNERS 和 .gitea/CODEOWNERS")
    mode.add_argument("--check", action="store_true", help="只核对文件是否最新（CI 用）/ fail if out of date")
    t = _parser(sub, "ci-templates", "写出 GitHub、Gitea、Forgejo 的 CI 工作流 / write CI workflow files")
    t.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="内容仓库目录，默认当前项目 / repository folder")
    t.add_argument("--platform", action="append", default=[], help="github、gitea、forgejo（默认全部）")
    t.add_argument("--force", action="store_true",
                   help="覆盖内容与模板不同的已有工作流（会丢掉其中的改动）/ replace workflows that differ")
    _parser(sub, "admin-fetch", "从 npm 取得网页编辑器 Decap CMS 的程序文件 / fetch Decap CMS from the npm registry")
    a = _parser(sub, "admin", "把网页编辑器（/admin/）的文件写到目录 / write the /admin/ files to a folder")
    a.add_argument("--out", type=Path, default=argparse.SUPPRESS, help="输出目录，默认 site/ / output folder")


def add_parsers(sub: Any) -> None:
    """Add every staff command to the ``build.py`` subparsers."""
    _add_new(sub)
    _add_edits(sub)
    _add_imports(sub)
    _add_repo(sub)
