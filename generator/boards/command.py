"""``python build.py boards``: its options, and what it says; :mod:`generator.pipeline` does the work.

Kept here so :mod:`generator.cli` only registers the subcommand.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..check import CheckResult
from ..errors import Problem, report
from ..pipeline import BoardsRequest, Quiet, Request, build
from .plan import KINDS
from .run import BoardsResult


def shard_arg(text: str) -> tuple[int, int]:
    """``"2/4"`` → ``(2, 4)``."""
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise argparse.ArgumentTypeError(f"应为 I/N，且 1 ≤ I ≤ N，例如 1/4；实际为 {text!r}")
    return int(index), int(count)


def jobs_arg(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，实际为 {text!r}")
    return int(text)


def add_parser(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("boards", help="生成展板 PDF 和打印网页到 site/boards/ / build printable boards")
    b.add_argument("--out", type=Path, default=argparse.SUPPRESS,
                   help="输出目录，展板写到其中的 boards/；默认 site/ / output folder (boards go to OUT/boards/)")
    b.add_argument("--unit", default=None, help="只生成这个单位的展板（单位目录名）/ one unit only")
    b.add_argument("--kind", choices=list(KINDS), default=None,
                   help="只生成一种展板：" + "、".join(f"{k}={v}" for k, v in KINDS.items()))
    b.add_argument("--jobs", type=jobs_arg, default=None,
                   help="并行进程数，默认等于 CPU 核数 / parallel workers (default: all cores)")
    b.add_argument("--shard", type=shard_arg, default=None, metavar="I/N",
                   help="只生成第 I 份（共 N 份），供 CI 矩阵分工 / build shard I of N")
    b.add_argument("--order", action="store_true",
                   help="另写印刷订单：每个单位每种展板一个合并的 PDF，加订单表 order.csv/order.html，"
                        "在 site/order/<单位>/ / also write a print order per unit")


def _print(problems: list[Problem]) -> None:
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for p in sorted(set(problems)):
        print(p.format_github() if github else p.format())


def boards_request(args: argparse.Namespace) -> BoardsRequest:
    """The boards the ``boards`` options ask for."""
    return BoardsRequest(unit=args.unit, kind=args.kind, jobs=args.jobs, shard=args.shard or (1, 1), order=args.order)


class Console(Quiet):
    """What ``boards`` says as the pipeline goes: content errors, then the boards and orders written."""

    def checked(self, result: CheckResult) -> None:
        if not result.ok or result.site is None:
            print(report(result.problems))
            print("内容有错误，未生成任何展板；原有展板保持不变。", file=sys.stderr)

    def boards_built(self, result: BoardsResult, out: Path) -> None:
        _print(result.problems)
        rendered = len(result.boards) - len(result.cached)
        print(f"展板：{len(result.boards)} 张（新生成 {rendered} 张，{len(result.cached)} 张内容未变取自缓存），"
              f"写入 {out / 'boards'}。" + (f"删除了 {len(result.removed)} 个过期文件。" if result.removed else ""))
        if not result.ok:
            print("有展板生成失败，见上面的错误；这些展板的原有文件保持不变。", file=sys.stderr)

    def orders_written(self, written: list[Path], out: Path) -> None:
        print(f"印刷订单：{len(written)} 个文件，写入 {out / 'order'}。")


def run(args: argparse.Namespace) -> int:
    """Check once, then build; exit 2 for options that exclude each other, 1 for content errors or a failed board."""
    if args.order and (args.kind or args.shard):
        print("--order 要合并一个单位的全部展板，期望不带 --kind、--shard，实际带了"
              f"{'--kind' if args.kind else '--shard'}。请去掉它再运行（可以加 --unit）（G615）", file=sys.stderr)
        return 2
    built = build(Request(args.root, args.out, boards=boards_request(args)), Console())
    return 0 if built.ok else 1
