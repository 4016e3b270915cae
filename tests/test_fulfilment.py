"""践诺率 as offices report it: kept ÷ pledges fallen due, in the built site and in ``stats``."""

from __future__ import annotations

import re
from pathlib import Path

from generator.check import check
from generator.sitebuild import build_site

from .conftest import run_cli


def _report(root: Path) -> None:
    """100 pledges made in 2026; 70 due by the as-of date 2026-11-20 (50 kept, 20 not); 30 due at year end.

    The office reports 50 ÷ 70 = 71.4 % → "71%"; over every pledge made it would be 50 %.
    """
    lines = ["pledges:"]
    for n in range(100):
        due = "2026-06-30" if n < 70 else "2026-12-31"
        done = "    status: 已评议\n    outcome: 已兑现\n    completed_on: 2026-06-30\n" if n < 50 else \
            "    status: 履行中\n"
        lines.append(f"  - id: p{n:03d}\n    kind: 年度承诺\n    form: 集体承诺\n    topic: 服务承诺\n"
                     f"    text: 第 {n} 条承诺。\n    made: 2026-01-05\n    due: {due}\n{done}")
    (root / "content/units/hall/pledges.yml").write_text("\n".join(lines), encoding="utf-8")
    config = root / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "figures:\n  percent_decimals: 0\n", encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_page_shows_the_rate_over_pledges_due(project: Path) -> None:
    _report(project)
    result = check(project)
    assert result.site is not None, [p.format() for p in result.problems]
    build_site(result.site, project / "site")
    home = _text((project / "site/index.html").read_text(encoding="utf-8"))
    assert "践诺率 71% 已兑现 50 ÷ 已到期承诺 70，目标 90% 2026 年度承诺，截至 2026-11-20" in home
    assert "2026年公开承诺 100 已到期 70（已兑现 50），未到期 30 截至 2026-11-20" in home
    unit = _text((project / "site/units/hall/index.html").read_text(encoding="utf-8"))
    assert "2026年践诺率 71% 已兑现 50 ÷ 已到期承诺 70" in unit
    assert "未到期 30" in unit
    about = _text((project / "site/about/index.html").read_text(encoding="utf-8"))
    assert "评定为“已兑现”的承诺数 ÷ 本年度已到期的承诺数" in about


def test_stats_shows_the_same(project: Path) -> None:
    _report(project)
    done = run_cli("--root", str(project), "stats")
    assert done.returncode == 0, done.stdout + done.stderr
    row = next(line for line in done.stdout.splitlines() if line.lstrip().startswith("办税厅"))
    # 成员 承诺 已到期 未到期 已兑现 践诺率 践诺率分母
    assert row.split()[1:8] == ["2", "100", "70", "30", "50", "71%", "70"]
    assert "践诺率 = 已兑现 ÷ 已到期承诺" in done.stdout


def test_whole_year_setting_keeps_the_old_definition(project: Path) -> None:
    _report(project)
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  fulfilment_base: 全年\n", encoding="utf-8")
    done = run_cli("--root", str(project), "stats")
    row = next(line for line in done.stdout.splitlines() if line.lstrip().startswith("办税厅"))
    assert row.split()[5:8] == ["50", "50%", "100"]


def test_totals_row_shows_no_units_stars_or_grade(project: Path) -> None:
    """Stars and grade belong to one unit; the 全部单位 row once showed the first unit's as the total's."""
    (project / "content/units/center/compare.yml").write_text(
        "stars:\n  - period: 2026h2\n    stars: 5\n    grantor: 县委组织部\n", encoding="utf-8")
    (project / "content/units/center/grading.yml").write_text(
        "grading:\n  - year: 2025\n    grade: 先进\n", encoding="utf-8")
    done = run_cli("--root", str(project), "stats")
    assert done.returncode == 0, done.stdout + done.stderr
    center = next(line for line in done.stdout.splitlines() if "(含下级)" in line)
    assert "★★★★★" in center and "2025 先进" in center  # the unit's own row keeps them
    total = next(line for line in done.stdout.splitlines() if line.startswith("全部单位"))
    assert "★" not in total and "先进" not in total and total.split()[-1] == "—"
