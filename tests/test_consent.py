"""A member who did not consent is absent from what the reader sees: the rule is applied when
the page contexts are made (generator/web/units.py), and no template applies it."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

from generator.check import check
from generator.mkdocs_site import site_facts
from generator.sitebuild import build_site
from generator.web import plan_site
from generator.web.contexts import TEMPLATES
from generator.web.render import BodyRenderer

from .conftest import ROOT

COMPARE = """\
awards:
  - title: 服务标兵
    date: 2026-03-01
    grantor: 测试县税务局
    level: 县级
    member: li-ming
  - title: 服务明星
    date: 2026-03-02
    grantor: 测试县税务局
    level: 县级
    member: wang-fang
  - title: 青年文明号
    date: 2026-03-03
    grantor: 测试县团委
    level: 县级
contests:
  - name: 业务知识竞赛
    date: 2026-04-01
    level: 县级
    results:
      - member: li-ming
        result: 一等奖
        rank: 1
      - member: wang-fang
        result: 二等奖
        rank: 2
      - result: 团体三等奖
"""


def _withheld(project: Path) -> Path:
    """The minimal project with 王芳 (wang-fang) not consenting, and an award and a result of hers."""
    members = project / "content" / "units" / "hall" / "members.yml"
    text = members.read_text(encoding="utf-8")
    head, _, tail = text.partition("id: wang-fang")
    members.write_text(head + "id: wang-fang" + tail.replace("consent: true", "consent: false", 1), encoding="utf-8")
    (project / "content" / "units" / "hall" / "compare.yml").write_text(COMPARE, encoding="utf-8")
    return project


def test_a_member_without_consent_is_absent_from_every_page(project: Path) -> None:
    site = check(_withheld(project)).site
    assert site is not None and not site.units["hall"].member("wang-fang").published  # type: ignore[union-attr]
    pages = plan_site(site).pages
    renderer = BodyRenderer(site_facts(site))
    # the project's own pages (doc.html: the staff guide uses 王芳 as its example) are not content
    bodies = {page.path: renderer.render(page) for page in pages if page.template != "gongshi/doc.html"}
    unit = bodies["units/hall/index.md"]
    assert "李明" in unit and "服务标兵" in unit and "一等奖" in unit  # a consenting member is shown
    assert "青年文明号" in unit and "集体：团体三等奖" in unit  # so are the unit's own records
    assert "服务明星" not in unit and "二等奖" not in unit  # 王芳's award and result are not
    assert [path for path, body in bodies.items() if "王芳" in body or "wang-fang" in body] == []
    assert "units/hall/members/wang-fang/index.md" not in bodies


def test_the_unit_context_holds_only_what_may_be_shown(project: Path) -> None:
    site = check(_withheld(project)).site
    assert site is not None
    context = next(p.context for p in plan_site(site).pages if p.path == "units/hall/index.md")
    assert [p.id for p in context.members] == ["li-ming"]
    assert [(a.title, who) for a, who in context.awards] == [("服务标兵", "李明"), ("青年文明号", None)]
    assert [[(who, r.result) for who, r in results] for _, results in context.contests] == [
        [("李明", "一等奖"), ("集体", "团体三等奖")]]


def test_no_template_decides_who_is_shown() -> None:
    """Consent is a rule of Python: no template reads it or looks a member up by id."""
    for template in TEMPLATES:
        text = (ROOT / "themes" / "site" / template).read_text(encoding="utf-8")
        for rule in (r"\.published\b", r"consent", r"(?<!urls)\.member\(", r"public_members"):
            assert not re.search(rule, text), f"{template} applies a privacy rule ({rule}): decide it in the context"


def test_awards_all_withheld_leave_no_heading(project: Path) -> None:
    """A 荣誉 heading over an empty list told the reader that a member who withheld consent has an award."""
    _withheld(project)
    compare = project / "content" / "units" / "hall" / "compare.yml"
    compare.write_text(COMPARE.replace("    member: li-ming\n", "    member: wang-fang\n", 1)
                       .replace("  - title: 青年文明号\n    date: 2026-03-03\n    grantor: 测试县团委\n    level: 县级\n", ""),
                       encoding="utf-8")
    site = check(project).site
    assert site is not None
    page = next(p for p in plan_site(site).pages if p.path == "units/hall/index.md")
    body = BodyRenderer(site_facts(site)).render(page)
    assert "荣誉" not in body and "服务标兵" not in body


def _site_texts(folder: Path) -> dict[str, str]:
    """Every file the site build wrote, as text (spreadsheets unzipped, .gz files unpacked)."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        texts[path.relative_to(folder).as_posix()] = data.decode("utf-8", "replace")
    return texts


def test_a_member_without_consent_is_not_named_as_responsible_for_a_fix(project: Path) -> None:
    """G404 promises the member is not on the site: a rectification naming her as its responsible person
    (or leader) shows “（未公开）” on every page, ledger and download, and check says so."""
    _withheld(project)
    members = project / "content" / "units" / "hall" / "members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("王芳", "钱小燕"), encoding="utf-8")
    rects = project / "content" / "units" / "hall" / "rectifications.yml"
    rects.write_text(rects.read_text(encoding="utf-8").replace("person: 李明", "person: 钱小燕（窗口负责人）")
                     .replace("measure: ", "measure: 由钱 小燕牵头，", 1), encoding="utf-8")  # within the words too
    result = check(project)
    assert result.site is not None
    assert any(p.code == "G406" and p.path.endswith("rectifications.yml") and "钱小燕" in p.message
               for p in result.problems), [p.format() for p in result.problems]
    build_site(result.site, project / "site")
    texts = _site_texts(project / "site")
    assert [path for path, text in texts.items() if "钱小燕" in text or "钱 小燕" in text] == []
    unit = texts["units/hall/index.html"]
    assert "赵强" in unit and "（未公开）" in unit  # the leader, who is no member, stays named


def test_a_member_without_consent_is_not_named_as_the_party_secretary(project: Path) -> None:
    """unit.yml names the secretary (书记) in words: if she is a member who did not consent, her name
    is withheld there too, on the unit page, the open data and the boards' HTML."""
    _withheld(project)
    unit = project / "content" / "units" / "hall" / "unit.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "party_org:\n  name: 办税厅党支部\n  kind: 党支部\n  secretary: 王芳\n",
                    encoding="utf-8")
    result = check(project)
    assert result.site is not None
    assert any(p.code == "G406" and p.path.endswith("unit.yml") for p in result.problems), \
        [p.format() for p in result.problems]
    build_site(result.site, project / "site")
    texts = _site_texts(project / "site")
    assert [path for path, text in texts.items() if "王芳" in text] == []
    assert "（书记：（未公开））" in texts["units/hall/index.html"]
