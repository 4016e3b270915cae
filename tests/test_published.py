"""Every recorded field is published somewhere (issue #16): the schema walk, the new data files, the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import datarows, published
from generator.check import check
from generator.exports import data_files
from generator.model import Site

from .conftest import ROOT


def _site(root: Path) -> Site:
    result = check(root)
    assert result.site is not None, [p.format() for p in result.problems]
    return result.site


def test_every_content_field_reaches_a_data_file_or_is_declared_never_published() -> None:
    assert published.unpublished() == []


def test_the_walk_names_a_field_that_no_file_carries(monkeypatch: pytest.MonkeyPatch) -> None:
    # as before issue #16: stars, contests and peer reviews had no data file
    sources = {k: v for k, v in datarows.SOURCES.items() if k not in {"stars", "contests", "reviews"}}
    monkeypatch.setattr(published, "SOURCES", sources)
    missing = published.unpublished()
    assert {"Star.grantor", "Contest.organiser", "Review.score", "Result.rank"} <= set(missing)
    monkeypatch.setattr(published, "CARRIED", {})
    assert "CompareFile.red_flags" in published.unpublished()


def test_each_never_published_field_exists_and_says_why() -> None:
    every = {path for path, _ in published._file_fields()}
    for path, reason in published.NEVER_PUBLISHED.items():
        assert path in every, path
        assert len(reason) > 10, path


def test_new_data_files_carry_the_demo_records() -> None:
    files = data_files(_site(ROOT))
    stars = json.loads(files["data/stars.json"])
    assert {"unit": "tax-hall", "period": "2026h1", "stars": 5, "grantor": "国家税务总局青川县税务局"} in stars
    contests = {c["name"]: c for c in json.loads(files["data/contests.json"])}
    assert contests["全市税务系统纳税服务岗位练兵"]["organiser"] == "国家税务总局广元市税务局"
    assert {"unit": "tax-hall", "month": "2026-09"} in json.loads(files["data/red_flags.json"])
    reviews = json.loads(files["data/reviews.json"])
    assert any(r["score"] == 94 and r["unit"] == "county-hospital" for r in reviews)
    grading = json.loads(files["data/grading.json"])
    assert any(g["indicators"]["leader"] for g in grading)
    for kind in ("reviews", "contests", "conduct", "stars", "red_flags"):
        header = files[f"data/{kind}.csv"].decode("utf-8-sig").splitlines()[0]
        assert header.startswith("unit,"), kind


def test_an_unpublished_members_reviews_and_results_stay_out(project: Path) -> None:
    hall = project / "content/units/hall"
    with (hall / "members.yml").open("a", encoding="utf-8") as out:
        out.write("  - id: zhao-hidden\n    name: 赵不公开\n    post: 后台\n    political_status: 中共党员\n"
                  "    consent: false\n")
    evaluations = hall / "evaluations.yml"
    evaluations.write_text(evaluations.read_text(encoding="utf-8") + "reviews:\n  - {period: 2026h1, member: zhao-hidden, kind: 互评, grade: 优秀, score: 99}\n"
        "  - {period: 2026h1, member: li-ming, kind: 互评, grade: 合格, score: 88}\n",
                           encoding="utf-8")
    (hall / "compare.yml").write_text(
        "contests:\n  - name: 练兵\n    date: 2026-03-01\n    level: 县级\n    organiser: 县局\n    results:\n"
        "      - {member: zhao-hidden, result: 一等奖}\n      - {member: li-ming, result: 二等奖}\n", encoding="utf-8")
    files = data_files(_site(project))
    assert [r["member"] for r in json.loads(files["data/reviews.json"])] == ["li-ming"]
    contest = json.loads(files["data/contests.json"])[0]
    assert [r["member"] for r in contest["results"]] == ["li-ming"]
    assert "zhao-hidden" not in files["data/reviews.csv"].decode() + files["data/contests.csv"].decode()


@pytest.fixture(scope="module")
def demo_pages() -> dict[str, str]:
    """Bodies of the demo's pages that show the fields issue #16 found unpublished, rendered by the real templates."""
    from generator.mkdocs_site import site_facts
    from generator.web import plan_site
    from generator.web.render import BodyRenderer

    site = _site(ROOT)
    renderer = BodyRenderer(site_facts(site))
    wanted = {"index.md", "units/tax-hall/index.md", "units/county-hospital/index.md",
              "units/tax-hall/members/yuan-qiuyue/index.md"}
    return {p.path: renderer.render(p) for p in plan_site(site).pages if p.path in wanted}


def test_pages_show_form_organiser_grantor_channel_scores_and_the_red_flag(demo_pages: dict[str, str]) -> None:
    tax = demo_pages["units/tax-hall/index.md"]
    assert "个人承诺" in tax and "集体承诺" in tax  # the pledge's form, on every pledge
    assert "国家税务总局广元市税务局组织" in tax  # contest organiser
    assert "2026年上半年 ★★★★★（国家税务总局青川县税务局评定）" in tax  # star grantor, period by name
    assert "按评议方式：好差评" in tax and "评价器" in tax  # channels no longer merged into one row
    hospital = demo_pages["units/county-hospital/index.md"]
    assert "平均得分" in hospital and " 分（" in hospital  # peer-review scores
    member = demo_pages["units/tax-hall/members/yuan-qiuyue/index.md"]
    assert "国家税务总局广元市税务局组织" in member
    home = demo_pages["index.md"]
    # the October flag is the latest up to the as-of date (2026-11-20): its holder holds it now
    assert "<strong>流动红旗（现持有）</strong>\u3000<a href=\"units/zhengwu-business-window/\">" in home
    assert "2026年10月评定" in home
