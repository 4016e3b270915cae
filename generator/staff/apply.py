"""Check, then write: how every staff tool saves its changes.

:func:`apply_changes` lays the project out again in a scratch folder (YAML files
copied, photos hard-linked or copied), puts the new texts in it, and runs
``check`` there. Only when that passes are the real files replaced, each through a
temporary file and ``os.replace``, so a reader never sees half a file. When the
check fails nothing is written and the problems are returned to be printed, with
those that were there before the change told apart.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..check import UNIT_ID, check
from ..errors import Problem, has_errors, relpath
from ..load import MAX_BYTES
from ..outdir import remove_marked, write_marker
from ..safe_read import Unreadable, read_capped
from .yamlio import StaffError


@dataclass
class Outcome:
    """What :func:`apply_changes` did: files written, or the problems that stopped it."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # after the change; errors mean nothing was written
    before: set[tuple[str, str, str]] = field(default_factory=set)  # errors that were there already

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


ID_NAMES = {"unit": "单位编号", "pledge": "承诺编号", "rectification": "整改编号", "id": "编号",
            "member": "成员编号", "parent": "上级单位编号", "period": "时段编号"}


def valid_id(value: object, what: str) -> str:
    """``value`` if it follows the rule of unit folder names (G306); else a StaffError (G710).

    Every id a command takes may end up in a path (content/units/<unit>/): ``.``, ``..``,
    ``a/b``, an absolute path, an empty string or a control character must never pass.
    """
    text = value if isinstance(value, str) else ""
    if not UNIT_ID.match(text):
        shown = json.dumps(text, ensure_ascii=False)  # a tab or newline shows as \t, \n
        raise StaffError(f"{what} {shown} 不合规：只能用小写英文字母、数字和连字符（以字母或数字开头，最多 63 个），"
                         "如 tax-hall；不能为空，不能含 /、.、空格或控制字符", "G710")
    return text


def unit_folder(root: Path, unit_id: str) -> Path:
    """``content/units/<unit_id>``, or a Chinese error naming the units there are."""
    units = root / "content" / "units"
    folder = units / valid_id(unit_id, "单位编号")
    if folder.is_dir():
        if folder.resolve().parent != units.resolve():
            raise StaffError(f"单位目录 content/units/{unit_id} 是指向 {folder.resolve()} 的符号链接，"
                             "不在 content/units/ 里。请把单位目录本身放进 content/units/", "G711")
        return folder
    known = "、".join(sorted(p.name for p in units.iterdir() if p.is_dir())) if units.is_dir() else ""
    raise StaffError(f"找不到单位“{unit_id}”（应是 content/units/ 下的目录名）。现有单位：{known or '（没有）'}", "G701")


def _copy_odd(path: Path, target: Path, root: Path) -> bool:
    """Lay out a symlink, FIFO or device the way check will meet it; True if ``path`` was one.

    Copying would follow it: a link to /dev/zero never ends and a FIFO blocks. A link to a
    regular file in the project is copied (at most the loader's cap); anything else becomes
    a link to where it points, which check in the scratch folder refuses as it would here.
    """
    if not path.is_symlink() and (path.is_dir() or path.is_file()):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop: keep it a loop
        os.symlink(os.readlink(path), target)
        return True
    if path.is_symlink() and real.is_relative_to(root) and real.is_file():
        try:
            target.write_bytes(read_capped(real, root, MAX_BYTES))
            return True
        except Unreadable:
            pass
    if not path.is_symlink() and stat.S_ISFIFO(path.lstat().st_mode):
        os.mkfifo(target)
    else:
        os.symlink(real, target)
    return True


def _copy_tree(src: Path, dst: Path, root: Path) -> None:
    """YAML copied; other files (photos) hard-linked when possible, so large folders cost nothing."""
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if _copy_odd(path, target, root):
            continue
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in {".yml", ".yaml"}:
            shutil.copyfile(path, target)
            continue
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


SCRATCH = re.compile(r"gongshi-staff-(\d+)-[a-z0-9_]+\Z")  # name, pid, random: see _scratch


