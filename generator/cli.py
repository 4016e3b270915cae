"""The command line: ``python build.py [command] [options]``.

Every failure ends as a Chinese message and exit status 1 (content problems) or
2 (wrong usage); a Python traceback never reaches the user.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__, office
from .boards import command as boards_command
from .check import CheckResult
from .errors import GongshiError, Problem, report, warning
from .history import is_shallow
from .pipeline import BoardsRequest, Built, Request, build, output_folder, page_board_links
from .qr import configure_cache
from .staff import commands as staff_commands

DESCRIPTION = """\
gongshi 公示：把 content/ 里的 YAML 生成三亮三比三评公示网站和展板。
Turns the YAML under content/ into the public website and printable boards.
新建内容仓库 / new content repository: gongshi init 目录

不带命令时依次执行 check、site、boards。
Without a command: check, then site, then boards."""


_ARGPARSE_ZH = {
    "usage: ": "用法 usage: ",
    "positional arguments": "命令 / positional arguments",
    "options": "选项 / options",
    "show this help message and exit": "显示帮助并退出 / show this help message and exit",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误 error: %(message)s\n（运行 %(prog)s --help 查看用法）\n",
    "show program's version number and exit": "显示版本并退出 / show the version and exit",
    "unrecognized arguments: %s": "无法识别的参数 unrecognized arguments: %s",
    "the following arguments are required: %s": "缺少参数 missing arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r，可选 choose from %(choices)s",
    "expected one argument": "需要一个值 expected one argument",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值 invalid %(type)s value: %(value)r",
}


OUT_HELP = "输出目录，默认 site/；只能是 gongshi 生成的、空的或新的目录 / output folder (default: site/)"


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


def _parser() -> argparse.ArgumentParser:
    argparse._ = _zh  # type: ignore[attr-defined]  # argparse's own words, in Chinese and English
    parser = argparse.ArgumentParser(
        prog=_prog(), description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"gongshi {__version__}")
    parser.add_argument("--root", type=Path, default=Path.cwd(),
                        help="项目目录（含 site_config.yml）/ project folder (default: current)")
    parser.add_argument("--out", type=Path, default=None, help=OUT_HELP)
    sub = parser.add_subparsers(dest="command", metavar="命令 command")
    c = sub.add_parser("check", help="检查内容，列出所有问题 / validate content, list every problem")
    c.add_argument("--format", choices=["text", "github", "json"], default=None,
                   help="输出格式；在 GitHub Actions 里自动为 github / output format")
    sub.add_parser("stats", help="打印各单位的践诺率、满意率等数字 / print the figures of every unit")
    sub.add_parser("schema", help="把 JSON Schema 写到 schema/ 目录，供编辑器使用 / write JSON Schemas")
    sub.add_parser("reference", help="重新生成 docs/reference.md 字段参考 / regenerate the field reference")
    st = sub.add_parser("site", help="生成公示网站到 site/ / build the website into site/")
    st.add_argument("--out", type=Path, default=argparse.SUPPRESS, help=OUT_HELP)  # also after the command
    st.add_argument("--full", action="store_true",
                    help="全部重新生成，不沿用上次未变的页面 / rebuild every page, reuse nothing")
    sv = sub.add_parser("serve", help="本地预览网站，修改内容后自动刷新 / preview with live reload")
    sv.add_argument("--port", type=_port, default=8000, help="端口 / port (default 8000)")
    sv.add_argument("--out", type=Path, default=argparse.SUPPRESS, help=OUT_HELP)
    boards_command.add_parser(sub)
    it = sub.add_parser("init", help="新建一个内容仓库（配置、示例单位、CI、README）/ start a new content repository")
    it.add_argument("dir", type=_new_folder, help="新目录（不存在或为空）/ new folder (absent or empty)")
    staff_commands.add_parsers(sub)  # new, fulfil, import-survey, codeowners, ci-templates, admin …
    office.add_parsers(sub)  # remind, report
    return parser


def _port(text: str) -> int:
    """A port the system can bind (0: one it picks), refused as wrong usage before anything is built."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应是 0 到 65535 之间的整数，实际为 {text}。例如 --port 8000")
    return port


def _new_folder(text: str) -> Path:
    """A folder that can be made: none of its parents is a file."""
    path = Path(text)
    for parent in path.absolute().parents:
        if parent.exists() and not parent.is_dir():
            raise argparse.ArgumentTypeError(f"{parent} 是一个文件，不是目录，不能在它下面新建目录 {text}。请换一个目录")
    return path


