"""The competitors' input: the pages gongshi makes, as hand-written Markdown.

What a user would write without gongshi: one Markdown file per page, at the same
paths as gongshi's pages (home, unit index, each unit, its hall screen, each
member, the paged ledgers, the evaluation, ranking and grading tables, the about
pages). The same files feed plain Material for MkDocs (``docs/``) and Hugo
(``content/``). Writing them is not timed: it stands for the content a user keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

FILES = ("unit", "members", "pledges", "compare", "evaluations", "rectifications", "grading")
COUNTED = {"已公开", "履行中", "已完成", "已评议"}
STATE_ORDER = {"已公开": 1, "履行中": 2, "已完成": 3, "已评议": 4, "已撤回": 5}
LEDGER_PAGE = 300  # rows a page, as gongshi


@dataclass
class Data:
    config: dict[str, Any]
    units: dict[str, dict[str, Any]]  # id -> {"unit": ..., "members": ..., ...}, tree order
    children: dict[str, list[str]] = field(default_factory=dict)


def load(root: Path) -> Data:
    """Read the project with PyYAML's C loader (fast; the project is already valid)."""
    config = yaml.load((root / "site_config.yml").read_text(encoding="utf-8"), Loader=Loader)
    raw: dict[str, dict[str, Any]] = {}
    for folder in sorted((root / "content" / "units").iterdir()):
        unit: dict[str, Any] = {}
        for name in FILES:
            path = folder / f"{name}.yml"
            unit[name] = (yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}) if path.exists() else {}
        raw[folder.name] = unit
    children: dict[str, list[str]] = {u: [] for u in raw}
    for uid, unit in raw.items():
        parent = unit["unit"].get("parent")
        if parent:
            children[parent].append(uid)
    ordered: dict[str, dict[str, Any]] = {}

    def visit(uid: str) -> None:
        ordered[uid] = raw[uid]
        for child in children[uid]:
            visit(child)

    for uid in raw:
        if not raw[uid]["unit"].get("parent"):
            visit(uid)
    return Data(config, ordered, children)


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "｜").replace("\n", " ")


