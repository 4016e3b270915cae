"""The web editor at /admin/ in a real browser: Decap CMS served from the site itself, in Chinese.

Uses Decap's in-browser ``test-repo`` backend, so no code host is contacted; the
script files are taken from the npm registry by ``admin-fetch`` (skipped when npm
cannot reach it).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from generator.check import check
from generator.staff import decap
from generator.staff.yamlio import StaffError

from .conftest import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium not installed (.ci/run installs it)"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {"executable_path": shutil.which("chromium"),
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        assets = decap.fetch(ROOT)
    except StaffError as exc:
        pytest.skip(f"Decap CMS could not be fetched from npm: {exc}")
    site = check(ROOT).site
    assert site is not None
    out = tmp_path_factory.mktemp("admin")
    for name, content in decap.admin_files(site, {"GONGSHI_CMS_BACKEND": "test-repo",
                                                  "GONGSHI_DECAP_DIR": str(assets)}).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(content)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/admin/"
    server.shutdown()
    server.server_close()


def test_editor_loads_locally_in_chinese_with_one_collection_per_unit(page: Page, admin: str) -> None:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    page.goto(admin)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("青川县税务局办税服务厅").first.click()
    page.get_by_text("承诺（亮承诺）").first.wait_for()
    assert page.get_by_text("工作流").count() >= 1  # editorial workflow: every save is a pull request
    page.get_by_text("承诺（亮承诺）").first.click()
    page.get_by_text("承诺列表").first.wait_for()
    assert hosts == {"127.0.0.1"}
