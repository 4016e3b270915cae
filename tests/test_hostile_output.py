"""Output folders: a build replaces only a folder it made itself, deletes only files it recorded as
its own; leftovers of killed builds go; files written where the user says never replace the user's.

Every case runs the real command line. A refused output leaves every file it could have
touched exactly as it was (compared byte for byte), exits 1 and names a stable code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.outdir import MARKER, MARKER_TEXT

from .conftest import ROOT, run_cli


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root``: file bytes, link targets, folders (to prove nothing moved)."""
    entries: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                entries[rel] = path.read_bytes()
            else:
                entries[rel] = "dir"
    return entries


def files(root: Path) -> dict[str, bytes | str]:
    """:func:`tree` less the caches a run fills (the check's, the record of files the office commands wrote)."""
    return {rel: entry for rel, entry in tree(root).items() if ".cache" not in Path(rel).parts}


def site(project: Path, out: str, command: str = "site") -> subprocess.CompletedProcess[str]:
    return run_cli("--root", str(project), "--out", out, command, cwd=project)


@pytest.fixture
def workspace(project: Path) -> Path:
    """The project inside a folder with a neighbour's files, and a .git of its own."""
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project.parent / "neighbour.txt").write_text("not gongshi's\n")
    return project


@pytest.mark.parametrize(("out", "code"), [
    (".", "G603"),  # the project itself: once this wiped the whole project
    ("content", "G603"),
    ("content/units", "G603"),
    ("content/units/hall", "G603"),
    ("content/units/hall/new-folder", "G603"),
    ("..", "G603"),  # a parent of the project
    (".git", "G603"),
    (".git/site", "G603"),
    ("site_config.yml", "G605"),  # an existing file
    ("content/units/hall/unit.yml", "G603"),
])
def test_site_refuses_protected_outputs(workspace: Path, out: str, code: str) -> None:
    before = tree(workspace.parent)
    done = site(workspace, out)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"（{code}）" in done.stderr and "Traceback" not in done.stderr
    assert "输出目录保持原样" not in done.stderr  # the old, false reassurance after wiping the project
    assert tree(workspace.parent) == before


def test_site_refuses_folders_it_did_not_make(workspace: Path, tmp_path: Path) -> None:
    others = tmp_path / "others"
    (others / "photos").mkdir(parents=True)
    (others / "photos" / "holiday.jpg").write_bytes(b"\xff\xd8 not gongshi's")
    (workspace / "site").mkdir()  # a site/ of someone else's: the default output
    (workspace / "site" / "notes.md").write_text("my notes\n")
    forged = tmp_path / "forged"
    forged.mkdir()
    (forged / MARKER).write_text("anything\n")  # a marker must hold the fixed text
    (forged / "keep.txt").write_text("keep\n")
    link = tmp_path / "link-to-project"
    link.symlink_to(workspace)
    before = tree(tmp_path)
    for args in (["--out", str(others), "site"], ["site"], ["--out", str(forged), "site"],
                 ["--out", str(link), "site"], ["--out", str(others), "boards"], ["--out", str(others), "admin"]):
        done = run_cli("--root", str(workspace), *args, cwd=workspace)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert ("（G604）" in done.stderr or "（G603）" in done.stderr) and "Traceback" not in done.stderr, args
        assert tree(tmp_path) == before, args
    assert "里面有：photos" in run_cli("--root", str(workspace), "--out", str(others), "site").stderr  # what it found


def test_serve_refuses_before_serving(workspace: Path) -> None:
    before = tree(workspace.parent)
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(workspace), "--out", ".", "serve",
                           "--port", "0"], cwd=workspace, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "（G603）" in done.stderr
    assert tree(workspace.parent) == before


