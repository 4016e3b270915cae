"""Load and check ``site_config.yml``, and the as-of date every figure is counted to.

Part of ``check`` (:mod:`generator.check`): the settings are read before the unit
folders, because the privacy allow-list in them decides which numbers a unit's texts
may show.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from . import privacy
from .errors import Problem, error
from .load import Loaded, load_file
from .references import check_config
from .settings import SiteConfig, as_of_date, china_today
from .textcheck import text_problems
from .validate import validate


def _as_of_problems(config: SiteConfig, loaded: Loaded) -> list[Problem]:
    """The as-of date must lie in ``as_of_range`` (G115): a typo such as 2206 or 1026 passed
    check and then crashed the site build (gzip and sitemap dates cannot hold such years)."""
    bounds = config.as_of_range
    today = china_today()
    try:
        latest = today.replace(year=today.year + bounds.years_ahead)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + bounds.years_ahead, day=28)
    try:
        as_of = as_of_date(config.as_of)
    except (ValueError, OverflowError, OSError):
        as_of = dt.date.min
    if bounds.earliest <= as_of <= latest:
        return _current_period_problems(config, loaded, as_of)
    line, col = loaded.pos(("as_of",) if config.as_of else ("as_of_range",) if "as_of_range" in loaded.data else ())
    source = "as_of" if config.as_of else f"环境变量 SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')!r}"
    return [error(loaded.shown, line, col, "G115",
                  f"统计截止日期 {as_of}（来自 {source}）超出合理范围：期望在 {bounds.earliest} 到 {latest} 之间"
                  f"（as_of_range：最早 earliest，最多比今天晚 years_ahead={bounds.years_ahead} 年）。"
                  "多半是年份打错了，请改正；确需更大范围时在 site_config.yml 里设置 as_of_range")]


def _current_period_problems(config: SiteConfig, loaded: Loaded, as_of: dt.date) -> list[Problem]:
    """The current period must have begun by the as-of date (G116): else every page would show, under
    its name and “截至 as_of”, the figures of an earlier period."""
    current = next((p for p in config.periods if p.id == config.current_period), None)
    if current is None or current.start <= as_of:
        return []
    line, col = loaded.pos(("current_period",))
    return [error(loaded.shown, line, col, "G116",
                  f"当前时段 current_period “{current.id}”（{current.name}）从 {current.start} 才开始，"
                  f"晚于统计截止日期 {as_of}：网站会把别的时段的满意率标成“{current.name}”。"
                  f"请把 current_period 改为 {as_of} 所在的时段，或把 as_of 改到 {current.start} 或更晚")]


def load_config(root: Path, unit_ids: set[str]) -> tuple[SiteConfig | None, Loaded | None, list[Problem]]:
    """The settings, or None; personal data in them is checked once the allow-list is known."""
    path = root / "site_config.yml"
    shown = "site_config.yml"  # not relpath: that follows a symlink to where it points
    if not path.exists() and not path.is_symlink():
        return None, None, [error(shown, 1, 1, "G110", "找不到 site_config.yml。请在项目根目录创建它（可参照示例）")]
    loaded = load_file(path, shown, root)
    if isinstance(loaded, Problem):
        return None, None, [loaded]
    config, problems = validate(loaded, SiteConfig)
    if config:
        problems += check_config(config, loaded, unit_ids)
        problems += _as_of_problems(config, loaded)
    problems += text_problems(loaded, SiteConfig, allowed_numbers(config))
    return config, loaded, problems


def allowed_numbers(config: SiteConfig | None) -> frozenset[str]:
    """The numbers the settings allow in public texts (none without settings)."""
    return privacy.allowed_numbers(config.privacy.public_numbers) if config else frozenset()
