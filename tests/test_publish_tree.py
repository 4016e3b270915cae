"""The staging tree writes each file once, whole, in its folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.sitebuild.publish import Tree


def test_files_are_written_whole_in_new_folders(tmp_path: Path) -> None:
    tree = Tree(tmp_path / "site")
    big = bytes(range(256)) * 40_000  # 10 MB: more than one write call may take
    tree.write("units/a/members/m1/index.html", "李明".encode())
    tree.write("data/all.json", big)
    assert (tmp_path / "site/units/a/members/m1/index.html").read_text(encoding="utf-8") == "李明"
    assert (tmp_path / "site/data/all.json").read_bytes() == big
    assert tree.written == ["units/a/members/m1/index.html", "data/all.json"]


def test_a_path_written_twice_is_an_error_and_the_first_file_stays(tmp_path: Path) -> None:
    tree = Tree(tmp_path)
    tree.write("units/a/index.html", b"first")
    with pytest.raises(BuildError, match=r"同一路径 units/a/index\.html"):
        tree.write("units/a/index.html", b"second")
    assert (tmp_path / "units/a/index.html").read_bytes() == b"first"
    assert tree.written == ["units/a/index.html"]
