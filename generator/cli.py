"""The command line: ``python build.py [command] [options]``.

Every failure ends as a Chinese message and exit status 1 (content problems) or
2 (wrong usage); a Python traceback never reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .check import check
from .errors import GongshiError, report

DESCRIPTION = """\
gongshi 公示：把 content/ 里的 YAML 生成三亮三比三评公示网站和展板。
Turns the YAML under content/ into the public website and printable boards.

不带命令时依次执行 check、site、boards。
Without a command: check, then site, then boards."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="项目目录（含 site_config.yml）/ project folder (default: current)")
    parser.add_argument("--out", type=Path, default=None, help="输出目录 / output folder (default: site/)")
    sub = parser.add_subparsers(dest="command", metavar="命令 command")
    c = sub.add_parser("check", help="检查内容，列出所有问题 / validate content, list every problem")
    c.add_argument("--format", choices=["text", "github", "json"], default=None,
                   help="输出格式；在 GitHub Actions 里自动为 github / output format")
    sub.add_parser("stats", help="打印各单位的践诺率、满意率等数字 / print the figures of every unit")
    sub.add_parser("schema", help="把 JSON Schema 写到 schema/ 目录，供编辑器使用 / write JSON Schemas")
    return parser


def _check(args: argparse.Namespace) -> int:
    result = check(args.root)
    print(report(result.problems, args.format))
    return 0 if result.ok else 1


def _stats(args: argparse.Namespace) -> int:
    from .stats import table

    result = check(args.root)
    if not result.ok or result.site is None:
        print(report(result.problems))
        return 1
    print(table(result.site))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .jsonschema import write_schemas

    for path in write_schemas(args.root / "schema"):
        print(f"已写入 {path}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": _check,
    "stats": _stats,
    "schema": _schema,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        args.command = "check"
        args.format = None
    try:
        return COMMANDS[args.command](args)
    except GongshiError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: never show a traceback
        detail = json.dumps(f"{type(exc).__name__}: {exc}", ensure_ascii=False)
        print(f"内部错误（G601）：{detail}。输出目录保持原样。请把这条信息报告给维护者。", file=sys.stderr)
        return 1