def test_builds_replace_only_their_own_output(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "deeper"):
        done = site(project, str(out))
        assert done.returncode == 0, done.stderr
        assert (out / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
        (out / "stale.html").write_text("from an older build\n")
        again = site(project, str(out))  # marked: replaced
        assert again.returncode == 0, again.stderr
        assert (out / "index.html").is_file()


def test_a_folder_that_only_looks_like_a_site_is_refused(workspace: Path, tmp_path: Path) -> None:
    """Top-level names prove nothing: the user's own site (audit: my.css and about/ were deleted, exit 0)
    and a folder of archived PDFs under boards/ (audit: “删除了 1 个过期文件”, the PDF gone)."""
    myweb = tmp_path / "myweb"
    for rel in ("index.html", "sitemap.xml", "robots.txt", "assets/my.css", "about/index.html"):
        (myweb / rel).parent.mkdir(parents=True, exist_ok=True)
        (myweb / rel).write_text(f"the user's {rel}\n")
    archive = tmp_path / "archive"
    (archive / "boards" / "2025年存档").mkdir(parents=True)
    (archive / "boards" / "2025年存档" / "公示栏-盖章版.pdf").write_bytes(b"%PDF-1.4 stamped and scanned")
    before = tree(tmp_path)
    for out, command in ((myweb, "site"), (myweb, "boards"), (archive, "boards"), (archive, "site"), (archive, "all")):
        done = run_cli("--root", str(workspace), "--out", str(out), *([] if command == "all" else [command]),
                       cwd=workspace)
        assert done.returncode == 1 and "（G604）" in done.stderr, (out, command, done.stdout, done.stderr)
        assert "删除" not in done.stdout and "Traceback" not in done.stderr
        assert tree(tmp_path) == before, (out, command)


def test_a_site_of_an_older_version_without_marker_is_refused(project: Path) -> None:
    """Gongshi cannot tell a site it made before the marker from one the user made: it deletes neither."""
    assert site(project, "site").returncode == 0
    (project / "site" / MARKER).unlink()  # what gongshi before the marker left behind
    before = tree(project / "site")
    refused = site(project, "site")
    assert refused.returncode == 1 and "（G604）" in refused.stderr
    assert "旧版 gongshi" in refused.stderr and "自己删除这个目录" in refused.stderr  # what to do instead
    assert tree(project / "site") == before


def test_stale_boards_are_deleted_only_if_recorded_as_gongshis(project: Path, tmp_path: Path) -> None:
    """In a marked output, a run deletes the boards no longer made that it recorded writing; files it has
    no record of (the user's, or boards written before the record) are kept and named (G616)."""
    out = tmp_path / "print"
    args = ["--root", str(project), "--out", str(out), "boards", "--unit", "hall"]
    assert run_cli(*args).returncode == 0
    hall = out / "boards" / "hall"
    assert "tent-wang-fang.pdf" in (hall / ".gongshi-boards").read_text(encoding="utf-8")
    (hall / "tent-old-member.pdf").write_bytes(b"%PDF an old board, no record")  # written before the record existed
    (out / "boards" / "2025年存档").mkdir()
    (out / "boards" / "2025年存档" / "公示栏-盖章版.pdf").write_bytes(b"%PDF the user's")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "poster.pdf").write_bytes(b"%PDF not in the output")
    (out / "boards" / "linked").symlink_to(elsewhere)
    members = project / "content/units/hall/members.yml"
    text = members.read_text(encoding="utf-8")
    members.write_text(text.replace("咨询台\n    political_status: 群众\n    consent: true",
                                    "咨询台\n    political_status: 群众\n    consent: false"), encoding="utf-8")
    assert members.read_text(encoding="utf-8") != text
    done = run_cli(*args[:-2])  # every unit: boards/2025年存档/ and boards/linked/ are looked at too
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (hall / "tent-wang-fang.pdf").exists() and not (hall / "tent-wang-fang.html").exists()  # recorded: gone
    assert "tent-wang-fang" not in (hall / ".gongshi-boards").read_text(encoding="utf-8")
    assert (hall / "tent-old-member.pdf").read_bytes() == b"%PDF an old board, no record"
    assert (out / "boards" / "2025年存档" / "公示栏-盖章版.pdf").read_bytes() == b"%PDF the user's"
    assert (elsewhere / "poster.pdf").read_bytes() == b"%PDF not in the output"
    assert done.stdout.count("(G616)") == 2 and "tent-old-member.pdf" in done.stdout and "公示栏-盖章版.pdf" in done.stdout
    assert "删除了 2 个过期文件" in done.stdout


