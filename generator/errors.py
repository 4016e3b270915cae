"""Problems found in content, and the few exceptions the pipeline raises.

Every problem a user sees is a :class:`Problem`: a file, a 1-based line and column,
a level, a Chinese message that says what was expected, what was found and how to
fix it, and a stable code (``G1xx`` loading, ``G2xx`` schema, ``G3xx`` references,
``G4xx`` personal data, ``G5xx`` warnings about figures, ``G6xx`` build).

Exceptions (modelled on ``mkdocs/exceptions.py``):

* :class:`GongshiError` – base; the CLI turns any of them into a message and exit 1.
* :class:`BuildError` – raised by the site and board stages when output cannot be made
  (the previous output is left untouched); its subclass ``outdir.OutputRefused`` when a
  folder is not one a build may replace.

Elsewhere, each beside the code that raises it: ``staff.yamlio.StaffError`` (a staff command's
edit cannot be made), ``serve.PortTaken`` (the preview port is in use) and
``themes.ThemeMissing`` (an installed gongshi lacks its theme files). Content problems are
never raised: they are collected as :class:`Problem` values and reported all at once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")  # a line break or ESC in a key must not break the line

# Stable codes and their one-line Chinese titles (documented in docs/errors.md).
CODES: dict[str, str] = {
    "G101": "YAML 语法错误",
    "G102": "键重复",
    "G103": "不允许的 YAML 功能（指令、标签、锚点或别名）",
    "G104": "文件编码不是 UTF-8",
    "G105": "使用了制表符缩进",
    "G106": "一个文件里有多个文档",
    "G107": "文件过大",
    "G108": "嵌套层级过深",
    "G109": "文件为空或顶层不是键值表",
    "G120": "冒号写成了全角“：”",
    "G121": "冒号后缺少空格",
    "G122": "缩进与同级不一致",
    "G110": "无法读取文件",
    "G111": "内容文件是指向项目之外的符号链接",
    "G112": "内容文件不是普通文件（FIFO、设备或目录）",
    "G113": "单位目录里没有 unit.yml",
    "G114": "content/units/ 下有不是单位目录的文件",
    "G115": "统计截止日期超出合理范围",
    "G116": "当前时段在统计截止日期之后才开始",
    "G117": "单位数超过 max_units 上限",
    "G201": "缺少必填字段",
    "G202": "未知字段",
    "G203": "类型不对",
    "G204": "取值不在允许范围内",
    "G205": "格式不对",
    "G206": "日期无效",
    "G207": "数值超出范围",
    "G208": "应加引号的文本被读成了数字",
    "G209": "字段之间矛盾",
    "G210": "文字里有控制字符或非字符",
    "G211": "Markdown 文字超出上限（字数、行数、嵌套、方括号或尖括号）",
    "G212": "网址不可用",
    "G213": "维护人名单里的单位不存在",
    "G214": "unit.yml 里还有维护人名单 maintainers（已移到 site_config.yml）",
    "G215": "承诺时限长于法定时限",
    "G301": "引用的对象不存在",
    "G302": "编号重复",
    "G303": "上级单位形成循环",
    "G304": "照片文件不存在",
    "G305": "日期先后顺序不对",
    "G306": "单位目录名不合规",
    "G307": "记录日期晚于统计截止日期",
    "G308": "照片不是完整的图片或像素过多",
    "G401": "疑似身份证号码",
    "G402": "疑似个人手机号码",
    "G403": "疑似出生日期",
    "G404": "成员未同意公开",
    "G405": "疑似家庭住址",
    "G406": "整改或书记处写了未同意公开的成员的姓名",
    "G501": "承诺已逾期",
    "G502": "整改已超过期限",
    "G503": "满意率低于目标",
    "G504": "“先进”比例超过上限",
    "G505": "服务事项没有办结时限",
    "G601": "构建失败",
    "G602": "展板内容放不下",
    "G603": "输出目录是项目、content/、.git 或它们的上级",
    "G604": "输出目录不是 gongshi 生成的，也不是空目录",
    "G605": "输出位置是已有的文件",
    "G606": "无法读取或创建输出目录",
    "G607": "拒绝写入这个文件（符号链接、目录或受保护的位置）",
    "G610": "没有展板用的中文字体",
    "G611": "展板字体画不出某些字符",
    "G612": "展板字号已缩小",
    "G613": "胶印用的 CMYK 色彩配置文件没有安装",
    "G614": "照片像素不够印刷尺寸",
    "G615": "印刷订单的参数不对",
    "G616": "展板目录里有 gongshi 没有写出记录的旧文件，未删除",
    "G701": "找不到单位",
    "G702": "找不到要修改的条目",
    "G703": "修改后的内容未通过检查，未写入",
    "G704": "导入文件无法读取",
    "G705": "导入文件某行有误",
    "G706": "条目已经存在",
    "G707": "命令参数不对",
    "G708": "无法取得网页编辑器程序",
    "G709": "CODEOWNERS 有误或不是最新",
    "G710": "命令里的编号不合规",
    "G711": "要写入的文件不在单位目录里",
    "G712": "要修改的文件未通过安全读取，未修改",
    "G715": "导入文件的合计与明细之和不符",
    "G716": "同一时段的评议方式互相包含，会重复计数",
    "G717": "导入文件过大或行列过多",
    "G718": "导入文件的内容与扩展名不符",
    "G719": "导入文件的列有歧义",
    "G720": "CSV 文件的引号没有配对",
    "G721": "Excel 文件里的公式没有保存计算结果",
    "G722": "导入文件有一行像合计行，却没有合计的标签",
    "G730": "gongshi 安装不完整或主题文件找不到",
    "G731": "要新建内容仓库的目录不是空的",
    "G732": "浅克隆：修改日期和承诺轨迹不完整",
    "G733": "缺少系统软件包，且无法自动安装",
    "G734": "overrides 里的模板出错",
    "G740": "网页编辑器设置有误",
    "G741": "预览端口已被占用",
    "G742": "预览改为轮询：系统的文件监视不可用",
    "G750": "找不到指定的单位（--unit）",
    "G751": "找不到指定的时段（--period）",
    "G752": "没有中文字体，无法生成 PDF 通报",
    "G753": "无法写入输出文件",
    "G754": "提醒天数不对（--days）",
    "G755": "已有同名文件且不是 gongshi 写出的原样，未覆盖",
    "G756": "--save 的文件名不对",
    "G760": "登记为已离开或已撤销的对象仍在内容里",
    "G761": "离开、调往或并入的单位不存在",
    "G762": "已离开或已撤销的登记重复",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as ``path:line:col: [level] message (code)``."""

    path: str
    line: int
    col: int
    level: str  # "error" or "warning"
    code: str
    message: str

    def format(self) -> str:
        """One line; control characters from content (a key, a path) are shown as escapes."""
        line = f"{self.path}:{self.line}:{self.col}: [{self.level}] {self.message} ({self.code})"
        return _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode(), line)

    def format_github(self) -> str:
        """One workflow command; paths and messages carry text from content, so both are escaped."""
        kind = "error" if self.level == "error" else "warning"
        props = f"file={_github_property(self.path)},line={self.line},col={self.col}"
        return f"::{kind} {props}::{_github_data(f'{self.message} ({self.code})')}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


