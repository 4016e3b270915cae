"""Careless and hostile content files: clear errors, nothing read from outside, nothing hangs.

Every case runs the real command line in a fresh interpreter, with the subprocess timeout
of ``run_cli`` as the only guard: a regression fails instead of hanging (no timing asserted).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from .conftest import run_cli
from .staff_support import snapshot

HALL = Path("content/units/hall")


def check(project: Path) -> tuple[int, str]:
    done = run_cli("--root", str(project), "check", "--format", "text")
    assert "Traceback" not in done.stderr and "G601" not in done.stdout + done.stderr, done.stderr
    return done.returncode, done.stdout


MEMBERS, CONFIG = HALL / "members.yml", Path("site_config.yml")


@pytest.mark.parametrize(("where", "make", "code"), [
    (MEMBERS, lambda path, outside: path.symlink_to("/etc/passwd"), "G111"),
    (MEMBERS, lambda path, outside: path.symlink_to("/dev/zero"), "G111"),
    (MEMBERS, lambda path, outside: path.symlink_to(outside), "G111"),  # a file outside the project
    (MEMBERS, lambda path, outside: os.mkfifo(path), "G112"),
    (MEMBERS, lambda path, outside: path.mkdir(), "G112"),
    (MEMBERS, lambda path, outside: (os.mkfifo(path.with_name("pipe")), path.symlink_to("pipe")), "G112"),
    (MEMBERS, lambda path, outside: path.symlink_to(path.name), "G111"),  # a loop
    (MEMBERS, lambda path, outside: path.symlink_to("gone.yml"), "G110"),  # dangling
    (CONFIG, lambda path, outside: path.symlink_to("/dev/zero"), "G111"),
    (CONFIG, lambda path, outside: path.symlink_to("/etc/passwd"), "G111"),
    (CONFIG, lambda path, outside: os.mkfifo(path), "G112"),
    (CONFIG, lambda path, outside: path.symlink_to(outside), "G111"),
])
def test_content_files_must_be_regular_files_in_the_project(project: Path, tmp_path: Path, where: Path,
                                                             make: Callable[[Path, Path], None], code: str) -> None:
    path = project / where
    outside = tmp_path / "outside.yml"
    outside.write_bytes(path.read_bytes())  # valid content: only where it lies is wrong
    path.unlink()
    make(path, outside)
    rc, out = check(project)
    assert rc == 1
    assert f"{where.as_posix()}:1:1: [error]" in out and f"({code})" in out, out
    assert "root:" not in out  # nothing of the linked file is shown


def test_a_link_inside_the_project_is_read(project: Path) -> None:
    """Links are not banned as such: one to another file of the project is read like it."""
    (project / "shared.yml").write_bytes((project / HALL / "members.yml").read_bytes())
    (project / HALL / "members.yml").unlink()
    (project / HALL / "members.yml").symlink_to(project / "shared.yml")
    assert check(project)[0] == 0


OVERRIDE_CASES = [
    ("overrides/site/passwd.txt", lambda path, outside: path.symlink_to("/etc/passwd"), "G111"),
    ("overrides/site/assets/gongshi.css", lambda path, outside: path.symlink_to("/etc/passwd"), "G111"),
    ("overrides/boards/poster.css", lambda path, outside: path.symlink_to(outside), "G111"),
    ("overrides/site/etc", lambda path, outside: path.symlink_to("/etc"), "G111"),  # a folder out of the project
    ("overrides/site/loop.css", lambda path, outside: path.symlink_to("loop.css"), "G111"),
    ("overrides/site/pipe.css", lambda path, outside: os.mkfifo(path), "G112"),
    ("overrides/site/gone.css", lambda path, outside: path.symlink_to("nowhere.css"), "G110"),
]


@pytest.mark.parametrize(("where", "make", "code"), OVERRIDE_CASES)
def test_overrides_must_be_regular_files_in_the_project(project: Path, tmp_path: Path, where: str,
                                                        make: Callable[[Path, Path], None], code: str) -> None:
    """overrides/ is copied into the site as it is: a link out of it would publish the build machine's files."""
    path = project / where
    path.parent.mkdir(parents=True, exist_ok=True)
    outside = tmp_path / "outside.css"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    make(path, outside)
    rc, out = check(project)
    assert rc == 1
    assert f"{where}:1:1: [error]" in out and f"({code})" in out, out
    assert "root:x" not in out


