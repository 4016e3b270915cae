"""The web editor against a real repository: Decap CMS, decap-server (``local_backend``) and git.

A clerk adds a pledge (picking the member from a list), marks one fulfilled, clears a
date someone filled by mistake, uploads a member's photo and saves. Then ``check`` runs
on the files Decap wrote (no errors) and the diff must touch only what the clerk changed
(issue #14: a one-number change used to rewrite 35–70 lines). decap-server comes from the
npm registry (pinned), chromium from Debian; nothing else is contacted.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page

from generator.check import check
from generator.errors import report
from generator.staff import decap, decap_fields
from generator.staff.yamlio import StaffError

from .conftest import MINIMAL, ROOT
from .test_staff_browser import _Quiet

SERVER = "3.11.3"  # decap-server, the proxy Decap's local_backend talks to
SHOT = os.environ.get("GONGSHI_SCREENSHOTS")  # a folder (docs/site/images): also take the guide's screenshots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed (.ci/run installs it)"),
    pytest.mark.skipif(not shutil.which("npm"), reason="npm not installed (Debian: apt-get install npm)"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    """Debian's chromium, in Chinese (date fields show 年/月/日 as at a clerk's desk)."""
    return {"executable_path": shutil.which("chromium"), "args": [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--lang=zh-CN"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the editor test: {reason}")
    pytest.skip(reason)


def _decap_server() -> Path:
    folder = ROOT / ".cache" / "decap-server" / SERVER
    script = folder / "node_modules" / "decap-server" / "dist" / "index.js"
    if not script.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder),
                               f"decap-server@{SERVER}"], capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0 or not script.is_file():
            _unavailable(f"npm install decap-server@{SERVER} failed: {done.stderr[-400:]}")
    return script


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=办公室", "-c", "user.email=office@example.cn",
                           *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project as a git repository, with one completion date entered by mistake."""
    root = tmp_path_factory.mktemp("content") / "repo"
    shutil.copytree(MINIMAL, root)
    pledges = root / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8") + "  - id: p3\n    kind: 即时承诺\n    form: 集体承诺\n"
                       "    topic: 服务承诺\n    text: 周六上午延时服务。\n    made: 2026-02-01\n    due: 2026-11-30\n"
                       "    status: 履行中\n    completed_on: 2026-02-02\n", encoding="utf-8")
    for name in ("pledges.yml", "members.yml"):  # in the tools' house style: ids and references quoted
        path = root / "content/units/hall" / name
        path.write_text(re.sub(r"(?m)^(\s*(?:- )?(?:id|member): )(\S+)$", r"\1'\2'", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    return root


@pytest.fixture(scope="module")
def editor(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        assets = decap.fetch(ROOT)
    except StaffError as exc:
        _unavailable(f"Decap CMS could not be fetched from npm: {exc}")
    script, port = _decap_server(), _free_port()
    site = check(repo).site
    assert site is not None
    out = tmp_path_factory.mktemp("admin")
    env = {"GONGSHI_CMS_LOCAL": f"http://127.0.0.1:{port}/api/v1", "GONGSHI_DECAP_DIR": str(assets)}
    for name, content in decap.admin_files(site, env).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    log = (out / "decap-server.log").open("w")
    proxy = subprocess.Popen(["node", str(script)], stdout=log, stderr=subprocess.STDOUT, env={
        **os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "git", "GIT_REPO_DIRECTORY": str(repo)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/v1", proxy)
        yield f"http://127.0.0.1:{server.server_address[1]}/admin/"
    finally:
        server.shutdown()
        server.server_close()
        proxy.terminate()
        proxy.wait(timeout=30)
        log.close()


def _wait_for(url: str, proxy: subprocess.Popen[bytes]) -> None:
    """Until decap-server answers (it prints nothing we could wait on); it may refuse GET."""
    for _ in range(300):
        if proxy.poll() is not None:
            pytest.fail("decap-server stopped at start")
        try:
            urllib.request.urlopen(url, timeout=1)  # loopback only
            return
        except OSError as exc:
            if getattr(exc, "code", None):  # an HTTP answer: the server is up
                return
            time.sleep(0.1)
    pytest.fail("decap-server did not start")


def _item(page: Page, summary: str) -> Locator:
    """An entry of a list, opened (Decap shows them collapsed, one summary line each)."""
    item = page.locator("[class*=SortableListItem]", has_text=summary).first
    item.locator("button").first.click()
    return item


def _pick(scope: Locator | Page, label: str, option: str) -> None:
    box = scope.get_by_label(label, exact=True).last
    box.click()
    box.fill(option)
    (scope.page if isinstance(scope, Locator) else scope).get_by_role("option", name=option).first.click()


def _save(page: Page) -> None:
    page.get_by_role("button", name="保存").click()
    page.get_by_text("内容已保存").first.wait_for()


def _shot(page: Page, name: str) -> None:
    if SHOT:
        page.screenshot(path=str(Path(SHOT) / name))


def _portrait() -> bytes:
    image = Image.new("RGB", (300, 400), (200, 210, 230))
    image.paste((90, 100, 120), (90, 60, 210, 200))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=85)
    return data.getvalue()


def _edit_pledges(page: Page, editor: str) -> None:
    page.goto(editor + "#/collections/hall/entries/pledges")
    p2 = _item(page, "p2 · ")  # mark fulfilled
    _pick(p2, "办理状态（进展到哪一步）", "已完成")
    p2.get_by_label("完成日期 (可选)", exact=True).fill("2026-06-30")
    p3 = _item(page, "p3 · ")  # a date entered by mistake: 清除
    p3.get_by_role("button", name="清除").last.click()
    page.get_by_role("button", name="新增一项").first.click()
    new = page.locator("[class*=SortableListItem]").last
    new.get_by_label("承诺编号", exact=True).fill("王芳 2026")  # not an id: the form says why, in Chinese
    page.get_by_role("button", name="保存").click()
    error = new.get_by_text("“承诺编号”不满足模式：" + decap_fields.form_hint(r"^[a-z0-9][a-z0-9-]{0,62}$"))
    error.first.wait_for()
    assert "zhang-wei" in error.first.inner_text()  # shown as typed, not in capitals
    assert page.get_by_text("请看下方说明").count() == 0
    if SHOT:
        new.evaluate("item => item.scrollIntoView({block: 'start'})")
        page.mouse.wheel(0, -90)
        _shot(page, "editor-error.png")
    page.locator(".Toastify__close-button").first.click()  # the “fill in the required fields” notice
    new.get_by_label("承诺编号", exact=True).fill("")
    new.get_by_label("承诺编号", exact=True).fill("2026-wang-01")
    _pick(new, "承诺人；党组织承诺留空 (可选)", "王芳")  # picked by name, saved as the id
    _pick(new, "承诺类别", "年度承诺")
    _pick(new, "承诺主题（五带头或服务承诺）", "服务承诺")
    new.get_by_label("承诺内容", exact=True).fill("咨询当场答复。")
    new.get_by_label("提出日期", exact=True).fill("2026-03-01")
    new.get_by_label("完成期限", exact=True).fill("2026-12-31")
    _pick(new, "办理状态（进展到哪一步）", "履行中")
    if SHOT:
        new.evaluate("item => item.scrollIntoView({block: 'start'})")
        page.mouse.wheel(0, -90)
        page.wait_for_timeout(300)
        _shot(page, "editor-pledge.png")
    _save(page)


def _upload_photo(page: Page, editor: str, photo: Path) -> None:
    page.goto("about:blank")  # a fresh editor: moving between entries by address keeps the last one's form
    page.goto(editor + "#/collections/hall/entries/members")
    wang = _item(page, "wang-fang · 王芳")
    wang.locator("button", has_text="选择图片").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("wang-fang.jpg").first.wait_for()
    _shot(page, "editor-photo.png")
    page.get_by_role("button", name="选用已选中项目").click()
    _save(page)


def test_clerk_edits_are_saved_as_checkable_minimal_changes(page: Page, editor: str, repo: Path,
                                                            tmp_path: Path) -> None:
    page.goto(editor)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("测试县办税服务厅").first.wait_for()
    _edit_pledges(page, editor)
    photo = tmp_path / "wang-fang.jpg"
    photo.write_bytes(_portrait())
    _upload_photo(page, editor, photo)
    page.goto("about:blank")
    page.goto(editor + "#/workflow")
    page.get_by_text("草稿").first.wait_for()
    _shot(page, "editor-workflow.png")
    for column in ("草稿", "审查中", "就绪"):  # the columns Decap 3.16 shows in Chinese; the guide uses them
        assert page.get_by_text(column, exact=False).count() >= 1
        assert f"“{column}”" in (ROOT / "docs/site/guide.md").read_text(encoding="utf-8")

    branches = sorted(b.strip() for b in _git(repo, "branch", "--format=%(refname:short)").split())
    assert branches == ["cms/hall/members", "cms/hall/pledges", "main"]  # each save is a branch to review
    _git(repo, "merge", "-q", "--no-edit", "cms/hall/members", "cms/hall/pledges")
    result = check(repo)
    assert [p for p in result.problems if p.level == "error"] == [], report(result.problems)
    assert (repo / "content/units/hall/photos/wang-fang.jpg").read_bytes() == photo.read_bytes()
    start = _git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    diff = _git(repo, "diff", "-U0", start, "--", "content/units/hall/pledges.yml", "content/units/hall/members.yml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        "+    photo: photos/wang-fang.jpg",
        "-    status: 履行中", "+    status: 已完成", "+    completed_on: 2026-06-30",
        "-    completed_on: 2026-02-02",
        "+  - id: '2026-wang-01'", "+    member: 'wang-fang'", "+    kind: 年度承诺", "+    form: 个人承诺",
        "+    topic: 服务承诺", "+    text: 咨询当场答复。", "+    made: 2026-03-01", "+    due: 2026-12-31",
        "+    status: 履行中",
    ], diff
