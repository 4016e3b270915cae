"""The staff commands of ``build.py``: their handlers (the argparse definitions are in :mod:`.parsers`).

``generator.cli`` calls :func:`add_parsers` and merges :data:`COMMANDS`; each
handler returns the exit status. Usage mistakes exit 2 like every command's; a
:class:`.yamlio.StaffError` becomes ``错误：…`` and exit 1; content that would not
pass ``check`` is never written (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..check import check
from ..errors import report
from ..outdir import claim_output, ensure_output, guard_write
from . import ci, codeowners, decap, edits, imports, scaffold
from .apply import ID_NAMES, apply_changes, describe, valid_id, write_atomic
from .parsers import add_parsers
from .yamlio import StaffError

MAX_SHOWN = 30  # rows listed when an import fails; the rest are counted
__all__ = ["COMMANDS", "add_parsers"]


def today() -> dt.date:
    """Today in China (UTC+8)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


def date(text: str | None, what: str = "日期") -> dt.date:
    if not text:
        return today()
    try:
        return dt.date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        raise StaffError(f"{what}“{text}”格式不对，请写成 2026-07-01 这样的年-月-日", "G707") from None


def _save(args: argparse.Namespace, changes: dict[Path, str], note: str = "") -> int:
    outcome = apply_changes(args.root, changes)
    if note and outcome.ok:
        print(note)
    print("\n".join(describe(outcome, args.root.resolve())))
    return 0 if outcome.ok else 1


def _values(args: argparse.Namespace, names: list[str]) -> dict[str, Any]:
    return {name: getattr(args, name, None) or None for name in names}


def _new(args: argparse.Namespace) -> int:
    root = args.root
    if args.what == "unit":
        values = {"name": args.name, "short_name": args.short_name, "parent": args.parent, "kind": args.kind}
        changes = scaffold.new_unit(root, args.unit, values)
        if args.maintainer:  # the list is the office's (site_config.yml), not the unit's own file
            changes |= scaffold.add_maintainers(root, args.unit, args.maintainer)
        done = _save(args, changes, f"新单位目录：content/units/{args.unit}/")
        return _refresh_codeowners(args) if done == 0 and args.maintainer else done
    if args.what == "member":
        values = _values(args, ["id", "name", "photo", "post", "title", "political_status", "badge", "card_no",
                                "work_phone"]) | {"consent": bool(args.consent)}
        new_id, changes = scaffold.new_member(root, args.unit, values)
        return _save(args, changes, f"新成员编号：{new_id}")
    if args.what == "pledge":
        values = _values(args, ["id", "member", "kind", "topic", "text", "target", "status"])
        values |= {"form": args.form or ("个人承诺" if args.member else "集体承诺"),
                   "made": date(args.made, "提出日期"), "due": date(args.due, "完成期限")}
        new_id, changes = scaffold.new_pledge(root, args.unit, values)
        return _save(args, changes, f"新承诺编号：{new_id}")
    if args.what == "comment":
        values = _values(args, ["id", "leader", "leader_title", "kind", "member", "achievements", "problems",
                                "suggestions"]) | {"date": date(args.date, "点评日期")}
        new_id, changes = scaffold.new_comment(root, args.unit, values)
        return _save(args, changes, f"新点评编号：{new_id}")
    values = _values(args, ["id", "problem", "measure", "leader", "person", "status"])
    values |= {"deadline": date(args.deadline, "整改时限"), "source": {"kind": args.source, "ref": args.ref}}
    new_id, changes = scaffold.new_rectification(root, args.unit, values)
    return _save(args, changes, f"新整改编号：{new_id}")


def _fulfil(args: argparse.Namespace) -> int:
    return _save(args, edits.fulfil(args.root, args.unit, args.pledge, date=date(args.date), evidence=args.evidence,
                                    event=args.event, link=args.link, outcome=args.outcome))


def _progress(args: argparse.Namespace) -> int:
    return _save(args, edits.progress(args.root, args.unit, args.pledge, date=date(args.date), event=args.event,
                                      evidence=args.evidence, link=args.link))


def _rate(args: argparse.Namespace) -> int:
    return _save(args, edits.rate(args.root, args.unit, args.pledge, outcome=args.outcome))


def _withdraw(args: argparse.Namespace) -> int:
    return _save(args, edits.withdraw(args.root, args.unit, args.pledge, date=date(args.date), reason=args.reason))


def _close(args: argparse.Namespace) -> int:
    return _save(args, edits.close(args.root, args.unit, args.rectification, date=date(args.date), result=args.result))