def test_site_refuses_an_override_linked_out_of_the_project(project: Path) -> None:
    assert run_cli("--root", str(project), "site").returncode == 0
    before = sorted((project / "site").rglob("*"))
    (project / "overrides/site").mkdir(parents=True)
    (project / "overrides/site/passwd.txt").symlink_to("/etc/passwd")
    done = run_cli("--root", str(project), "site")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "overrides/site/passwd.txt:1:1: [error]" in done.stdout and "(G111)" in done.stdout
    assert sorted((project / "site").rglob("*")) == before  # nothing written: site/passwd.txt never appears


def test_an_override_linked_inside_overrides_is_used(project: Path) -> None:
    (project / "overrides/boards").mkdir(parents=True)
    (project / "overrides/shared.css").write_text(".board-title { color: #b00020; }\n", encoding="utf-8")
    (project / "overrides/boards/poster.css").symlink_to(project / "overrides/shared.css")
    assert check(project)[0] == 0


def test_an_override_linked_to_the_projects_git_config_is_refused(project: Path) -> None:
    """actions/checkout keeps the job's token in .git/config: a link there would publish it."""
    (project / ".git").mkdir()
    (project / ".git/config").write_text('[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic FAKE\n',
                                         encoding="utf-8")
    (project / "overrides/site").mkdir(parents=True)
    (project / "overrides/site/robots-extra.txt").symlink_to(project / ".git/config")
    rc, out = check(project)
    assert rc == 1 and "overrides/site/robots-extra.txt:1:1: [error]" in out and "(G111)" in out


def test_size_cap_is_read_not_trusted(project: Path) -> None:
    """A sparse 8 GB members.yml is refused after reading at most cap + 1 bytes."""
    path = project / HALL / "members.yml"
    with path.open("r+b") as handle:
        handle.truncate(8 * 1024**3)
    rc, out = check(project)
    assert rc == 1 and "(G107)" in out


@pytest.mark.parametrize(("make", "expected"), [
    (lambda u: (u / "x").mkdir(), "content/units/x/ 里没有 unit.yml（这是一个空目录）"),
    (lambda u: _rename(u / "hall", "unit.yml", "unit.yaml"), "找到 unit.yaml，请改名为 unit.yml"),
    (lambda u: _rename(u / "hall", "unit.yml", "Unit.yml"), "找到 Unit.yml，请改名为 unit.yml"),
    (lambda u: _rename(u / "hall", "unit.yml", "unit.yml.txt"), "找到 unit.yml.txt，请改名为 unit.yml"),
    (lambda u: (u / "stray.yml").write_text("name: x\n"), "stray.yml 直接放在 content/units/ 下"),
    (lambda u: (u / "center" / "unit.yml").rename(u / "unit.yml"), "content/units/center/ 里没有 unit.yml"),
])
def test_careless_unit_folders_are_named(project: Path, make, expected: str) -> None:
    make(project / "content" / "units")
    rc, out = check(project)
    assert rc == 1
    assert expected in out, out
    assert "(G113)" in out or "(G114)" in out
    site = run_cli("--root", str(project), "site")
    assert site.returncode == 1 and "G601" not in site.stderr and "Traceback" not in site.stderr


def _rename(folder: Path, old: str, new: str) -> None:
    (folder / old).rename(folder / new)


def test_other_files_in_content_units_are_only_a_warning(project: Path) -> None:
    units = project / "content" / "units"
    (units / "README.md").write_text("说明\n")
    (units / ".gitkeep").write_text("")
    os.mkfifo(units / "pipe")
    rc, out = check(project)
    assert rc == 0
    assert out.count("(G114)") == 2 and "README.md" in out and ".gitkeep" not in out