def _github_data(text: str) -> str:
    """GitHub's workflow-command escaping of the message: a CR or LF would start a second command.

    Other control characters have no escape of GitHub's own; the log viewer would act on an ESC
    sequence (colour, erased lines), so they are shown as ``\\x1b`` as in the text format.
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROLS.sub(lambda m: m.group(0).encode("unicode_escape").decode(), text)


def _github_property(text: str) -> str:
    """Escaping of a property value (file, title): also ``:`` and ``,``, which end a property."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def error(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, max(line, 1), max(col, 1), "error", code, message)


def warning(path: str, line: int, col: int, code: str, message: str) -> Problem:
    return Problem(path, max(line, 1), max(col, 1), "warning", code, message)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level == "error" for p in problems)


def report(problems: list[Problem], fmt: str | None = None) -> str:
    """All problems sorted by file and line, one a line, then a Chinese summary."""
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    ordered = sorted(set(problems))
    if fmt == "json":
        return json.dumps([p.as_dict() for p in ordered], ensure_ascii=False, indent=2)
    lines = [p.format_github() if fmt == "github" else p.format() for p in ordered]
    errors = sum(p.level == "error" for p in ordered)
    warnings = len(ordered) - errors
    if errors:
        lines.append(f"检查未通过：{errors} 个错误，{warnings} 个警告。请按上面的提示修改后再运行 check。")
    else:
        lines.append(f"检查通过：0 个错误，{warnings} 个警告。")
    return "\n".join(lines)


def relpath(path: Path, root: Path) -> str:
    """Path as shown to users: relative to the project, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class GongshiError(Exception):
    """Base of every error the CLI reports without a traceback."""

    prefix = "错误："  # what the CLI prints before the message; empty for one already a problem line


class BuildError(GongshiError):
    """Raised by the site and board stages; the previous output stays in place."""
