"""Helpers for the staff-tool tests: a writable copy of the demo project."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import ROOT


def copy_demo(target: Path, examples: bool = False) -> Path:
    """site_config.yml and content/ of the demo (and docs/examples/ if asked) under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "site_config.yml", target / "site_config.yml")
    shutil.copytree(ROOT / "content", target / "content")
    if examples:
        shutil.copytree(ROOT / "docs" / "examples", target / "docs" / "examples")
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under content/, to prove that a refused change wrote nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()}