@pytest.mark.parametrize("as_of", ["2206-01-01", "1026-01-01", "9999-12-31", "0001-01-01", "1999-12-31"])
def test_as_of_outside_the_sane_range_is_a_check_error(project: Path, as_of: str) -> None:
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2026-11-20", f"as_of: {as_of}"),
                      encoding="utf-8")
    rc, out = check(project)
    assert rc == 1 and "(G115)" in out and "site_config.yml:" in out, out
    site = run_cli("--root", str(project), "site")
    assert site.returncode == 1 and "G601" not in site.stderr
    assert not (project / "site").exists()


def test_as_of_range_is_a_setting(project: Path) -> None:
    config = project / "site_config.yml"
    text = config.read_text(encoding="utf-8").replace("as_of: 2026-11-20", "as_of: 1999-12-31")
    config.write_text(text + "as_of_range:\n  earliest: 1990-01-01\n", encoding="utf-8")
    _, out = check(project)
    assert "(G115)" not in out  # the range allows 1999
    assert "(G116)" in out and "(G307)" in out  # but the content's 2026 records and periods come after it


def test_a_mistyped_as_of_date_is_one_error_not_one_for_every_record(project: Path) -> None:
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2026-11-20", "as_of: 1026-11-20"), encoding="utf-8")
    rc, out = check(project)
    assert rc == 1 and "(G115)" in out and "(G307)" not in out


def test_source_date_epoch_outside_the_range_is_a_check_error(project: Path) -> None:
    config = project / "site_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2026-11-20\n", ""), encoding="utf-8")
    done = run_cli("--root", str(project), "check", env={**os.environ, "SOURCE_DATE_EPOCH": "99999999999"})
    assert done.returncode == 1 and "(G115)" in done.stdout and "SOURCE_DATE_EPOCH" in done.stdout


BAD_IDS = [".", "..", "a/b", "/tmp/x", "", "hall\tx", "hall\n", "../../etc", "Hall"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_staff_commands_refuse_malformed_unit_ids(project: Path, bad: str) -> None:
    before = snapshot(project)
    for args in (["new", "member", bad, "--id", "zs", "--name", "张三", "--post", "窗口", "--political-status", "群众"],
                 ["fulfil", bad, "p2", "--evidence", "登记簿"]):
        done = run_cli("--root", str(project), *args, cwd=project)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "（G710）" in done.stderr and "检查通过" not in done.stdout, args
    assert snapshot(project) == before
    assert sorted(p.name for p in (project / "content").iterdir()) == ["units"]


@pytest.mark.parametrize("args", [
    ["new", "member", "hall", "--id", "..", "--name", "张三", "--post", "窗口", "--political-status", "群众"],
    ["new", "pledge", "hall", "--id", "../x", "--text", "x", "--topic", "服务承诺", "--due", "2026-12-31"],
    ["new", "pledge", "hall", "--member", "", "--text", "x", "--topic", "服务承诺", "--due", "2026-12-31"],
    ["new", "comment", "..", "--leader", "赵强", "--leader-title", "部长", "--kind", "现场点评", "--problems", "x"],
    ["new", "rectification", "a/b", "--problem", "x", "--measure", "y", "--leader", "z", "--person", "w",
     "--source", "领导点评", "--deadline", "2026-12-31"],
    ["new", "unit", ".", "--name", "x", "--kind", "其他"],
    ["new", "unit", "x", "--name", "x", "--kind", "其他", "--parent", "../hall"],
    ["progress", "hall", "../p1", "--event", "x"],
    ["rate", "..", "p1", "--outcome", "已兑现"],
    ["withdraw", "hall", "p2\n", "--reason", "x"],
    ["close", "hall", "/r1", "--result", "x"],
    ["import-survey", "x.csv", "--unit", "..", "--period", "2026h2"],
    ["import-reviews", "x.csv", "--unit", "hall", "--period", "../2026h2"],
])
def test_every_staff_id_argument_is_validated(project: Path, args: list[str]) -> None:
    before = snapshot(project)
    done = run_cli("--root", str(project), *args, cwd=project)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "（G710）" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(project) == before


def test_staff_refuse_a_unit_folder_linked_out_of_the_project(project: Path, tmp_path: Path) -> None:
    import shutil

    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project / HALL, elsewhere)
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    (project / "content" / "units" / "evil").symlink_to(elsewhere)
    done = run_cli("--root", str(project), "fulfil", "evil", "p2", "--evidence", "登记簿", cwd=project)
    assert done.returncode == 1 and "检查通过" not in done.stdout
    assert "（G711）" in done.stderr or "（G712）" in done.stderr, done.stderr
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before


