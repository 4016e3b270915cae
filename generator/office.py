"""The organising office's commands: ``build.py remind`` and ``build.py report``.

``remind`` prints, for each maintainer account, the message to send about each of its
units' items falling due or overdue (see :mod:`generator.reminders`), and with
``--save`` writes the same as .xlsx and .csv with the maintainers' accounts (the copy
the office keeps: accounts are not published on the site).
``report`` writes the periodic report (通报) as .docx and PDF (see :mod:`generator.report`).
Both check the content first and refuse, with the problems listed, if it has errors.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .errors import GongshiError
from .errors import report as problems_report
from .model import Site
from .pipeline import Request, build


def add_parsers(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("remind", help="列出即将到期和已逾期的承诺、整改，按单位和维护人 / reminders per unit")
    r.add_argument("--days", type=int, default=None, help="提前天数；默认用 site_config 的 reminders.days / days ahead")
    r.add_argument("--unit", default=None, help="只列一个单位（单位编号）/ one unit only")
    r.add_argument("--save", type=Path, default=None, help="另存为 .xlsx 和同名 .csv（含维护人）/ also write .xlsx + .csv")
    p = sub.add_parser("report", help="生成定期通报（Word 和 PDF）/ write the periodic report as .docx and PDF")
    p.add_argument("--period", default=None, help="时段编号，默认当前时段 / period id (default: current)")
    p.add_argument("--unit", default=None, help="只通报一个单位及其下级（单位编号）/ one unit and its subtree")
    p.add_argument("--to", type=Path, default=None, help="输出目录，默认 reports/ / output folder (default: reports/)")


def _site(args: argparse.Namespace) -> Site:
    result = build(Request(args.root)).checked  # check once; figures made
    if not result.ok or result.site is None:
        print(problems_report(result.problems))
        raise GongshiError("内容有错误，未生成任何文件。请先按上面的提示改正。（G601）")
    site = result.site
    if getattr(args, "unit", None) and args.unit not in site.units:
        known = "、".join(list(site.units)[:20])
        raise GongshiError(f"--unit 期望一个单位编号（content/units/ 下的目录名），实际为“{args.unit}”，找不到。"
                           f"可用：{known}（G750）")
    if getattr(args, "period", None) and args.period not in {p.id for p in site.config.periods}:
        known = "、".join(p.id for p in site.config.periods)
        raise GongshiError(f"--period 期望 site_config.yml 的 periods 中的编号，实际为“{args.period}”。可用：{known}（G751）")
    return site


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise GongshiError(f"无法写入 {path}：{exc.strerror}。请检查目录是否存在、是否有写权限。（G753）") from None


def remind(args: argparse.Namespace) -> int:
    from .ledgers import reminder_ledger
    from .reminders import by_maintainer, message, reminders
    from .xlsx import ledger_csv, workbook

    if args.days is not None and not 0 <= args.days <= 366:
        raise GongshiError(f"--days 期望 0 到 366 之间的天数，实际为 {args.days}。（G754）")
    site = _site(args)
    days = site.config.reminders.days if args.days is None else args.days
    items = {k: v for k, v in reminders(site, days).items() if args.unit in (None, k)}
    if not items:
        print(f"截至 {site.as_of}，没有已逾期或 {days} 天内到期的承诺和整改。")
    for account, units in by_maintainer(site, items).items():
        print(f"===== 发给 {account} =====")
        for unit_id in units:
            print(message(site, unit_id, items[unit_id], days) + "\n")
    if args.save:
        ledger = reminder_ledger(site, items, maintainers=True)
        places = site.config.figures.percent_decimals
        target = args.save.with_suffix(".xlsx")
        _write(target, workbook([ledger], site.as_of, places, f"到期提醒（截至 {site.as_of}）"))
        _write(target.with_suffix(".csv"), ledger_csv(ledger, places))
        print(f"已写入 {target} 和 {target.with_suffix('.csv')}")
    return 0


def report(args: argparse.Namespace) -> int:
    from .report import build_report
    from .report_docx import report_docx
    from .report_pdf import report_pdf

    site = _site(args)
    data = build_report(site, args.period, args.unit)
    period = args.period or site.period.id
    stem = f"report-{period}" + (f"-{args.unit}" if args.unit else "")
    folder = args.to or args.root / "reports"
    docx_path, pdf_path = folder / f"{stem}.docx", folder / f"{stem}.pdf"
    _write(docx_path, report_docx(data, site.as_of))
    print(f"已写入 {docx_path}（可用 Word 或 WPS 编辑）")
    _write(pdf_path, report_pdf(data, site.as_of))
    print(f"已写入 {pdf_path}")
    return 0


COMMANDS = {"remind": remind, "report": report}
