"""The whole path: a pull request in a temporary git repository, and the staff guide followed to the letter."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.check import check

from .conftest import ROOT, run_cli
from .staff_support import copy_demo

pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="git not installed")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=test@example.cn", *args], cwd=repo,
                          capture_output=True, text=True, check=True)
    return done.stdout


def test_a_pull_request_branch_edit_check_merge(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "content-repo")
    assert run_cli("--root", str(repo), "ci-templates", "--out", str(repo)).returncode == 0  # workflows, .gitignore
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "演示内容")
    git(repo, "switch", "-qc", "tax-hall/fulfil-deng-01")
    done = run_cli("--root", str(repo), "fulfil", "tax-hall", "2026-deng-01", "--date", "2026-11-19",
                   "--evidence", "征管系统统计表")
    assert done.returncode == 0, done.stdout + done.stderr
    assert run_cli("--root", str(repo), "check", "--format", "github").returncode == 0  # what CI runs on the PR
    assert git(repo, "status", "--porcelain").split() == ["M", "content/units/tax-hall/pledges.yml"]
    git(repo, "commit", "-qam", "邓卫民承诺已完成，补充佐证")
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "合并请求 #1", "tax-hall/fulfil-deng-01")
    assert git(repo, "diff", "--name-only", "HEAD~1", "HEAD").split() == ["content/units/tax-hall/pledges.yml"]
    result = check(repo)
    assert result.ok and result.site is not None
    pledge = next(p for p in result.site.units["tax-hall"].pledges if p.id == "2026-deng-01")
    assert pledge.data.status == "已完成"
    # the tools' scratch copies are gone; only the caches of check and QR codes stay
    assert not (repo / ".cache").exists() or {p.name for p in (repo / ".cache").iterdir()} <= {"check", "qr"}


def _guide_commands() -> list[list[str]]:
    """Every ``gongshi …`` line of the guide's step-by-step section, as argv (gongshi is build.py)."""
    text = (ROOT / "docs/site/guide.md").read_text(encoding="utf-8")
    section = text.split("## 用命令修改")[1].split("\n## ")[0]
    lines = [line.strip() for line in section.splitlines() if line.startswith("    gongshi ")]
    return [shlex.split(line)[1:] for line in lines]


def test_the_guide_walkthrough_works_as_written(tmp_path: Path) -> None:
    """A new user who types what the guide says adds a pledge, marks one fulfilled and imports a survey."""
    project = copy_demo(tmp_path / "staff", examples=True)
    commands = _guide_commands()
    assert [c[0] for c in commands] == ["new", "fulfil", "import-survey", "check", "serve"]
    for argv in commands[:-1]:  # serve runs until Ctrl+C
        done = run_cli("--root", str(project), *argv, cwd=project)
        assert done.returncode == 0, (argv, done.stdout, done.stderr)
        assert "Traceback" not in done.stdout + done.stderr
    site = check(project).site
    assert site is not None
    edu = site.units["edu-office"]
    assert any(p.id == "2026-tan-02" and p.data.status == "已公开" for p in edu.pledges)
    assert next(p for p in edu.pledges if p.id == "2026-fan-01").data.status == "已完成"
    assert any(s.period == "2026h2" and s.channel == "评价器" and s.member is None for s in edu.evaluations.surveys)


def test_every_command_in_the_guide_exists() -> None:
    text = (ROOT / "docs/site/guide.md").read_text(encoding="utf-8")
    used = set(re.findall(r"python build\.py ([a-z][a-z-]*)", text))
    done = run_cli("--help")
    listed = set(re.findall(r"^    ([a-z][a-z-]+)", done.stdout, re.MULTILINE))
    assert used <= listed, used - listed