def _alias_bomb() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("prefix", "code"), [
    (_alias_bomb(), "G103"),
    ("deep: " + "[" * 5000 + "]" * 5000 + "\n", "G108"),
])
def test_staff_edits_load_with_the_hardened_loader_first(project: Path, prefix: str, code: str) -> None:
    pledges = project / HALL / "pledges.yml"
    pledges.write_text(prefix + pledges.read_text(encoding="utf-8"), encoding="utf-8")
    before = snapshot(project)
    for args in (["fulfil", "hall", "p2", "--evidence", "登记簿"], ["progress", "hall", "p2", "--event", "x"],
                 ["new", "pledge", "hall", "--text", "x", "--topic", "服务承诺", "--due", "2026-12-31"]):
        done = run_cli("--root", str(project), *args, cwd=project)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert f"({code})" in done.stderr and "（G712）" in done.stderr, done.stderr
        assert "检查通过" not in done.stdout
    assert snapshot(project) == before


def test_staff_edit_with_a_fifo_elsewhere_does_not_hang(project: Path) -> None:
    members = project / "content" / "units" / "center" / "members.yml"
    os.mkfifo(members)
    done = run_cli("--root", str(project), "fulfil", "hall", "p2", "--evidence", "登记簿", cwd=project)
    assert done.returncode == 1 and "(G112)" in done.stdout + done.stderr, done.stdout + done.stderr


def _jpeg(size: tuple[int, int] = (300, 400)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((300, 400), 40).save(out, "PNG")
    return out.getvalue()


def _give_photo(project: Path, data: bytes) -> None:
    photo = project / HALL / "photos" / "li-ming.jpg"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(data)
    members = project / MEMBERS
    text = members.read_text(encoding="utf-8")
    if "photo:" not in text:
        members.write_text(text.replace("    name: 李明\n", "    name: 李明\n    photo: photos/li-ming.jpg\n", 1),
                           encoding="utf-8")


@pytest.mark.parametrize(("data", "expected"), [
    (b"x\n", "不是图片"),
    (b"", "不是图片"),
    (_jpeg()[:4000], "不完整"),
    (_png()[:4000], "不完整"),
])
def test_a_photo_that_is_no_image_or_cut_short_is_found_by_check(project: Path, data: bytes, expected: str) -> None:
    """Found by check at the photo: line of members.yml, not by site as an internal error."""
    _give_photo(project, data)
    rc, out = check(project)
    assert rc == 1
    assert "content/units/hall/members.yml:4:5: [error] 照片 photos/li-ming.jpg" in out, out
    assert expected in out and "(G308)" in out, out
    site = run_cli("--root", str(project), "site")
    assert site.returncode == 1 and "G601" not in site.stderr + site.stdout and "(G308)" in site.stdout


def test_a_photo_above_the_documented_40_megapixels_is_refused_in_chinese(project: Path) -> None:
    _give_photo(project, _jpeg((10000, 5000)))
    done = run_cli("--root", str(project), "check", "--format", "text")
    assert done.returncode == 1
    assert "members.yml:4:5: [error] 照片 photos/li-ming.jpg 有 10000×5000 像素（5000 万），超过上限 4000 万" in done.stdout
    assert "(G308)" in done.stdout and "Warning" not in done.stderr + done.stdout, done.stderr


def test_good_photos_pass_and_a_motion_photo_trailer_is_no_truncation(project: Path) -> None:
    """Phones append a video after the JPEG's end marker: the photo is whole."""
    _give_photo(project, _jpeg() + b"\x00\x00\x00\x18ftypmp42" + bytes(5000))
    assert check(project)[0] == 0
    _give_photo(project, _png())
    assert check(project)[0] == 0
