"""The organising office's commands: ``build.py remind`` and ``build.py report``.

``remind`` prints, for each maintainer account, the message to send about each of its
units' items falling due or overdue (see :mod:`generator.reminders`), and with
``--save`` writes the same as .xlsx and .csv with the maintainers' accounts (the copy
the office keeps: accounts are not published on the site).
``report`` writes the periodic report (通报) as .docx and PDF (see :mod:`generator.report`).
Both check the content first and refuse, with the problems listed, if it has errors.

Their files go where the user says, so before anything is written every target is asked of
:func:`generator.outdir.guard_named_file` (not into ``content/``, ``.git`` or a site, not
through a symlink) and an existing file is replaced only if gongshi wrote exactly those
bytes there (:data:`WRITTEN`, a record in the project's cache), if it already holds what
would be written, or with ``--force``: a report edited in Word is never silently replaced
by the next run (G755). Without the record (a cleared cache) the next run refuses rather
than guesses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .diskcache import read_sealed, write_sealed
from .errors import GongshiError
from .errors import report as problems_report
from .model import Site
from .outdir import guard_named_file
from .pipeline import Request, build

WRITTEN = Path(".cache") / "office" / "written.json"  # under the project: {file: sha256 of what gongshi wrote}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("remind", help="列出即将到期和已逾期的承诺、整改，按单位和维护人 / reminders per unit")
    r.add_argument("--days", type=int, default=None, help="提前天数；默认用 site_config 的 reminders.days / days ahead")
    r.add_argument("--unit", default=None, help="只列一个单位（单位编号）/ one unit only")
    r.add_argument("--save", type=Path, default=None, help="另存为 .xlsx 和同名 .csv（含维护人）/ also write .xlsx + .csv")
    r.add_argument("--force", action="store_true",
                   help="覆盖已有的、被改过或不是 gongshi 写的同名文件 / replace existing files")
    p = sub.add_parser("report", help="生成定期通报（Word 和 PDF）/ write the periodic report as .docx and PDF")
    p.add_argument("--period", default=None, help="时段编号，默认当前时段 / period id (default: current)")
    p.add_argument("--unit", default=None, help="只通报一个单位及其下级（单位编号）/ one unit and its subtree")
    p.add_argument("--to", type=Path, default=None, help="输出目录，默认 reports/ / output folder (default: reports/)")
    p.add_argument("--force", action="store_true",
                   help="覆盖已有的、被改过或不是 gongshi 写的同名文件 / replace existing files")


def _site(args: argparse.Namespace) -> Site:
    result = build(Request(args.root)).checked  # check once; figures made
    if not result.ok or result.site is None:
        print(problems_report(result.problems))
        codes = "、".join(sorted({p.code for p in result.problems if p.level == "error"}))
        raise GongshiError(f"内容有错误{f'（{codes}）' if codes else ''}，未生成任何文件。请先按上面的提示改正。")
    site = result.site
    if getattr(args, "unit", None) and args.unit not in site.units:
        known = "、".join(list(site.units)[:20])
        raise GongshiError(f"--unit 期望一个单位编号（content/units/ 下的目录名），实际为“{args.unit}”，找不到。"
                           f"可用：{known}（G750）")
    if getattr(args, "period", None) and args.period not in {p.id for p in site.config.periods}:
        known = "、".join(p.id for p in site.config.periods)
        raise GongshiError(f"--period 期望 site_config.yml 的 periods 中的编号，实际为“{args.period}”。可用：{known}（G751）")
    return site


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _written(root: Path) -> dict[str, str]:
    """What gongshi wrote where, as recorded by :func:`_remember`; empty if the record is missing or damaged."""
    sealed = read_sealed(root / WRITTEN)
    try:
        record = json.loads(sealed) if sealed is not None else {}
    except ValueError:
        return {}
    return {k: v for k, v in record.items() if isinstance(v, str)} if isinstance(record, dict) else {}


def _remember(root: Path, files: dict[Path, bytes]) -> None:
    record = _written(root) | {str(path): _digest(data) for path, data in files.items()}
    write_sealed(root / WRITTEN, json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def _write_all(root: Path, files: dict[Path, bytes], force: bool, other: str) -> None:
    """Write every file of ``files`` (targets from :func:`guard_named_file`), or none.

    An existing file is replaced only if it is what gongshi last wrote there, already holds
    the new bytes, or ``force``; ``other`` says how to write elsewhere instead (G755).
    """
    record = _written(root)
    for path, data in files.items():
        if force or not path.exists():
            continue
        current = _file_digest(path)
        if current is None or current not in (record.get(str(path)), _digest(data)):
            raise GongshiError(
                f"{path} 已经存在，而且不是 gongshi 上次写出的原样（可能在 Word/WPS/Excel 里改过，或不是 gongshi 写的），"
                f"没有覆盖它，也没有写出任何文件。要保留它：{other}；确认可以替换它：加 --force。（G755）")
    for path, data in files.items():
        _write(path, data)
    _remember(root, files)


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file of a fresh name, so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise GongshiError(f"无法写入 {path}：{exc.strerror}。请检查目录是否存在、是否有写权限。（G753）") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise GongshiError(f"无法写入 {path}：{exc.strerror}。请检查目录是否存在、是否有写权限。（G753）") from None


def _save_paths(save: Path, root: Path) -> tuple[Path, Path]:
    """The .xlsx and .csv ``remind --save`` writes, checked before anything is computed."""
    if save.name in ("", ".", "..") or save.is_dir():
        raise GongshiError(f"--save 期望一个文件名，例如 {save / 'reminders.xlsx'}，实际 {save} 是一个目录。（G756）")
    if save.suffix.lower() not in ("", ".xlsx", ".csv"):
        raise GongshiError(f"--save 期望以 .xlsx 结尾的文件名（同时写出同名 .csv），实际为 {save}。"
                           f"请改为 --save {save.with_suffix('.xlsx')}。（G756）")
    return (guard_named_file(save.with_suffix(".xlsx"), root), guard_named_file(save.with_suffix(".csv"), root))


def remind(args: argparse.Namespace) -> int:
    from .ledgers import reminder_ledger
    from .reminders import by_maintainer, message, reminders
    from .xlsx import ledger_csv, workbook

    if args.days is not None and not 0 <= args.days <= 366:
        raise GongshiError(f"--days 期望 0 到 366 之间的天数，实际为 {args.days}。（G754）")
    saved = _save_paths(args.save, args.root) if args.save else None  # refused before the content is read
    site = _site(args)
    days = site.config.reminders.days if args.days is None else args.days
    items = {k: v for k, v in reminders(site, days).items() if args.unit in (None, k)}
    if not items:
        print(f"截至 {site.as_of}，没有已逾期或 {days} 天内到期的承诺和整改。")
    for account, units in by_maintainer(site, items).items():
        print(f"===== 发给 {account} =====")
        for unit_id in units:
            print(message(site, unit_id, items[unit_id], days) + "\n")
    if saved:
        ledger = reminder_ledger(site, items, maintainers=True)
        places = site.config.figures.percent_decimals
        xlsx, csv = saved
        _write_all(args.root, {xlsx: workbook([ledger], site.as_of, places, f"到期提醒（截至 {site.as_of}）"),
                               csv: ledger_csv(ledger, places)}, args.force, "用 --save 换一个文件名")
        print(f"已写入 {xlsx} 和 {csv}")
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
    docx_path, pdf_path = (guard_named_file(folder / f"{stem}{ext}", args.root) for ext in (".docx", ".pdf"))
    files = {docx_path: report_docx(data, site.as_of)}
    no_pdf = None
    try:
        files[pdf_path] = report_pdf(data, site.as_of)
    except GongshiError as missing:  # G752, no Chinese font: the Word version is still written
        no_pdf = missing
    _write_all(args.root, files, args.force, "用 --to 换一个目录")
    print(f"已写入 {docx_path}（可用 Word 或 WPS 编辑）")
    if no_pdf is not None:
        raise no_pdf
    print(f"已写入 {pdf_path}")
    return 0


COMMANDS = {"remind": remind, "report": report}