def test_boards_into_a_new_folder_mark_it_and_a_site_may_follow(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "print"
    done = run_cli("--root", str(project), "--out", str(out), "boards", "--unit", "hall", "--kind", "poster")
    assert done.returncode == 0, done.stderr
    assert (out / MARKER).is_file() and (out / "boards" / "hall" / "poster.pdf").is_file()
    assert site(project, str(out)).returncode == 0
    assert (out / "boards" / "hall" / "poster.pdf").is_file()  # carried over into the new site


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_next_build_removes_only_marked_leftovers(project: Path) -> None:
    assert site(project, "site").returncode == 0
    dead = _dead_pid()
    marked = [project / f".site.building-{dead}-abc", project / f".site.old-{dead}-def",
              project / ".site.pagefind-xyz", project / f".site.building-{dead}-empty"]
    for folder in marked[:3]:
        (folder / "site").mkdir(parents=True)
        (folder / "site" / "index.html").write_text("half a page")
        (folder / MARKER).write_text(MARKER_TEXT)
    marked[3].mkdir()  # killed before it wrote its marker: empty
    kept = {
        project / f".site.building-{dead}-nomark": "no marker",
        project / ".other.building-abc": "another output's",
        project / "site.building-abc": "not hidden: not ours",
        project / f".site.building-{os.getppid()}-live": "its build still runs",
    }
    for folder, why in kept.items():
        folder.mkdir()
        (folder / "note.txt").write_text(why)
        if "no marker" not in why:
            (folder / MARKER).write_text(MARKER_TEXT)
    outside = project.parent / "precious"
    outside.mkdir()
    (outside / MARKER).write_text(MARKER_TEXT)
    (project / ".site.building-link").symlink_to(outside)
    done = site(project, "site")
    assert done.returncode == 0, done.stderr
    assert [f for f in marked if f.exists()] == []
    assert all((f / "note.txt").read_text() == why for f, why in kept.items())
    assert (project / ".site.building-link").is_symlink() and (outside / MARKER).is_file()


def test_a_build_killed_part_way_is_cleaned_up_by_the_next(project: Path) -> None:
    """A real build, killed with SIGKILL while its staging folder exists."""
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "site"],
                             cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    leftovers: list[Path] = []
    while build.poll() is None and not leftovers:
        leftovers = [p for p in project.glob(".site.building-*") if (p / MARKER).is_file()]
        time.sleep(0.01)  # only to spare the CPU: the staging folder lives for the whole build
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert leftovers, "the build ended before its staging folder was seen"
    assert all(p.exists() for p in leftovers)  # nothing removed it: the process was killed
    done = site(project, "site")
    assert done.returncode == 0, done.stderr
    assert list(project.glob(".site.*")) == []
    assert (project / "site" / "index.html").is_file()