def _prog() -> str:
    """``gongshi`` when run as the installed command, else ``build.py`` (the same commands)."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "gongshi" if name.startswith("gongshi") else "build.py"


def shallow_warnings(root: Path) -> list[Problem]:
    """G732 when the project is a shallow clone: its dates would be wrong, so history is left out."""
    if not is_shallow(root):
        return []
    return [warning(".git", 1, 1, "G732",
                    "仓库是浅克隆（只取了最近的提交），单位的“最近修改”日期和承诺进展记录无法得出，本次构建不显示它们。"
                    "期望完整的 git 历史，实际只有部分提交。请取完整历史：CI 里给 actions/checkout 设 fetch-depth: 0，"
                    "本地运行 git fetch --unshallow")]


def _check(args: argparse.Namespace) -> int:
    built = build(Request(args.root))
    print(report(built.checked.problems + shallow_warnings(args.root), args.format))
    return 0 if built.ok else 1


def _stats(args: argparse.Namespace) -> int:
    from .stats import table

    built = build(Request(args.root))
    if not built.ok or built.checked.site is None:
        print(report(built.checked.problems))
        return 1
    print(table(built.checked.site))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .jsonschema import write_schemas

    for path in write_schemas(args.root / "schema"):
        print(f"已写入 {path}")
    return 0


class Console(boards_command.Console):
    """What a site build says: the check in one line, the site built, then the boards as ``boards`` says them."""

    def __init__(self, root: Path):
        self.root = root

    def checked(self, result: CheckResult) -> None:
        if not result.ok or result.site is None:
            print(report(result.problems))
            print("内容有错误，未生成任何文件；原有输出保持不变。", file=sys.stderr)
            return
        warnings = [p for p in result.problems if p.level == "warning"]
        if warnings:
            print(f"检查通过，有 {len(warnings)} 个警告（运行 {_prog()} check 查看）。")
        for problem in shallow_warnings(self.root):
            print(problem.format(), file=sys.stderr)

    def site_built(self, built: Built, out: Path) -> None:
        done, checked = built.site, built.checked_s
        if done is None:  # not asked for
            return
        print(f"网站已生成：{out}（{done.pages} 个页面：新生成 {done.rendered}，沿用未变的 {done.reused}；"
              f"检查 {checked:.1f} 秒，{checked + done.publish_s:.1f} 秒后发布）。搜索索引{SEARCH_STATES[done.search]}"
              f"{f'（{done.search_s:.1f} 秒）' if done.search == 'later' else ''}。预览：{_prog()} serve")


SEARCH_STATES = {"built": "已重建", "unchanged": "无需更新", "later": "在网页发布后已更新", "behind": "待下次生成时更新",
                 "superseded": "待下次生成时更新"}
board_links = page_board_links  # the name benchmarks/stages.py uses, for any checkout it measures


def _site(args: argparse.Namespace) -> int:
    """``site``: check once, then build the website."""
    request = Request(args.root, args.out, site=True, full=getattr(args, "full", False))
    return 0 if build(request, Console(args.root)).ok else 1


def _all(args: argparse.Namespace) -> int:
    """No command: check once, then the site, then every board (each stage only if the one before succeeded)."""
    request = Request(args.root, args.out, site=True, boards=BoardsRequest())
    return 0 if build(request, Console(args.root)).ok else 1


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.root, output_folder(Request(args.root, args.out, site=True)), args.port)


def _init(args: argparse.Namespace) -> int:
    from .staff.newrepo import init_repository

    written = init_repository(args.dir)
    print(f"内容仓库已建好：{args.dir.resolve()}（{len(written)} 个文件）。下一步：cd {args.dir}，"
          f"改 site_config.yml 和 content/units/，然后运行 gongshi check、gongshi site。")
    return 0


def _reference(args: argparse.Namespace) -> int:
    from .fieldref import reference_markdown
    from .outdir import guard_write

    path = guard_write(args.root / "docs" / "reference.md", args.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reference_markdown(), encoding="utf-8")
    print(f"已写入 {path}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": _check,
    "stats": _stats,
    "schema": _schema,
    "reference": _reference,
    "site": _site,
    "all": _all,
    "serve": _serve,
    "boards": boards_command.run,
    "init": _init,
    **staff_commands.COMMANDS,
    **office.COMMANDS,
}


def _printable_anywhere() -> None:
    """A character the console's encoding lacks is printed as an escape (``\\U0001f600``), never an error.

    Output redirected on a Chinese Windows machine is GBK, which has no emoji: one in the content
    made the first ``print`` of the problem list fail, and every problem was lost.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _printable_anywhere()
    args = _parser().parse_args(argv)
    if args.command is None:
        args.command = "all"
    configure_cache(args.root / ".cache" / "qr")
    try:
        return COMMANDS[args.command](args)
    except GongshiError as exc:
        print(f"{exc.prefix}{exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: never show a traceback
        from .themes import override_error

        message = override_error(exc, args.root)
        if message:  # the project's own overrides/, not gongshi, failed
            print(message, file=sys.stderr)
            return 1
        detail = json.dumps(f"{type(exc).__name__}: {exc}", ensure_ascii=False)
        print(f"内部错误（G601）：{detail}。输出目录保持原样。请把这条信息报告给维护者。", file=sys.stderr)
        return 1
