"""`gongshi init` starts a province's content repository; overrides/ changes the look without forking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import __version__, themes
from generator.web.plan import PageSpec
from generator.web.render import BodyRenderer
from tests.conftest import run_cli


def test_init_writes_a_repository_that_passes_check(tmp_path: Path) -> None:
    done = run_cli("init", str(tmp_path / "repo"))
    assert done.returncode == 0, done.stdout + done.stderr
    repo = tmp_path / "repo"
    for name in ("site_config.yml", "content/units/example/unit.yml", ".gitignore", "CODEOWNERS", "README.md",
                 "requirements.txt", "overrides/README.md", ".github/workflows/gongshi.yml",
                 ".gitea/workflows/gongshi.yml", ".forgejo/workflows/gongshi.yml", "schema/unit.schema.json"):
        assert (repo / name).is_file(), name
    config = (repo / "site_config.yml").read_text(encoding="utf-8")
    assert config.count("\n# ") >= 8  # commented for the office that edits it
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert f"gongshi](https://pypi.org/project/gongshi/) {__version__}" in readme and "合并请求" in readme
    assert "@@" not in readme
    checked = run_cli("--root", str(repo), "check")
    assert checked.returncode == 0 and "0 个错误" in checked.stdout, checked.stdout + checked.stderr


def test_init_never_writes_into_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "notes.txt").write_text("留着")
    done = run_cli("init", str(tmp_path / "repo"))
    assert done.returncode == 1
    assert "G731" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in (tmp_path / "repo").iterdir()] == ["notes.txt"]



def test_init_below_a_file_is_wrong_usage(tmp_path: Path) -> None:
    (tmp_path / "existing.txt").write_text("x")
    done = run_cli("init", str(tmp_path / "existing.txt" / "sub"))
    assert done.returncode == 2
    assert "existing.txt 是一个文件，不是目录" in done.stderr and "G601" not in done.stderr, done.stderr


def test_init_where_no_folder_can_be_made_is_named(tmp_path: Path) -> None:
    done = run_cli("init", "/proc/gongshi-repo")
    assert done.returncode == 1
    assert "无法在 /proc 里创建" in done.stderr and "（G606）" in done.stderr and "G601" not in done.stderr, done.stderr


def test_a_board_stylesheet_in_overrides_replaces_the_themes(project: Path) -> None:
    folder = project / "overrides" / "boards"
    folder.mkdir(parents=True)
    (folder / "poster.css").write_text(".board-title { color: #b00020; } /* 本县的颜色 */\n", encoding="utf-8")
    done = run_cli("--root", str(project), "boards", "--unit", "hall", "--kind", "poster")
    assert done.returncode == 0, done.stdout + done.stderr
    html = (project / "site" / "boards" / "hall" / "poster.html").read_text(encoding="utf-8")
    assert "/* 本县的颜色 */" in html


def test_a_missing_override_target_is_a_message_not_a_traceback(project: Path) -> None:
    folder = project / "overrides" / "site"
    folder.mkdir(parents=True)
    (folder / "main.html").write_text('{% extends "gongshi-theme/no-such.html" %}\n', encoding="utf-8")
    done = run_cli("--root", str(project), "site")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("overrides/site/main.html:1: [error]")
    assert "no-such.html" in done.stderr and done.stderr.rstrip().endswith("(G734)")


def test_an_override_error_names_its_line(project: Path) -> None:
    folder = project / "overrides" / "site"
    folder.mkdir(parents=True)
    (folder / "main.html").write_text('{% extends "gongshi-theme/main.html" %}\n{% block footer %}\n'
                                      "{{ no_such_value.x }}{% endblock %}\n", encoding="utf-8")
    done = run_cli("--root", str(project), "site")
    assert done.returncode == 1
    assert done.stderr.startswith("overrides/site/main.html:3: [error]") and "(G734)" in done.stderr



def _text_file_link(main: Path) -> None:
    (main.parent / "notes.txt").write_text("本县说明\n", encoding="utf-8")
    main.symlink_to("notes.txt")


@pytest.mark.parametrize(("make", "where", "said"), [
    (lambda main: main.write_bytes(b"{% extends 'gongshi-theme/main.html' %}\n\n\xff\xfe"), "main.html:3:", "UTF-8"),
    (lambda main: main.write_text("{% extends 'gongshi-theme/main.html' %}\n{% block footer %}\n{{ 1/0 }}"
                                  "{% endblock %}\n", encoding="utf-8"), "main.html:3:", "除以零"),
    (lambda main: main.write_text("{% extends 'main.html' %}\n", encoding="utf-8"), "main.html:1:", "继承或包含了自己"),
    (_text_file_link, "main.html:", "<html>"),
])
def test_a_broken_main_html_override_is_named_in_chinese(project: Path, make, where: str, said: str) -> None:
    """Not G601 (internal error) nor Pagefind's English: the override file, the line where known, G734."""
    folder = project / "overrides" / "site"
    folder.mkdir(parents=True)
    make(folder / "main.html")
    done = run_cli("--root", str(project), "site")
    assert done.returncode == 1
    assert done.stderr.startswith(f"overrides/site/{where}") and done.stderr.rstrip().endswith("(G734)"), done.stderr
    assert said in done.stderr, done.stderr
    assert "G601" not in done.stderr and "Pagefind" not in done.stderr and "Error" not in done.stderr
    assert not (project / "site").exists()


NOTE_PAGE = PageSpec("note.md", "说明", "gongshi/note.html", "内容")


def _note_template(tmp_path: Path, text: str, mtime: int) -> tuple[Path, list[Path]]:
    """An override body template (``gongshi/note.html``) with this text and time; the search path."""
    override = tmp_path / "overrides" / "site"
    template = override / "gongshi" / "note.html"
    _write_at(template, text, mtime)
    return template, [override, themes.theme_dir("site")]


def _write_at(path: Path, text: str, mtime: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))  # distinct times, as saves seconds apart have


def test_a_template_edited_between_two_builds_of_one_process_is_used(tmp_path: Path) -> None:
    """serve keeps the body templates compiled between rebuilds: only while their files are the same."""
    template, folders = _note_template(tmp_path, "甲：{{ g }}", 1_000_000)
    first = BodyRenderer({}, folders)
    assert first.render(NOTE_PAGE) == "甲：内容"
    assert BodyRenderer({}, folders).env is first.env  # the same bytes: compiled once
    _write_at(template, "乙：{{ g }}", 2_000_000)
    assert BodyRenderer({}, folders).render(NOTE_PAGE) == "乙：内容"


def test_a_template_changed_during_a_build_and_undone_is_not_kept(tmp_path: Path) -> None:
    """The kept templates are keyed by the files' bytes when a build starts; one saved during that
    build is compiled as saved, so after it is undone the next build does not reuse that."""
    template, folders = _note_template(tmp_path, "甲：{{ g }}", 1_000_000)
    during = BodyRenderer({}, folders)  # the build starts: the digest is 甲's
    _write_at(template, "乙：{{ g }}", 2_000_000)  # saved while it runs
    assert during.render(NOTE_PAGE) == "乙：内容"
    _write_at(template, "甲：{{ g }}", 3_000_000)  # undone
    assert BodyRenderer({}, folders).render(NOTE_PAGE) == "甲：内容"
