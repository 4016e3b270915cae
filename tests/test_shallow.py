"""A shallow clone cannot know when units changed: gongshi says so (G732) instead of publishing wrong dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.history import History, is_shallow, load_history
from tests.conftest import run_cli


def _git(repo: Path, *args: str, date: str = "2026-03-01T10:00:00+08:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=test@example.cn", *args], cwd=repo,
                   capture_output=True, text=True, check=True, env=env)


def _clones(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "第一版")
    unit = next((project / "content" / "units").iterdir())
    (unit / "unit.yml").write_text((unit / "unit.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(project, "commit", "-qam", "第二版", date="2026-09-01T10:00:00+08:00")
    full, shallow = tmp_path / "full", tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", str(project), str(full))
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{project}", str(shallow))
    return full, shallow


def test_a_shallow_clone_warns_and_publishes_no_history(project: Path, tmp_path: Path) -> None:
    full, shallow = _clones(project, tmp_path)
    assert is_shallow(shallow) and not is_shallow(full)
    assert load_history(full).changed  # the full history gives dates
    assert load_history(shallow) == History()  # not every file "changed" on the one commit it sees

    done = run_cli("--root", str(shallow), "check", "--format", "text")
    assert done.returncode == 0, done.stdout + done.stderr  # a warning, not an error
    warning = next(line for line in done.stdout.splitlines() if "(G732)" in line)
    assert warning.startswith(".git:1:1: [warning]") and "fetch-depth: 0" in warning and "--unshallow" in warning
    assert "G732" not in run_cli("--root", str(full), "check").stdout


def test_site_build_in_a_shallow_clone_says_why_dates_are_missing(project: Path, tmp_path: Path) -> None:
    _, shallow = _clones(project, tmp_path)
    done = run_cli("--root", str(shallow), "site")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(G732)" in done.stderr and "fetch-depth: 0" in done.stderr