@contextmanager
def _scratch(root: Path) -> Iterator[Path]:
    """A marked copy-of-the-project folder in .cache; those of staff commands killed part-way go first."""
    cache = root / ".cache"
    try:
        cache.mkdir(exist_ok=True)
        remove_marked(cache, SCRATCH)
        base = tempfile.mkdtemp(prefix=f"gongshi-staff-{os.getpid()}-", dir=cache)
    except OSError:
        base = tempfile.mkdtemp(prefix=f"gongshi-staff-{os.getpid()}-")
    write_marker(Path(base))
    try:
        yield Path(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _key(p: Problem) -> tuple[str, str, str]:
    return (p.path, p.code, p.message)


def preview(root: Path, changes: dict[Path, str]) -> list[Problem]:
    """Problems ``check`` would report if ``changes`` (absolute path → new text) were written."""
    root = root.resolve()
    with _scratch(root) as shadow:
        config = root / "site_config.yml"
        present = config.exists() or config.is_symlink()
        if present and not _copy_odd(config, shadow / "site_config.yml", root):
            shutil.copyfile(config, shadow / "site_config.yml")
        if (root / "content").is_dir():
            _copy_tree(root / "content", shadow / "content", root)
        for path, text in changes.items():
            target = shadow / path.resolve().relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return check(shadow).problems


LEFTOVER_AGE_S = 600  # a temporary file this old belongs to an edit that was killed, not one under way


def _remove_leftovers(path: Path) -> None:
    """Delete temporary files of earlier writes of ``path`` that were killed before their rename.

    Left behind, ``.pledges.yml.x1y2.tmp`` would sit in the unit folder unread by check and be
    committed by the next ``git add -A``. Only files of this exact pattern, older than a write takes.
    """
    now = time.time()
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            info = leftover.lstat()
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > LEFTOVER_AGE_S:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_changes(root: Path, changes: dict[Path, str]) -> Outcome:
    """Write ``changes`` only if the project passes ``check`` with them in place."""
    root = root.resolve()
    for path in changes:
        _inside_unit(path, root)
    problems = preview(root, changes)
    outcome = Outcome(problems=problems)
    if has_errors(problems):
        outcome.before = {_key(p) for p in check(root).problems if p.level == "error"}
        return outcome
    for path, text in changes.items():
        write_atomic(path, text)
        outcome.written.append(path)
    return outcome


def _inside_unit(path: Path, root: Path) -> None:
    """Every file a staff tool writes lies in content/units/<unit>/ or is site_config.yml, after symlinks (else G711).

    site_config.yml only for ``new unit --maintainer``: the maintainers list lives there (issue #14).
    """
    units = root / "content" / "units"
    real = path.parent.resolve() / path.name
    if real == root / "site_config.yml" and not real.is_symlink() and (real.is_file() or not real.exists()):
        return
    parts = real.relative_to(units).parts if real.is_relative_to(units) else ()
    if len(parts) < 2 or not UNIT_ID.match(parts[0]) or real.is_symlink() or (real.exists() and not real.is_file()):
        raise StaffError(f"拒绝写入 {path}：工具只写 content/units/<单位>/ 里的普通文件和 site_config.yml，而它（经符号链接后）"
                         f"是 {real}。没有写入任何文件", "G711")


def describe(outcome: Outcome, root: Path) -> list[str]:
    """Chinese lines for the terminal: what was written, or why nothing was."""
    lines: list[str] = []
    changed = {relpath(p, root) for p in outcome.written}
    if outcome.ok:
        lines += [f"已写入 {relpath(p, root)}" for p in outcome.written]
        lines += [p.format() for p in sorted(outcome.problems) if p.path in changed]
        lines.append("检查通过。请在提交说明里写明修改原因，然后提交合并请求。")
        return lines
    errors = [p for p in sorted(outcome.problems) if p.level == "error"]
    new = [p for p in errors if _key(p) not in outcome.before]
    old = [p for p in errors if _key(p) in outcome.before]
    lines += [p.format() for p in new]
    if old:
        lines.append(f"另有 {len(old)} 个错误在这次修改之前就已存在，也须先改正：")
        lines += [p.format() for p in old]
    lines.append("修改后的内容未通过检查，没有写入任何文件（G703）。上面的行号按修改后的内容计算，文件本身没有改动。"
                 "请按提示调整命令参数后重试。")
    return lines
