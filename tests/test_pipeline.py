"""One pipeline for every command: check once, figures once, one build key for site and serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import check as check_module
from generator import cli, figures, pipeline, serve


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every run of check, by project folder."""
    runs: list[Path] = []
    real = check_module.check

    def counted(root: Path, cache: Path | None = None) -> check_module.CheckResult:
        runs.append(root)
        return real(root, cache)

    class CountedSession(serve.CheckSession):  # serve's re-check, which keeps loaded units in memory
        def check(self) -> check_module.CheckResult:
            runs.append(self.root)
            return super().check()

    monkeypatch.setattr(pipeline, "check", counted)
    monkeypatch.setattr(serve, "CheckSession", CountedSession)
    return runs


def test_site_then_serve_reuses_every_page_and_links_the_boards(
        project: Path, checks: list[Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--root", str(project), "site"]) == 0
    assert len(checks) == 1
    unit_page = project / "site/units/hall/index.html"
    before = unit_page.stat()
    builds: list[pipeline.Built] = []
    real_render = pipeline.render

    def spied(*args: Any, **kwargs: Any) -> pipeline.Built:
        builds.append(real_render(*args, **kwargs))
        return builds[-1]

    previews: list[Path] = []
    monkeypatch.setattr(pipeline, "render", spied)
    monkeypatch.setattr("generator.mkdocs_site.live_preview", lambda root, out, *rest: previews.append(out))
    monkeypatch.setattr(serve, "check_port", lambda port: None)
    assert serve.serve(project, project / "site", 8000) == 0  # the first build of a preview, then (here) no server
    assert previews == [project / "site"] and len(checks) == 2
    after = unit_page.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # the page was not rewritten
    done = builds[0].site
    assert done is not None and done.rendered == 0 and done.reused == done.pages > 0  # the same build key as `site`
    html = unit_page.read_text(encoding="utf-8")
    assert "打印展板：" in html and 'href="../../boards/hall/' in html


def test_the_build_without_a_command_checks_once(project: Path, checks: list[Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[pipeline.BoardsRequest | None] = []

    def no_boards(site: Any, out: Path, **options: Any) -> Any:
        asked.append(pipeline.BoardsRequest(options["unit"], options["kind"], None, options["shard"]))
        from generator.boards.run import BoardsResult

        return BoardsResult()

    monkeypatch.setattr(pipeline, "build_boards", no_boards)  # the boards themselves: tests/test_boards.py
    assert cli.main(["--root", str(project)]) == 0
    assert len(checks) == 1 and asked == [pipeline.BoardsRequest()]
    assert (project / "site/units/hall/index.html").is_file()


def test_boards_alone_checks_once_and_conflicting_options_are_usage_errors(
        project: Path, checks: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--root", str(project), "boards", "--shard", "1/2", "--order"]) == 2
    assert "G615" in capsys.readouterr().err and not checks and not (project / "site").exists()
    (project / "content/units/hall/unit.yml").write_text("name: [\n", encoding="utf-8")
    assert cli.main(["--root", str(project), "boards"]) == 1
    assert len(checks) == 1 and "未生成任何展板" in capsys.readouterr().err


def test_figures_are_computed_once_per_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tables: list[figures.FigureTable] = []
    real = figures.tabulate

    def counted(site: Any, memo: Any = None) -> figures.FigureTable:
        tables.append(real(site, memo))
        return tables[-1]

    monkeypatch.setattr("generator.model.tabulate", counted)
    built = pipeline.build(pipeline.Request(project, site=True))
    assert built.ok and built.figures is not None and len(tables) == 1  # check's warnings, the site and its pages
    site = built.checked.site
    assert site is not None and built.figures is site.figures
    assert figures.rolled_up(site, "hall") is built.figures.rolled_up["hall", site.period.id]
