"""The incremental site build: after any edit it must publish exactly what a full build publishes.

Each test edits the demo content, rebuilds the published site with the cache (rendering only
what changed) and compares it, file by file and byte by byte, with a full build of the same
content into an empty folder. Real MkDocs, real Pagefind.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from generator import web
from generator.check import check
from generator.errors import BuildError
from generator.ledgers import Ledger
from generator.model import Site
from generator.sitebuild import Report, build_site

from .conftest import ROOT, run_cli


def _project(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copyfile(ROOT / "site_config.yml", target / "site_config.yml")
    return target


def _build(root: Path, out: Path, cache: Path | None) -> Report:
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems if p.level == "error"]
    return build_site(result.site, out, cache=cache)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_as_full(root: Path, out: Path, tmp: Path) -> None:
    reference = tmp / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    _build(root, reference, cache=None)
    got, want = _tree(out), _tree(reference)
    assert sorted(got) == sorted(want), (set(got) ^ set(want))
    changed = [path for path in want if got[path] != want[path]]
    assert changed == []


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def published(tmp_path: Path) -> tuple[Path, Path, Path]:
    root = _project(tmp_path / "project")
    out, cache = root / "site", root / ".cache"
    first = _build(root, out, cache)
    assert first.rendered == first.pages and first.search == "built"
    return root, out, cache


def test_nothing_changed_renders_nothing(published: tuple[Path, Path, Path]) -> None:
    root, out, cache = published
    before = _tree(out)
    again = _build(root, out, cache)
    assert (again.rendered, again.reused, again.search) == (0, again.pages, "unchanged")
    assert _tree(out) == before


def test_a_window_edit_renders_its_pages_and_ancestors_only(published: tuple[Path, Path, Path],
                                                            tmp_path: Path) -> None:
    root, out, cache = published
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    report = _build(root, out, cache)
    assert 0 < report.rendered < report.pages / 2 and report.search == "later"
    assert "周一至周六" in (out / "units/tax-hall/index.html").read_text(encoding="utf-8")
    _same_as_full(root, out, tmp_path)


def test_an_edit_of_opening_hours_leaves_the_summarising_pages_alone(published: tuple[Path, Path, Path],
                                                                     tmp_path: Path) -> None:
    """Hours show on the unit's own pages, its open data and search only: home, the unit list and the
    ledgers are not rendered again (their files are the same files), and the site is a full build's."""
    root, out, cache = published
    alone = ["index.html", "units/index.html", "ledgers/pledges/index.html", "ledgers/rankings/index.html", "feed.xml"]
    before = {path: (out / path).stat().st_ino for path in alone}
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    report = _build(root, out, cache)
    assert {path: (out / path).stat().st_ino for path in alone} == before
    assert "周一至周六" in (out / "units/tax-hall/index.html").read_text(encoding="utf-8")
    assert "周一至周六" in (out / "data/units.json").read_text(encoding="utf-8")
    assert report.search == "later"
    _same_as_full(root, out, tmp_path)


def test_open_data_files_an_edit_does_not_change_stay_as_they_are(published: tuple[Path, Path, Path],
                                                                    tmp_path: Path) -> None:
    """An hours edit changes units.json and units.csv only: the other data files are left in place
    (the same inode), and the site is a full build's."""
    root, out, cache = published
    data = sorted(p.relative_to(out).as_posix() for p in (out / "data").glob("*.*"))
    before = {path: (out / path).stat().st_ino for path in data}
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    _build(root, out, cache)
    changed = sorted(path for path in data if (out / path).stat().st_ino != before[path])
    assert changed == ["data/index.html", "data/units.csv", "data/units.json"]  # the page lists the sizes
    _same_as_full(root, out, tmp_path)