def _site(args: argparse.Namespace) -> Any:
    result = check(args.root)
    if result.site is None:
        print(report(result.problems))
        print("现有内容有错误，请先按上面的提示改正，再运行这个命令。", file=sys.stderr)
    return result.site


def _import(args: argparse.Namespace, run: Callable[..., tuple[dict[Path, str], list[str]]], **kw: Any) -> int:
    site = _site(args)
    if site is None:
        return 1
    try:
        changes, summary = run(args.root, site, args.file, unit_id=args.unit, period_id=args.period,
                               replace=args.replace, sheet=args.sheet, **kw)
    except imports.ImportFailed as failed:
        if failed.notes:
            print("\n".join(failed.notes))
        shown = sorted(failed.problems)
        print("\n".join(p.format() for p in shown[:MAX_SHOWN]))
        if len(shown) > MAX_SHOWN:
            print(f"……另有 {len(shown) - MAX_SHOWN} 处错误未列出（多半与上面同类）。")
        print(f"错误：{failed}", file=sys.stderr)
        return 1
    return _save(args, changes, "\n".join(summary))


def _import_survey(args: argparse.Namespace) -> int:
    return _import(args, imports.import_survey, channel=args.channel)


def _import_reviews(args: argparse.Namespace) -> int:
    return _import(args, imports.import_reviews, kind=args.kind)


def _codeowners(args: argparse.Namespace) -> int:
    site = _site(args)
    if site is None:
        return 1
    files = codeowners.render(site, args.office)
    root = args.root.resolve()
    if args.check:
        old = codeowners.stale(root, files)
        for path in old:
            print(f"{path} 不是最新的。请运行 python build.py codeowners --office … --write 并提交 (G709)")
        return 1 if old else 0
    for path, text in files.items():
        if args.write:
            write_atomic(guard_write(root / path, root), text)
            print(f"已写入 {path}")
        else:
            print(f"# ---- {path}\n{text}")
    return 0


def _refresh_codeowners(args: argparse.Namespace) -> int:
    """New maintainers count only once CODEOWNERS names them: regenerate it, or say how."""
    office = codeowners.office_in(args.root)
    if not office:
        print("已填写本单位维护人，但还没有 CODEOWNERS。请运行 python build.py codeowners --office @组织部门账号 "
              "--write，把生成的 .github/CODEOWNERS 和 .gitea/CODEOWNERS 一起提交，维护人才能审核本单位的修改。")
        return 0
    args.office, args.check, args.write = office, False, True
    print(f"已按新维护人重新生成 CODEOWNERS（组织部门账号沿用 {' '.join(office)}），请一起提交：")
    return _codeowners(args)


def _ci_templates(args: argparse.Namespace) -> int:
    out = getattr(args, "out", None) or args.root
    for path in ci.write_templates(out, args.platform or list(ci.TARGETS), args.root, force=args.force):
        print(f"已写入 {path}")
    print("另见 docs/staff-workflow.md（流程）和 docs/hosting.md（境内托管、备案）。")
    return 0


def _admin_fetch(args: argparse.Namespace) -> int:
    folder = decap.fetch(args.root.resolve())
    print(f"Decap CMS {decap.VERSION} 已就绪：{folder}。重新生成网站后可在 /admin/ 使用网页编辑器。")
    return 0


def _admin(args: argparse.Namespace) -> int:
    out = claim_output(getattr(args, "out", None) or args.root / "site", args.root)
    site = _site(args)
    if site is None:
        return 1
    files = decap.admin_files(site, os.environ)
    ensure_output(out)
    for name, content in files.items():
        path = guard_write(out / name, out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if "admin/decap-cms.js" not in files:
        print("提示：还没有 Decap CMS 的程序文件，/admin/ 会显示说明。请先运行 python build.py admin-fetch")
    print(f"已写入 {len(files)} 个文件到 {out / 'admin'}")
    return 0


def _ids_checked(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Refuse a malformed id argument as wrong usage (exit 2) before anything is read or written."""

    def run(args: argparse.Namespace) -> int:
        try:
            for name, what in ID_NAMES.items():
                value = getattr(args, name, None)
                if value is not None:
                    valid_id(value, what)
        except StaffError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        return handler(args)

    return run


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {name: _ids_checked(handler) for name, handler in {
    "new": _new, "fulfil": _fulfil, "progress": _progress, "rate": _rate, "withdraw": _withdraw, "close": _close,
    "import-survey": _import_survey, "import-reviews": _import_reviews, "codeowners": _codeowners,
    "ci-templates": _ci_templates, "admin-fetch": _admin_fetch, "admin": _admin,
}.items()}
