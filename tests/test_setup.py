"""`make demo` and `make test` set up a fresh machine themselves; CI runs exactly the README's commands."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_DEPS = "bash .ci/system-deps.sh"


def _dry_run(target: str) -> list[str]:
    """What ``make -n -B target`` would run (every step, as on a machine where nothing is installed)."""
    done = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


@pytest.mark.parametrize("target", ["demo", "test"])
def test_the_two_commands_install_debian_packages_before_anything_else(target: str) -> None:
    lines = _dry_run(target)
    deps = [i for i, line in enumerate(lines) if line.startswith(SYSTEM_DEPS)]
    venv = [i for i, line in enumerate(lines) if "-m venv" in line]
    assert deps and venv, lines
    assert deps[0] < venv[0], "the Debian packages (python3-venv, fonts) must come before .venv"
    if target == "test":
        assert f"{SYSTEM_DEPS} test" in lines  # poppler, zbar, chromium for the suite too


def test_ci_runs_the_readme_commands_on_its_clone() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert first_block and first_block.group(1).split("\n")[:2] == ["make demo", "make test"]
    assert readme.index("```bash") < readme.index("\n## ")  # the opening of the README
    from generator import __version__
    assert f"pip install gongshi=={__version__}\ngongshi init" in readme  # a province's own repository, next
    steps = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert steps[-2:] == ["make demo", "make test"]


def _fake_bin(folder: Path, scripts: dict[str, str]) -> Path:
    folder.mkdir()
    for name, body in scripts.items():
        path = folder / name
        path.write_text("#!/bin/sh\n" + body + "\n")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return folder


def _run_deps(fake: Path, kind: str = "demo") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{fake}:/usr/bin:/bin"}
    return subprocess.run(["bash", str(ROOT / ".ci" / "system-deps.sh"), kind], capture_output=True, text=True,
                          env=env, timeout=60)


def test_without_root_or_sudo_setup_stops_with_the_exact_apt_line(tmp_path: Path) -> None:
    fake = _fake_bin(tmp_path / "bin", {
        "dpkg-query": "exit 1",                       # nothing is installed
        "id": '[ "$1" = "-u" ] && echo 1000 || /usr/bin/id "$@"',
        "sudo": "exit 1",                             # sudo asks for a password
        "apt-get": f'echo "$@" >> {tmp_path}/apt.log',
    })
    done = _run_deps(fake)
    assert done.returncode == 1
    assert ("sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends python3-venv "
            "fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0'") in done.stderr
    assert "G733" in done.stderr
    assert not (tmp_path / "apt.log").exists()  # stopped at once, nothing attempted


def test_as_root_setup_installs_only_what_is_missing(tmp_path: Path) -> None:
    fake = _fake_bin(tmp_path / "bin", {
        "dpkg-query": '[ "$3" = fonts-noto-cjk ] && exit 1; echo "install ok installed"',
        "id": '[ "$1" = "-u" ] && echo 0 || /usr/bin/id "$@"',
        "apt-get": f'echo "$@" >> {tmp_path}/apt.log',
    })
    done = _run_deps(fake, "test")
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls == ["update -qq", "install -y -qq --no-install-recommends fonts-noto-cjk"]


def test_through_sudo_when_not_root(tmp_path: Path) -> None:
    fake = _fake_bin(tmp_path / "bin", {
        "dpkg-query": '[ "$3" = zbar-tools ] && exit 1; echo "install ok installed"',
        "id": '[ "$1" = "-u" ] && echo 1000 || /usr/bin/id "$@"',
        "sudo": f'echo "sudo $@" >> {tmp_path}/apt.log',
    })
    done = _run_deps(fake, "test")
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[-1] == "sudo -n apt-get install -y -qq --no-install-recommends zbar-tools"