def test_project_file_writers_never_follow_links_out(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0\n")
    (project / "schema").symlink_to(outside)
    (project / "docs").mkdir()
    (project / "docs" / "reference.md").symlink_to(outside / "passwd")
    (project / ".github").mkdir()
    (project / ".github" / "CODEOWNERS").symlink_to(outside / "passwd")
    (project / ".github" / "workflows").mkdir()
    (project / ".github" / "workflows" / "gongshi.yml").symlink_to(outside / "passwd")
    before = tree(tmp_path)
    for args in (["schema"], ["reference"], ["codeowners", "--office", "@org/office", "--write"],
                 ["ci-templates", "--platform", "github"]):
        done = run_cli("--root", str(project), *args, cwd=project)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "（G607）" in done.stderr and "Traceback" not in done.stderr, args
        assert tree(tmp_path) == before, args


def test_admin_fetch_never_empties_a_foreign_folder(project: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work\n")
    before = tree(home)
    done = run_cli("--root", str(project), "admin-fetch", cwd=project,
                   env={**os.environ, "GONGSHI_DECAP_DIR": str(home)})
    assert done.returncode == 1 and "（G604）" in done.stderr, done.stderr
    assert tree(home) == before


def test_staff_scratch_leftovers_go_only_when_marked(project: Path) -> None:
    cache = project / ".cache"
    dead = _dead_pid()
    marked, unmarked = cache / f"gongshi-staff-{dead}-abc", cache / f"gongshi-staff-{dead}-def"
    for folder in (marked, unmarked):
        (folder / "content").mkdir(parents=True)
    (marked / MARKER).write_text(MARKER_TEXT)
    done = run_cli("--root", str(project), "progress", "hall", "p2", "--event", "窗口延时服务",
                   "--date", "2026-11-19", cwd=project)  # on or before the project's as-of date (G307)
    assert done.returncode == 0, done.stderr
    assert not marked.exists() and (unmarked / "content").is_dir()
    assert [p.name for p in cache.glob("gongshi-staff-*")] == [unmarked.name]  # its own scratch is gone too


def test_out_after_the_command_follows_the_same_rule(workspace: Path) -> None:
    before = tree(workspace.parent)
    for args in (["site", "--out", "."], ["boards", "--out", "content"], ["admin", "--out", ".."]):
        done = run_cli("--root", str(workspace), *args, cwd=workspace)
        assert done.returncode == 1 and "（G603）" in done.stderr, (args, done.stderr)
    assert tree(workspace.parent) == before
    done = run_cli("--root", str(workspace), "site", "--out", "public", cwd=workspace)
    assert done.returncode == 0 and (workspace / "public" / MARKER).is_file()


def test_boards_remove_temp_files_of_killed_runs_only(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "print"
    args = ["--root", str(project), "--out", str(out), "boards", "--unit", "hall", "--kind", "poster"]
    assert run_cli(*args).returncode == 0
    folder = out / "boards" / "hall"
    dead = _dead_pid()
    gone = folder / f".poster.pdf.{dead}-k2j4x_9a.tmp"
    kept = [folder / f".poster.pdf.{os.getppid()}-abcdefgh.tmp",  # its run still goes on
            folder / "notes.tmp", folder / ".poster.pdf.abcdefgh.tmp"]  # not named by a run of ours
    for path in [gone, *kept]:
        path.write_bytes(b"%PDF-1.7 half")
    assert run_cli(*args).returncode == 0
    assert not gone.exists() and all(p.is_file() for p in kept)


def test_project_file_writers_refuse_a_file_where_their_folder_belongs(project: Path) -> None:
    (project / "schema").write_text("my notes\n")
    (project / "docs").write_text("more notes\n")
    for args in (["schema"], ["reference"]):
        done = run_cli("--root", str(project), *args, cwd=project)
        assert done.returncode == 1 and "（G607）" in done.stderr and "G601" not in done.stderr, done.stderr
    assert (project / "schema").read_text() == "my notes\n" and (project / "docs").read_text() == "more notes\n"


@pytest.mark.parametrize("command", ["site", "boards"])
def test_an_output_where_no_folder_can_be_made_is_refused_by_name(project: Path, command: str) -> None:
    """/proc takes no new folders (even for root, whom the permission test lets through)."""
    done = site(project, "/proc/gongshi-site", command)
    assert done.returncode == 1
    assert "无法在 /proc 里创建" in done.stderr and "(G606)" in done.stderr.replace("（", "(").replace("）", ")")
    assert "G601" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_report_never_replaces_a_file_gongshi_did_not_write(project: Path, tmp_path: Path) -> None:
    """Audit: a second ``report`` replaced the edited .docx; ``--to`` replaced the user's PDF, wrote into
    content/, and ended in G601 for a file."""
    reports = project / "reports"
    assert run_cli("--root", str(project), "report", cwd=project).returncode == 0
    again = run_cli("--root", str(project), "report", cwd=project)  # unchanged since gongshi wrote it: replaced
    assert again.returncode == 0, again.stderr
    docx = reports / "report-2026h2.docx"
    docx.write_bytes(docx.read_bytes() + b"edited in WPS")
    before = files(project.parent)
    done = run_cli("--root", str(project), "report", cwd=project)
    assert done.returncode == 1 and "（G755）" in done.stderr and str(docx) in done.stderr and "--force" in done.stderr
    assert files(project.parent) == before  # the .pdf beside it not written either
    forced = run_cli("--root", str(project), "report", "--force", cwd=project)
    assert forced.returncode == 0 and not docx.read_bytes().endswith(b"edited in WPS")
    mydocs = tmp_path / "mydocs"
    mydocs.mkdir()
    (mydocs / "report-2026h2.pdf").write_bytes(b"%PDF the user's own")
    (project / ".git").mkdir()
    before = files(tmp_path)
    for to, code in ((str(mydocs), "G755"), ("content", "G607"), ("content/units/hall", "G607"),
                     ("site_config.yml", "G605"), (".git", "G607")):
        done = run_cli("--root", str(project), "report", "--to", to, cwd=project)
        assert done.returncode == 1 and f"（{code}）" in done.stderr, (to, done.stderr)
        assert "G601" not in done.stderr and "Traceback" not in done.stderr, to
        assert files(tmp_path) == before, to


def test_remind_save_writes_only_its_own_two_files(project: Path) -> None:
    """Audit: ``--save notes.txt`` wrote notes.xlsx and replaced notes.csv; ``--save .`` ended in G601."""
    (project / "notes.csv").write_text("the user's notes\n")
    assert site(project, "site").returncode == 0
    before = files(project.parent)
    for save, code in (("notes.txt", "G756"), ("notes.xlsx", "G755"), (".", "G756"), ("content", "G756"),
                       ("content/units/hall/pledges.yml", "G756"), ("content/units/hall/pledges.xlsx", "G607"),
                       ("site/reminders.xlsx", "G607"), ("site_config.yml/reminders.xlsx", "G605")):
        done = run_cli("--root", str(project), "remind", "--save", save, cwd=project)
        assert done.returncode == 1 and f"（{code}）" in done.stderr, (save, done.stdout, done.stderr)
        assert "G601" not in done.stderr and "Traceback" not in done.stderr, save
        assert files(project.parent) == before, save
    for _ in range(2):  # the second run replaces what the first wrote
        done = run_cli("--root", str(project), "remind", "--save", "out/reminders", cwd=project)
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / "out").iterdir()) == ["reminders.csv", "reminders.xlsx"]
    assert (project / "notes.csv").read_text() == "the user's notes\n"


def test_office_commands_name_the_content_errors_codes(project: Path) -> None:
    members = project / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("name: 李明", "nam: 李明", 1), encoding="utf-8")
    for command in (["report"], ["remind"]):
        done = run_cli("--root", str(project), *command, cwd=project)
        assert done.returncode == 1 and "G601" not in done.stderr, done.stderr
        assert "内容有错误（G201、G202）" in done.stderr
    assert not (project / "reports").exists()