def table(columns: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return "（暂无）\n"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def rate(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator * 100:.1f}%" if denominator else "—"


class Pages:
    """Yields (path, title, markdown) for every page."""

    def __init__(self, data: Data):
        self.data = data
        self.as_of = data.config["as_of"]
        if isinstance(self.as_of, str):
            self.as_of = dt.date.fromisoformat(self.as_of)
        self.periods = data.config["periods"]
        self.current = data.config["current_period"]

    def published_members(self, unit: dict[str, Any]) -> list[dict[str, Any]]:
        return [m for m in unit["members"].get("members", []) if m.get("consent")]

    def pledges(self, uid: str) -> Iterator[dict[str, Any]]:
        unit = self.data.units[uid]
        public = {m["id"] for m in self.published_members(unit)}
        for p in unit["pledges"].get("pledges", []):
            if (p["status"] in COUNTED or p["status"] == "已撤回") and (not p.get("member") or p["member"] in public):
                yield {**p, "unit": uid, "overdue": p["due"] < self.as_of and p["status"] in {"已公开", "履行中"}}

    def figures(self, uid: str) -> tuple[str, str, str]:
        unit = self.data.units[uid]
        counted = [p for p in unit["pledges"].get("pledges", []) if p["status"] in COUNTED]
        kept = sum(1 for p in counted if p.get("outcome") == "已兑现")
        answers: dict[str, int] = {}
        for s in unit["evaluations"].get("surveys", []):
            if s["period"] == self.current and not s.get("member"):
                for k, v in s["counts"].items():
                    answers[k] = answers.get(k, 0) + v
        good = sum(v for k, v in answers.items() if k in {"非常满意", "满意", "基本满意"})
        stars = next((s["stars"] for s in unit["compare"].get("stars", []) if s["period"] == self.current), None)
        return rate(kept, len(counted)), rate(good, sum(answers.values())), "★" * (stars or 0)

    def unit_page(self, uid: str) -> str:
        unit = self.data.units[uid]
        u = unit["unit"]
        out = [f"# {u['name']}\n"]
        parent = u.get("parent")
        if parent:
            out.append(f"上级单位：[{self.data.units[parent]['unit'].get('short_name', parent)}](../{parent}/)\n")
        kept, satisfied, stars = self.figures(uid)
        out.append(f"践诺率 {kept}　群众满意率 {satisfied}　星级 {stars}\n")
        out.append(f"{u.get('description', '')}\n")
        out.append(table(["项目", "内容"], [["地址", u.get("address")], ["办公时间", u.get("hours")],
                                          ["咨询电话", u.get("phone")], ["监督电话", u.get("supervision_phone")],
                                          ["党组织", (u.get("party_org") or {}).get("name")]]))
        out.append("## 服务事项\n")
        for s in u.get("services", []):
            out.append(f"### {s['name']}\n")
            out.append(table(["项目", "内容"], [["事项编码", s.get("code")], ["申请对象", s.get("applicants")],
                                              ["法定时限", s.get("legal_limit")], ["承诺时限", s.get("promised_limit")],
                                              ["收费", s.get("fee")], ["窗口", s.get("window")],
                                              ["办理方式", "、".join(s.get("modes", []))]]))
            out.append("所需材料：\n\n" + "".join(f"- {m['name']}（{m.get('form', '原件')}）\n" for m in s.get("materials", [])))
            out.append("\n办理流程：\n\n" + "".join(f"{i}. {step}\n" for i, step in enumerate(s.get("steps", []), 1)))
        out.append("## 服务制度\n")
        out += [f"**{r['name']}**：{r['text']}\n" for r in u.get("regimes", [])]
        members = self.published_members(unit)
        out.append("## 亮身份\n")
        out.append(table(["姓名", "岗位", "政治面貌", "岗位称号"],
                         [[f"[{m['name']}](members/{m['id']}/)", m["post"], m["political_status"], m.get("badge")]
                          for m in members]))
        pledges = list(self.pledges(uid))
        out.append("## 亮承诺\n")
        out.append(table(["承诺人", "承诺内容", "期限", "状态", "兑现"],
                         [[p.get("member") or "党组织", p["text"], p["due"], p["status"], p.get("outcome")]
                          for p in pledges]))
        out.append("## 群众评议\n")
        rows = []
        for period in self.periods:
            counts: dict[str, int] = {}
            for s in unit["evaluations"].get("surveys", []):
                if s["period"] == period["id"] and not s.get("member"):
                    for k, v in s["counts"].items():
                        counts[k] = counts.get(k, 0) + v
            good = sum(v for k, v in counts.items() if k in {"非常满意", "满意", "基本满意"})
            rows.append([period["name"], sum(counts.values()), rate(good, sum(counts.values()))])
        out.append(table(["时段", "评价数", "满意率"], rows))
        out.append("## 领导点评\n")
        out += [f"- {c['date']} {c['leader']}（{c['leader_title']}，{c['kind']}）：{c.get('achievements', '')}"
                f"{c.get('problems', '')}{c.get('suggestions', '')}\n" for c in unit["evaluations"].get("comments", [])]
        out.append("\n## 整改台账\n")
        out.append(table(["问题", "措施", "时限", "责任人", "状态"],
                         [[r["problem"], r["measure"], r["deadline"], r["person"], r["status"]]
                          for r in unit["rectifications"].get("rectifications", [])]))
        if self.data.children[uid]:
            out.append("## 下级单位\n")
            out += [f"- [{self.data.units[c]['unit']['name']}](../{c}/)\n" for c in self.data.children[uid]]
        return "\n".join(out)

    def screen_page(self, uid: str) -> str:
        unit = self.data.units[uid]
        out = [f"# {unit['unit'].get('short_name', uid)} 大厅显示屏\n"]
        out += [f"- {m['name']}　{m['post']}　{m.get('badge') or ''}\n" for m in self.published_members(unit)]
        out += [f"\n- {s['name']}：承诺时限 {s.get('promised_limit')}\n" for s in unit["unit"].get("services", [])]
        return "\n".join(out)

    def member_page(self, uid: str, m: dict[str, Any]) -> str:
        unit = self.data.units[uid]
        out = [f"# {m['name']}\n", f"[{unit['unit']['name']}](../../)\n"]
        out.append(table(["项目", "内容"], [["岗位", m["post"]], ["职务", m.get("title")],
                                          ["政治面貌", m["political_status"]], ["岗位称号", m.get("badge")],
                                          ["服务卡号", m.get("card_no")], ["工作电话", m.get("work_phone")]]))
        out.append("岗位职责：\n\n" + "".join(f"- {d}\n" for d in m.get("duties", [])))
        out.append("\n## 我的承诺\n")
        for p in self.pledges(uid):
            if p.get("member") == m["id"]:
                out.append(f"### {p['text']}\n")
                out.append(f"目标：{p.get('target', '')}；期限：{p['due']}；状态：{p['status']}；兑现：{p.get('outcome') or '未评定'}\n")
                out += [f"- {s['date']} {s['event']}\n" for s in p.get("timeline", [])]
        reviews = [r for r in unit["evaluations"].get("reviews", []) if r["member"] == m["id"]]
        out.append("\n## 互评与自评\n")
        out.append(table(["时段", "类别", "等次", "得分"], [[r["period"], r["kind"], r["grade"], r.get("score")]
                                                     for r in reviews]))
        awards = [a for a in unit["compare"].get("awards", []) if a.get("member") == m["id"]]
        out.append("## 荣誉\n")
        out.append(table(["荣誉", "日期", "授予单位"], [[a["title"], a["date"], a["grantor"]] for a in awards]))
        return "\n".join(out)

    def ledger(self, base: str, heading: str, columns: list[str], groups: dict[str, list[list[Any]]]
               ) -> Iterator[tuple[str, str, str]]:
        slugs = {label: (base if i == 0 else f"{base}{i}/") for i, label in enumerate(groups)}
        for label, rows in groups.items():
            chunks = [rows[i:i + LEDGER_PAGE] for i in range(0, len(rows), LEDGER_PAGE)] or [[]]
            for number, chunk in enumerate(chunks, 1):
                path = slugs[label] if number == 1 else f"{slugs[label]}page/{number}/"
                title = heading if label == "全部" else f"{heading}：{label}"
                filters = "　".join(f"[{lab}](/{slugs[lab]})" for lab in groups)
                pager = "　".join(f"[{n}](/{slugs[label]}{'' if n == 1 else f'page/{n}/'})"
                                 for n in range(1, len(chunks) + 1)) if len(chunks) > 1 else ""
                yield (f"{path}index.md", title if number == 1 else f"{title}（第{number}页）",
                       f"# {title}\n\n{filters}\n\n{table(columns, chunk)}\n{pager}\n")

    def pledge_ledger(self) -> Iterator[tuple[str, str, str]]:
        pledges = [p for uid in self.data.units for p in self.pledges(uid)]
        pledges.sort(key=lambda p: (not p["overdue"], STATE_ORDER.get(p["status"], 9), p["due"], p["unit"], p["id"]))
        groups: dict[str, list[dict[str, Any]]] = {"全部": pledges, "逾期": [p for p in pledges if p["overdue"]]}
        for state in STATE_ORDER:
            groups[state] = [p for p in pledges if p["status"] == state]
        for outcome in ("已兑现", "部分兑现", "未兑现"):
            groups[outcome] = [p for p in pledges if p.get("outcome") == outcome]
        names = {uid: u["unit"].get("short_name", uid) for uid, u in self.data.units.items()}
        rows = {k: [[f"[{names[p['unit']]}](/units/{p['unit']}/)", p.get("member") or "党组织", p["text"], p["due"],
                     p["status"], p.get("outcome")] for p in v] for k, v in groups.items()}
        yield from self.ledger("ledgers/pledges/", "承诺台账", ["单位", "承诺人", "内容", "期限", "状态", "兑现"], rows)

    def rect_ledger(self) -> Iterator[tuple[str, str, str]]:
        rects = [{**r, "unit": uid, "overdue": r["status"] != "已完成" and r["deadline"] < self.as_of}
                 for uid, u in self.data.units.items() for r in u["rectifications"].get("rectifications", [])]
        rects.sort(key=lambda r: (not r["overdue"], r["status"] == "已完成", r["deadline"], r["unit"], r["id"]))
        groups = {"全部": rects, "逾期": [r for r in rects if r["overdue"]]}
        for status in ("未开始", "整改中", "已完成"):
            groups[status] = [r for r in rects if r["status"] == status]
        rows = {k: [[f"[{r['unit']}](/units/{r['unit']}/)", r["problem"], r["measure"], r["deadline"], r["status"]]
                    for r in v] for k, v in groups.items()}
        yield from self.ledger("ledgers/rectifications/", "整改台账", ["单位", "问题", "措施", "时限", "状态"], rows)

    def all(self) -> Iterator[tuple[str, str, str]]:
        units = self.data.units
        figures = {uid: self.figures(uid) for uid in units}
        yield "index.md", "首页", (f"# {self.data.config['site']['name']}\n\n窗口单位 {len(units)} 个。\n\n"
                                   "## 需要关注\n\n" + "".join(
                                       f"- [{u['unit']['name']}](units/{uid}/)\n" for uid, u in units.items()
                                       if any(p["overdue"] for p in self.pledges(uid))))
        yield "units/index.md", "窗口单位", "# 窗口单位\n\n" + table(
            ["单位", "类型", "星级", "践诺率", "满意率"],
            [[f"[{u['unit']['name']}]({uid}/)", u["unit"]["kind"], figures[uid][2], figures[uid][0], figures[uid][1]]
             for uid, u in units.items()])
        for uid, unit in units.items():
            yield f"units/{uid}/index.md", unit["unit"]["name"], self.unit_page(uid)
            yield f"units/{uid}/screen/index.md", "大厅显示屏", self.screen_page(uid)
            for m in self.published_members(unit):
                yield f"units/{uid}/members/{m['id']}/index.md", m["name"], self.member_page(uid, m)
        yield from self.pledge_ledger()
        yield from self.rect_ledger()
        yield "ledgers/evaluations/index.md", "群众评议结果", "# 群众评议结果\n\n" + table(
            ["单位", "满意率"], [[f"[{u['unit']['name']}](/units/{uid}/)", figures[uid][1]] for uid, u in units.items()])
        yield "ledgers/rankings/index.md", "排行榜", "# 排行榜\n\n" + table(
            ["单位", "满意率", "星级"], sorted(([u["unit"]["name"], figures[uid][1], figures[uid][2]]
                                           for uid, u in units.items()), key=lambda r: r[1], reverse=True))
        yield "ledgers/grading/index.md", "晋位升级", "# 晋位升级\n\n" + table(
            ["单位", "年度", "定级"], [[u["unit"]["name"], g["year"], g["grade"]]
                                    for u in units.values() for g in u["grading"].get("grading", [])])
        for path, title in (("about/index.md", "关于"), ("feedback/index.md", "意见反馈"), ("guide/index.md", "编辑指南"),
                            ("guide/reference/index.md", "字段参考"), ("data/index.md", "开放数据")):
            yield path, title, f"# {title}\n\n本页说明{title}。\n"


def write_material(data: Data, project: Path) -> int:
    """docs/ + mkdocs.yml: theme material, default search plugin, no nav (default navigation)."""
    docs = project / "docs"
    count = 0
    for path, _title, text in Pages(data).all():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        count += 1
    site = data.config["site"]
    (project / "mkdocs.yml").write_text(
        f"site_name: {site['name']!r}\nsite_url: {site['base_url']!r}\n"
        "theme:\n  name: material\n  language: zh\n", encoding="utf-8")
    return count


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
{{- $sec := .CurrentSection }}
<nav class="sidebar"><a href="{{ $sec.RelPermalink }}">{{ $sec.Title }}</a>
<ul>{{ range $sec.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
"""
HUGO_MAIN = '{{ define "main" }}{{ .Content }}{{ end }}\n'


def write_hugo(data: Data, project: Path) -> int:
    """content/ (the same Markdown) + hugo.toml + a minimal layout with a section sidebar."""
    pages = list(Pages(data).all())
    dirs = {str(Path(path).parent) for path, _, _ in pages}
    # a page whose folder holds other pages is a section (_index.md); the rest are leaf bundles
    parents: set[str] = set()
    for d in dirs:
        parts = d.split("/")
        for i in range(1, len(parts)):
            parents.add("/".join(parts[:i]))
    branch = dirs & parents
    content = project / "content"
    for path, title, text in pages:
        folder = str(Path(path).parent)
        name = "_index.md" if folder in branch or folder == "." else "index.md"
        target = content / (name if folder == "." else f"{folder}/{name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        body = text.split("\n", 1)[1] if text.startswith("# ") else text
        target.write_text(f"---\ntitle: {title!r}\n---\n{body}", encoding="utf-8")
    site = data.config["site"]
    (project / "hugo.toml").write_text(
        f"baseURL = {site['base_url']!r}\nlanguageCode = 'zh-CN'\ntitle = {site['name']!r}\n"
        "disableKinds = ['taxonomy', 'term', 'RSS']\n[pagination]\npath = 'pg'\n"
        "[markup.goldmark.renderer]\nunsafe = false\n", encoding="utf-8")
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(HUGO_MAIN, encoding="utf-8")
    return len(pages)
