"""A pledge's trail and the last-changed dates come from the content's git history."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.check import check
from generator.history import load_history
from generator.sitebuild import build_site

pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="git not installed")


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "办税厅", "GIT_AUTHOR_EMAIL": "staff@example.org",
           "GIT_COMMITTER_NAME": "组织部", "GIT_COMMITTER_EMAIL": "office@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T10:00:00+08:00", GIT_COMMITTER_DATE=f"{date}T10:00:00+08:00")
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def set_status(root: Path, old: str, new: str) -> None:
    path = root / "content/units/hall/pledges.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"status: {old}", f"status: {new}", 1), encoding="utf-8")


def test_trail_follows_the_status_through_merged_changes(project: Path) -> None:
    # The second pledge (p2) starts as 已公开, is taken up, then completed with its date.
    set_status(project, "履行中", "已公开")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-qm", "录入承诺", date="2026-01-06")
    git(project, "checkout", "-qb", "hall/p2-progress")
    set_status(project, "已公开", "履行中")
    git(project, "commit", "-qam", "p2 开始履行", date="2026-02-01")
    git(project, "checkout", "-q", "main")
    git(project, "merge", "-q", "--no-ff", "hall/p2-progress", "-m", "合并：p2 开始履行", date="2026-02-02")

    history = load_history(project)
    assert history.trail("hall", "p2") == ((dt.date(2026, 1, 6), "已公开"), (dt.date(2026, 2, 1), "履行中"))
    assert history.trail("hall", "p1") == ((dt.date(2026, 1, 6), "已评议"),)
    assert history.unit_changed("hall") == dt.date(2026, 2, 1)

    result = check(project)
    assert result.site is not None
    build_site(result.site, project / "site")
    html = (project / "site/units/hall/index.html").read_text(encoding="utf-8")
    assert "版本记录：<span>已公开 <time>2026-01-06</time></span> → <span>履行中 <time>2026-02-01</time>" in html
    assert "本单位内容最近更新于 2026-02-01" in html


def test_without_git_the_site_builds_without_trail(project: Path) -> None:
    assert load_history(project).trails == {}
    result = check(project)
    assert result.site is not None
    build_site(result.site, project / "site")
    assert "版本记录" not in (project / "site/units/hall/index.html").read_text(encoding="utf-8")


def test_commits_after_the_as_of_date_are_not_shown(project: Path) -> None:
    # as_of is 2026-11-20 (site_config.yml); a change committed on 2026-11-25 is not yet "as of" then.
    set_status(project, "履行中", "已公开")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-qm", "录入承诺", date="2026-01-06")
    set_status(project, "已公开", "履行中")
    git(project, "commit", "-qam", "p2 开始履行", date="2026-11-25")

    history = load_history(project, dt.date(2026, 11, 20))
    assert history.trail("hall", "p2") == ((dt.date(2026, 1, 6), "已公开"),)
    assert history.unit_changed("hall") == dt.date(2026, 1, 6)

    result = check(project)
    assert result.site is not None
    build_site(result.site, project / "site")
    html = (project / "site/units/hall/index.html").read_text(encoding="utf-8")
    assert "本单位内容最近更新于 2026-01-06" in html
    assert "2026-11-25" not in html


def test_an_old_status_that_is_no_valid_status_is_not_published(project: Path) -> None:
    # A version in git had a status check would have refused (a personal mobile, markup); it was
    # fixed in the next commit. The trail publishes only the valid statuses of old versions.
    set_status(project, "履行中", "'履行中，请联系13812345678<b>x</b>'")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-qm", "录入承诺", date="2026-01-06")
    set_status(project, "'履行中，请联系13812345678<b>x</b>'", "已公开")
    git(project, "commit", "-qam", "改正状态", date="2026-01-07")
    set_status(project, "已公开", "履行中")
    git(project, "commit", "-qam", "p2 开始履行", date="2026-02-01")

    assert load_history(project).trail("hall", "p2") == ((dt.date(2026, 1, 7), "已公开"), (dt.date(2026, 2, 1), "履行中"))
    result = check(project)
    assert result.site is not None
    build_site(result.site, project / "site")
    html = (project / "site/units/hall/index.html").read_text(encoding="utf-8")
    assert "版本记录：<span>已公开 <time>2026-01-07</time></span> → <span>履行中 <time>2026-02-01</time>" in html
    assert "13812345678" not in html
    assert "请联系" not in html


def test_an_old_version_with_a_list_for_a_status_does_not_stop_the_build(project: Path) -> None:
    set_status(project, "履行中", "[已公开, x]")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-qm", "录入承诺", date="2026-01-06")
    set_status(project, "[已公开, x]", "履行中")
    git(project, "commit", "-qam", "改正状态", date="2026-01-07")
    assert load_history(project).trail("hall", "p2") == ((dt.date(2026, 1, 7), "履行中"),)