def test_a_data_file_changed_by_hand_is_written_again(published: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """A published file is kept only when it holds exactly the new bytes: one altered in place,
    at the same size and time, is replaced by the next build that renders its group."""
    root, out, cache = published
    pledges = out / "data/pledges.json"
    before = pledges.stat()
    body = pledges.read_bytes()
    with pledges.open("r+b") as handle:
        handle.write(body[:-3].replace(b"\"", b"'", 1) + body[-3:])
    os.utime(pledges, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert pledges.read_bytes() != body and pledges.stat().st_size == before.st_size
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    _build(root, out, cache)
    assert pledges.read_bytes() == body
    _same_as_full(root, out, tmp_path)


def test_a_preview_superseded_by_a_newer_save_leaves_search_to_that_save(published: tuple[Path, Path, Path],
                                                                        tmp_path: Path) -> None:
    """serve stops re-indexing (Pagefind: 12-20 s at 2,000 units) once a newer save waits, so that
    save is not held back; the index in place stays whole, and the next build re-indexes."""
    root, out, cache = published
    index = _tree(out / "pagefind")
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    result = check(root)
    assert result.site is not None
    stopped = build_site(result.site, out, cache=cache, superseded=lambda: True)
    assert stopped.search == "behind"
    assert "周一至周六" in (out / "units/tax-hall/index.html").read_text(encoding="utf-8")
    assert _tree(out / "pagefind") == index
    again = _build(root, out, cache)
    assert (again.rendered, again.search) == (0, "later")
    assert _tree(out / "pagefind") != index
    _same_as_full(root, out, tmp_path)


def test_a_preview_publishes_the_edited_unit_before_it_mends_pages_deleted_by_hand(
        published: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """Whether every published file is still there is a stat of each (1.2 s at 2,000 units the first
    time after serve starts): serve's edited pages go live first, the deleted page is mended after."""
    root, out, cache = published
    deleted = out / "units" / _other_unit(root) / "index.html"
    deleted.unlink()
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    seen: list[tuple[bool, bool]] = []

    def live() -> None:
        seen.append(("周一至周六" in (out / "units/tax-hall/index.html").read_text(encoding="utf-8"), deleted.exists()))

    result = check(root)
    assert result.site is not None
    build_site(result.site, out, cache=cache, unit_pages_live=live)
    assert seen == [(True, False)] and deleted.exists()
    _same_as_full(root, out, tmp_path)


def _other_unit(root: Path) -> str:
    return next(p.name for p in sorted((root / "content/units").iterdir()) if p.name != "tax-hall")


def test_a_ledger_page_deleted_by_hand_is_rendered_again(published: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """The ledger pages are listed from the last build's plan when no ledger changed; one that is
    missing from the site is made again all the same."""
    root, out, cache = published
    (out / "ledgers/pledges/index.html").unlink()
    report = _build(root, out, cache)
    assert report.rendered == 1
    _same_as_full(root, out, tmp_path)


def test_ledger_downloads_are_written_again_only_when_a_row_changes(
        published: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site workbook and each ledger's files come from the cache when no ledger row changed
    (an edit of opening hours), and are written anew, with the new text, when one did."""
    root, out, cache = published
    marks = tmp_path / "written"
    marks.mkdir()
    real = web.ledger_files

    def counted(site: Site, ledgers: list[Ledger] | None = None) -> dict[str, bytes]:
        (marks / str(len(list(marks.iterdir())))).touch()  # render workers are forked: count on disk
        return real(site, ledgers)

    monkeypatch.setattr(web, "ledger_files", counted)
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    _build(root, out, cache)
    assert list(marks.iterdir()) == []
    _same_as_full(root, out, tmp_path)  # a build without a cache: writes them (mark 0)

    _edit(root / "content/units/tax-hall/pledges.yml", "延时服务至18:30", "延时服务至19:00")
    _build(root, out, cache)
    assert len(list(marks.iterdir())) == 2
    assert "延时服务至19:00" in (out / "ledgers/pledges/pledges.csv").read_text(encoding="utf-8-sig")
    _same_as_full(root, out, tmp_path)


def test_renaming_the_top_unit_reaches_every_breadcrumb(published: tuple[Path, Path, Path],
                                                         tmp_path: Path) -> None:
    root, out, cache = published
    _edit(root / "content/units/qingchuan-party/unit.yml", "short_name: 县委组织部", "short_name: 青川县委组织部")
    _build(root, out, cache)
    assert "青川县委组织部" in (out / "units/zhengwu-estate-window/index.html").read_text(encoding="utf-8")
    _same_as_full(root, out, tmp_path)


def test_a_member_withdrawing_consent_removes_their_page(published: tuple[Path, Path, Path],
                                                          tmp_path: Path) -> None:
    root, out, cache = published
    members = root / "content/units/tax-hall/members.yml"
    gone = next(line.split(":", 1)[1].strip() for line in members.read_text(encoding="utf-8").splitlines()
                if line.strip().startswith("- id:")).strip("'\"")
    assert (out / f"units/tax-hall/members/{gone}/index.html").is_file()
    _edit(members, "consent: true", "consent: false")
    _build(root, out, cache)
    assert not (out / f"units/tax-hall/members/{gone}").exists()
    _same_as_full(root, out, tmp_path)


def test_a_settings_change_rebuilds_everything(published: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, out, cache = published
    _edit(root / "site_config.yml", "supervision_phone: '0839-12345678'", "supervision_phone: '0839-87654321'")
    report = _build(root, out, cache)
    assert report.rendered == report.pages
    _same_as_full(root, out, tmp_path)


def test_a_page_deleted_by_hand_is_rendered_again(published: tuple[Path, Path, Path], tmp_path: Path) -> None:
    root, out, cache = published
    (out / "units/tax-hall/index.html").unlink()
    report = _build(root, out, cache)
    assert 0 < report.rendered < report.pages
    _same_as_full(root, out, tmp_path)


def test_a_site_changed_by_something_else_is_built_whole(published: tuple[Path, Path, Path]) -> None:
    root, out, cache = published
    (out / "sitemap.xml").write_text("changed by hand", encoding="utf-8")
    report = _build(root, out, cache)
    assert report.rendered == report.pages and report.search == "built"


def test_a_manifest_of_another_version_means_a_full_build(published: tuple[Path, Path, Path]) -> None:
    """A cache written by another gongshi (an older manifest format) is not read: the site is built whole."""
    from generator.diskcache import read_sealed, write_sealed
    from generator.sitebuild.manifest import MANIFEST_VERSION, manifest_path

    root, out, cache = published
    path = manifest_path(cache, out.resolve())
    data = json.loads(read_sealed(path) or b"")
    assert data["version"] == MANIFEST_VERSION
    write_sealed(path, json.dumps({**data, "version": MANIFEST_VERSION - 1}).encode())
    report = _build(root, out, cache)
    assert report.rendered == report.pages and report.search == "built"
    assert _build(root, out, cache).rendered == 0  # and the manifest it wrote is read again


def test_a_failing_incremental_build_leaves_the_site_as_it_was(published: tuple[Path, Path, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root, out, cache = published
    before = _tree(out)
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")

    def fail(*args: object) -> None:
        raise BuildError("模拟失败")

    monkeypatch.setattr("generator.mkdocs_site.sitemap_files", fail)
    with pytest.raises(BuildError):
        _build(root, out, cache)
    assert _tree(out) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == [".cache"]


def test_rendering_on_two_cores_gives_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / "project")
    monkeypatch.setattr("generator.sitebuild.render.PARALLEL_FROM", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    report = _build(root, root / "site", root / ".cache")
    assert report.rendered == report.pages
    monkeypatch.setattr("generator.sitebuild.render.PARALLEL_FROM", 10**9)  # the reference: one process
    _same_as_full(root, root / "site", tmp_path)


def test_builds_into_one_folder_take_turns(published: tuple[Path, Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A second build (serve rebuilding while someone runs site) waits for the first."""
    import fcntl
    import threading

    from generator.sitebuild.manifest import manifest_path

    root, out, cache = published
    lock = manifest_path(cache, out.resolve()).with_suffix(".lock")
    finished: list[Report] = []
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as if another build were running
        worker = threading.Thread(target=lambda: finished.append(_build(root, out, cache)))
        worker.start()
        worker.join(timeout=3)
        assert worker.is_alive() and finished == []  # it waits
        fcntl.flock(handle, fcntl.LOCK_UN)
    worker.join(timeout=120)
    assert finished and finished[0].rendered == 0
    assert "另一个生成过程正在写入" in capsys.readouterr().err  # the waiting build says why it waits


def test_cli_full_rebuilds_every_page(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    first = run_cli("--root", str(root), "site")
    again = run_cli("--root", str(root), "site")
    full = run_cli("--root", str(root), "site", "--full")
    assert first.returncode == again.returncode == full.returncode == 0, full.stderr
    assert "沿用未变的 0" in first.stdout and "新生成 0" in again.stdout and "搜索索引无需更新" in again.stdout
    assert "沿用未变的 0" in full.stdout and "搜索索引已重建" in full.stdout


def _indexed_urls(out: Path) -> set[str]:
    """The pages in the published Pagefind index: each fragment names its page."""
    urls = set()
    for fragment in (out / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


MARKED = re.compile("<article [^>]*data-pagefind-body")  # the part of a page Pagefind indexes


def _url(out: Path, page: Path) -> str:
    folder = page.parent.relative_to(out).as_posix()
    return "/" if folder == "." else f"/{folder}/"


def test_search_indexes_exactly_the_declared_pages(published: tuple[Path, Path, Path]) -> None:
    """What Pagefind indexed, read from its index, is what generator.web.indexed declares: not a
    member page, a ledger or a removed unit (whose page the glob reads), and every unit page."""
    from generator.web import plan_site

    root, out, _ = published
    result = check(root)
    assert result.site is not None
    plan = plan_site(result.site)
    declared = {f"/{page.url}" for group in plan.groups for page in group.contents()[0] if page.search}
    marked = {_url(out, page) for page in out.rglob("index.html") if MARKED.search(page.read_text(encoding="utf-8"))}
    assert _indexed_urls(out) == declared == marked
    units = {f"/units/{unit}/" for unit in result.site.units}
    assert units | {"/", "/units/", "/about/", "/guide/reference/", "/data/"} <= declared
    assert (out / "units/zhengwu-tax-window/index.html").is_file()  # a removed unit: the glob reads it
    assert not any(url.startswith("/ledgers/") or "/members/" in url for url in declared)
    assert "/units/zhengwu-tax-window/" not in declared


def test_an_edit_is_live_on_its_units_pages_before_the_rest_render(published: tuple[Path, Path, Path],
                                                                  tmp_path: Path) -> None:
    """serve's preview: when the build says the unit's pages are live, the edited unit page already
    shows the edit while the pages that summarise every unit are still being made; the finished
    site is the same as a full build's."""
    root, out, cache = published
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    ledger = (out / "ledgers/pledges/index.html").read_bytes()
    seen: list[tuple[bool, bool]] = []

    def live() -> None:
        unit_page = (out / "units/tax-hall/index.html").read_text(encoding="utf-8")
        seen.append(("周一至周六" in unit_page, (out / "ledgers/pledges/index.html").read_bytes() == ledger))

    result = check(root)
    assert result.site is not None
    report = build_site(result.site, out, cache=cache, unit_pages_live=live)
    assert seen == [(True, True)]  # called once, the unit page new, the ledgers not yet touched
    assert 0 < report.rendered < report.pages / 2
    _same_as_full(root, out, tmp_path)


def _preview_stopped(root: Path, out: Path, cache: Path, after: int = 0) -> Report:
    """serve's build when a newer save waits: it stops once the edited unit is live and the newer
    save is seen, ``after`` questions later (0: at once; more: while the rest renders)."""
    result = check(root)
    assert result.site is not None
    live: list[bool] = []
    asked: list[bool] = []

    def superseded() -> bool:
        asked.append(True)
        return len(asked) > after

    report = build_site(result.site, out, cache=cache, unit_pages_live=lambda: live.append(True),
                        superseded=superseded)
    assert live == [True] and report.search == "superseded" and len(asked) > after
    return report


def test_a_preview_stopped_for_a_newer_save_leaves_the_rest_to_that_save(published: tuple[Path, Path, Path],
                                                                          tmp_path: Path) -> None:
    """A save while serve renders the pages that summarise every unit (2-4 s at 2,000 units) is
    not held back by them: the build stops once the edited unit's pages are live, and the next
    build renders the rest, so the site is then a full build's."""
    root, out, cache = published
    units_json = (out / "data/units.json").read_bytes()
    _edit(root / "content/units/tax-hall/unit.yml", "hours: 周一至周五", "hours: 周一至周六")
    _preview_stopped(root, out, cache)
    assert "周一至周六" in (out / "units/tax-hall/index.html").read_text(encoding="utf-8")
    assert (out / "data/units.json").read_bytes() == units_json  # not yet: the next build's
    again = _build(root, out, cache)
    assert again.search == "later" and 0 < again.rendered < again.pages
    _same_as_full(root, out, tmp_path)


def test_a_preview_stopped_while_the_rest_renders_and_then_undone(published: tuple[Path, Path, Path],
                                                                 tmp_path: Path) -> None:
    """Stopped between two of the groups that summarise every unit; the edit is then undone:
    the next build puts back what the site was."""
    root, out, cache = published
    before = _tree(out)
    unit = root / "content/units/tax-hall/unit.yml"
    _edit(unit, "hours: 周一至周五", "hours: 周一至周六")
    _preview_stopped(root, out, cache, after=1)
    assert "周一至周六" in (out / "units/tax-hall/index.html").read_text(encoding="utf-8")
    _edit(unit, "hours: 周一至周六", "hours: 周一至周五")
    _build(root, out, cache)
    assert _tree(out) == before


def test_a_member_page_published_by_a_stopped_preview_goes_when_the_member_does(
        published: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """A member added and removed again between two saves: the page the stopped build published
    for them is deleted by the next build, as is the page of a member who no longer consents."""
    root, out, cache = published
    members = root / "content/units/tax-hall/members.yml"
    original = members.read_text(encoding="utf-8")
    added = original.replace("  - id: 'yuan-qiuyue'\n", "  - id: 'xin-chengyuan'\n    name: 辛成员\n    post: 综合服务窗口\n"
                             "    political_status: 群众\n    consent: true\n  - id: 'yuan-qiuyue'\n", 1)
    members.write_text(added, encoding="utf-8")
    _preview_stopped(root, out, cache)
    new_page = out / "units/tax-hall/members/xin-chengyuan/index.html"
    assert new_page.exists()
    members.write_text(original.replace("work_phone: '0839-12342002'\n    consent: true",
                                        "work_phone: '0839-12342002'\n    consent: false", 1), encoding="utf-8")
    _preview_stopped(root, out, cache)
    assert not new_page.exists()  # gone with the unit's pages, not left for a build that may not come
    assert not (out / "units/tax-hall/members/yuan-qiuyue/index.html").exists()
    _build(root, out, cache)
    _same_as_full(root, out, tmp_path)
