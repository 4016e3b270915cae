"""Board fonts: no Chinese fonts means no boards; a character they lack is reported, not swapped.

The PDFs are read back with pdffonts and pdftotext (poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.boards import build_boards
from generator.check import check

from .conftest import run_cli

NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""
# An emoji, a dingbat, an Extension B character outside Noto CJK, a private-use character.
LACKING = {"😀": "U+1F600", "✔": "U+2714", "𠀀": "U+20000", "\ue000": "U+E000"}


def test_without_cjk_fonts_boards_refuse_to_render(project: Path, tmp_path: Path) -> None:
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_FONTS.format(fonts=tmp_path / "fonts", cache=tmp_path / "fc-cache"), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    done = run_cli("--root", str(project), "--out", str(tmp_path / "out"), "boards", "--unit", "hall", env=env)
    assert done.returncode == 1
    assert "fonts-noto-cjk" in done.stderr and "apt-get install fonts-noto-cjk" in done.stderr
    assert "(G610)" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "out/boards").exists()


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs pdffonts and pdftotext (poppler-utils)")
def test_characters_the_fonts_lack_are_warned_and_no_other_font_is_embedded(project: Path) -> None:
    pledges = project / "content/units/hall/pledges.yml"
    text = pledges.read_text(encoding="utf-8")
    pledges.write_text(text.replace("全年办件零差错。", "全年办件零差错" + "".join(LACKING) + "。"), encoding="utf-8")
    site = check(project).site
    assert site is not None
    result = build_boards(site, project / "site", unit="hall", kind="tent", cache_dir=project / "cache")
    [warning] = [p for p in result.problems if p.code == "G611"]
    assert warning.level == "warning" and result.ok
    assert "承诺桌牌：李明" in warning.message and "tent-li-ming.pdf" in warning.message
    assert all(code in warning.message for code in LACKING.values()), warning.message
    assert (warning.path, warning.line) == ("content/units/hall/pledges.yml", 6)
    pdf = project / "site/boards/hall/tent-li-ming.pdf"
    fonts = [row.split()[0] for row in subprocess.run(
        ["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]]
    assert fonts and all("-CJK-SC" in name for name in fonts), fonts  # Noto Sans/Serif CJK SC only
    printed = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "全年办件零差错□□□□。" in printed and not set(LACKING) & set(printed)
