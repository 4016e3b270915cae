"""gongshi as a tool apart from the content: build the wheel, install it outside the checkout, and run a
province's own content repository with it (init, check, site, boards, an override of the footer).

The wheel is built without build isolation (setuptools and build come with the test extra), so the
test works offline; the fresh venv gets the wheel alone, then borrows the dependencies already
installed for the tests (a .pth line), so nothing is downloaded. The test fails if the wheel lacks a
theme file or a module: the installed gongshi has no checkout to fall back to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from generator import __version__

ROOT = Path(__file__).resolve().parent.parent
FOOTER = "技术支持：某某县大数据中心"
SOURCES = ("pyproject.toml", "README.md", "generator", "themes", "docs/site")


def _wheel(tmp: Path) -> Path:
    """Build the wheel from a copy of the sources (a stale build/ in the checkout cannot leak in)."""
    src = tmp / "src"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "_themes", "_docs"))
        else:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    # cwd outside the sources: this repository's build.py would shadow `python -m build`
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp / "dist"),
                    str(src)], cwd=tmp, check=True, capture_output=True, timeout=600)
    return next((tmp / "dist").glob("gongshi-*.whl"))


def _venv(tmp: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel installed; dependencies come from the test environment's site-packages."""
    folder = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, timeout=600, env=_env())
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(own, "zz_test_dependencies.pth").write_text("\n".join(sorted(shared)) + "\n")  # after the wheel's own
    return folder / "bin"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["GIT_DIR"] = "/nonexistent"  # both builds without git history: the same input on both sides
    return env


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(bin_dir / "gongshi"), *args], cwd=cwd, capture_output=True, text=True,
                          env=_env(), timeout=900)
    assert done.returncode == 0, f"gongshi {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("wheel")
    wheel = _wheel(tmp)
    return wheel, _venv(tmp, wheel)


def test_the_wheel_carries_every_module_and_theme_file(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, inside in (("themes", "generator/_themes"), ("docs/site", "generator/_docs")):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"{inside}/{path.relative_to(ROOT / folder).as_posix()}" in names, path
    for path in (ROOT / "generator").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names, path  # a subpackage missing from pyproject
    assert "gongshi = generator.cli:main" in zipfile.ZipFile(wheel).read(
        f"gongshi-{__version__}.dist-info/entry_points.txt").decode()


@pytest.mark.slow
def test_a_province_repository_runs_on_the_installed_wheel(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, bin_dir = installed
    where = subprocess.run([str(bin_dir / "python"), "-c", "import generator; print(generator.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, env=_env(), check=True).stdout
    assert str(ROOT) not in where and str(bin_dir.parent) in where  # the wheel, not this checkout
    assert _run(bin_dir, "--version", cwd=tmp_path).stdout.strip() == f"gongshi {__version__}"

    _run(bin_dir, "init", "repo", cwd=tmp_path)
    repo = tmp_path / "repo"
    assert (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == f"gongshi=={__version__}"
    assert f"gongshi](https://pypi.org/project/gongshi/) {__version__}" in (repo / "README.md").read_text()
    override = repo / "overrides" / "site" / "main.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "gongshi-theme/main.html" %}\n'
                        f'{{% block footer %}}<footer class="md-footer"><p>{FOOTER}</p></footer>{{% endblock %}}\n')

    _run(bin_dir, "check", cwd=repo)
    _run(bin_dir, "site", cwd=repo)
    _run(bin_dir, "boards", cwd=repo)
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    unit = (repo / "site" / "units" / "example" / "index.html").read_text(encoding="utf-8")
    assert FOOTER in home and FOOTER in unit and "g-footer" not in home  # the block replaced, the rest kept
    assert "某某县政务服务中心示例窗口" in unit
    text = subprocess.run(["pdftotext", str(repo / "site" / "boards" / "example" / "poster.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "示例窗口" in text  # the board theme came out of the wheel


@pytest.mark.slow
def test_demo_content_in_its_own_folder_builds_the_checkouts_pages(installed: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    _, bin_dir = installed
    repo = tmp_path / "demo"
    repo.mkdir()
    shutil.copy2(ROOT / "site_config.yml", repo / "site_config.yml")
    shutil.copytree(ROOT / "content", repo / "content")
    if (ROOT / ".cache" / "decap-cms").is_dir():  # the web editor `make demo` fetched: the same input here
        shutil.copytree(ROOT / ".cache" / "decap-cms", repo / ".cache" / "decap-cms")
    _run(bin_dir, "site", cwd=repo)

    checkout = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(ROOT), "--out",
                               str(tmp_path / "checkout-site"), "site"], cwd=ROOT, capture_output=True, text=True,
                              env=_env(), timeout=900)
    assert checkout.returncode == 0, checkout.stdout + checkout.stderr
    ours, theirs = _files(repo / "site"), _files(tmp_path / "checkout-site")
    assert sorted(set(ours) ^ set(theirs)) == []
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_every_folder_is_a_listed_package() -> None:
    """A module folder left out of pyproject's `packages` is missing from the installed gongshi (a new
    package such as generator/sitebuild/), and a data folder left out makes setuptools warn at every
    install; both are caught here, without building a wheel."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    expected = {"generator"} | {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "generator").rglob("*")
                                if p.is_dir() and any(p.glob("*.py"))}
    for package, folder in config["package-dir"].items():  # themes/ and docs/site/, carried inside the package
        base = ROOT / folder
        expected |= {".".join((package, *p.relative_to(base).parts)) for p in [base, *base.rglob("*")]
                     if p.is_dir() and p.name != "__pycache__"}
    assert sorted(expected - listed) == [], "pyproject.toml [tool.setuptools] packages lacks these folders"
    assert sorted(listed - expected) == [], "pyproject.toml lists packages that have no folder"
