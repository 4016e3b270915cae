"""The layout of content/units/: one folder per unit, each with its unit.yml.

Careless files used to end in an internal error (a unit folder without unit.yml) or be
skipped without a word (a unit.yml dropped straight into content/units/). These checks
name the folder or file and say what is expected instead.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, error, warning


def no_unit_file(folder: Path, shown: str) -> Problem:
    """G113: a unit folder without unit.yml, naming what was found instead (unit.yaml, Unit.yml …)."""
    names = sorted(p.name for p in folder.iterdir())
    near = [n for n in names if n != "unit.yml" and n.lower().replace(".yaml", ".yml").startswith("unit.y")]
    if near:
        found = "、".join(near)
        return error(f"{shown}/unit.yml", 1, 1, "G113",
                     f"{shown}/ 里没有 unit.yml；找到 {found}，请改名为 unit.yml（全小写，扩展名 .yml）")
    what = "这是一个空目录" if not names else f"里面只有 {'、'.join(names[:5])}"
    return error(f"{shown}/unit.yml", 1, 1, "G113",
                 f"{shown}/ 里没有 unit.yml（{what}）。每个单位目录至少要有 unit.yml，写明 name 和 kind；"
                 "如果这个目录不是单位，请删除它")


def stray_files(units_dir: Path) -> list[Problem]:
    """G114: files directly in content/units/, where only unit folders belong (hidden files are skipped)."""
    problems = []
    for path in sorted(units_dir.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        shown = f"content/units/{path.name}"
        if ".yml" in path.name or ".yaml" in path.name:
            problems.append(error(shown, 1, 1, "G114",
                                  f"{path.name} 直接放在 content/units/ 下，不在任何单位目录里，不会被读取。"
                                  "请把它移到 content/units/<单位目录>/ 里"))
        else:
            problems.append(warning(shown, 1, 1, "G114",
                                    f"content/units/ 下只应有单位目录；{path.name} 不是目录，不会被读取。不需要的话请删除"))
    return problems