def test_ci_templates_never_replace_an_edited_workflow_unasked(project: Path) -> None:
    """Audit: the office's edited .github/workflows/gongshi.yml was replaced without a word."""
    assert run_cli("--root", str(project), "ci-templates", cwd=project).returncode == 0
    again = run_cli("--root", str(project), "ci-templates", cwd=project)  # unchanged: written again, fine
    assert again.returncode == 0, again.stderr
    workflow = project / ".github" / "workflows" / "gongshi.yml"
    workflow.write_text(workflow.read_text(encoding="utf-8") + "# 本省的改动\n", encoding="utf-8")
    before = files(project)
    done = run_cli("--root", str(project), "ci-templates", cwd=project)
    assert done.returncode == 1 and "（G755）" in done.stderr and str(workflow) in done.stderr, done.stderr
    assert "--force" in done.stderr and files(project) == before  # the other platforms' not written either
    other = run_cli("--root", str(project), "ci-templates", "--platform", "gitea", cwd=project)
    assert other.returncode == 0 and workflow.read_text(encoding="utf-8").endswith("# 本省的改动\n")
    forced = run_cli("--root", str(project), "ci-templates", "--force", cwd=project)
    assert forced.returncode == 0 and not workflow.read_text(encoding="utf-8").endswith("# 本省的改动\n")
