"""Settings that become links: web addresses are checked before anything is built (G212)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import check


def _set(project: Path, key: str, value: str) -> None:
    config = project / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    quoted = "'" + value.replace("'", "''") + "'"
    if key == "base_url":
        text = text.replace("base_url: https://example.org/", f"base_url: {quoted}")
    else:
        text += f"{key}: {quoted}\n"
    config.write_text(text, encoding="utf-8")


BAD_BASE = [
    ("javascript:alert(1)//", "只能以 http:// 或 https:// 开头"),
    ("data:text/html,<script>alert(1)</script>/", "只能以 http:// 或 https:// 开头"),
    ("JavaScript://example.org/%0Aalert(1)/", "只能以 http:// 或 https:// 开头"),
    ("ftp://example.org/", "只能以 http:// 或 https:// 开头"),
    ("https:////", "缺少网站的域名"),
    ('https://example.org/"><script>alert(1)</script>/', "含有网址里不允许的字符"),
    ("https://example.org/a b/", "含有网址里不允许的字符"),
    ("https://example.org/\\/", "含有网址里不允许的字符"),
    ("https://gov.cn@evil.example/", "不能含有用户名或密码"),
    ("https://example.org:99999/", "端口号不对"),
    ("https://example.org/?x=1/", "须以 / 结尾"),
    ("https://example.org/#top/", "须以 / 结尾"),
    ("https://example.org", "须以 / 结尾"),
]


@pytest.mark.parametrize(("value", "reason"), BAD_BASE)
def test_bad_base_url_is_refused(project: Path, value: str, reason: str) -> None:
    _set(project, "base_url", value)
    problems = [p for p in check(project).problems if p.level == "error"]
    assert [(p.path, p.line, p.code) for p in problems] == [("site_config.yml", 4, "G212")]
    assert problems[0].message.startswith("“网站正式地址”（base_url）不是可用的网址：")
    assert reason in problems[0].message and "请写成" in problems[0].message


BAD_FEEDBACK = [
    ("javascript:alert(document.cookie)", "只能以 http:// 或 https:// 开头"),
    ("data:text/html;base64,PHNjcmlwdD4=", "只能以 http:// 或 https:// 开头"),
    ("vbscript:msgbox(1)", "只能以 http:// 或 https:// 开头"),
    ("https://example.org/f?u={unit}&x={0}", "花括号里只能写 {unit} 或 {member}"),
    ("https://example.org/f?u={unit}\"onmouseover=alert(1)", "含有网址里不允许的字符"),
    ("https://example.org/f?u=<{unit}>", "含有网址里不允许的字符"),
]


@pytest.mark.parametrize(("value", "reason"), BAD_FEEDBACK)
def test_bad_feedback_url_is_refused(project: Path, value: str, reason: str) -> None:
    _set(project, "feedback_url", value)
    problems = [p for p in check(project).problems if p.level == "error"]
    assert [(p.path, p.code) for p in problems] == [("site_config.yml", "G212")]
    assert problems[0].message.startswith("“在线评价地址模板”（feedback_url）不是可用的网址：")
    assert reason in problems[0].message


@pytest.mark.parametrize(("key", "value"), [
    ("base_url", "https://gongshi.example.cn/"),
    ("base_url", "http://10.0.0.8:8080/gongshi/"),
    ("base_url", "https://公示.例子.中国/县/"),
    ("base_url", "HTTPS://Example.ORG/"),
    ("feedback_url", "https://example.org/rate?unit={unit}&member={member}"),
    ("feedback_url", "https://example.org/rate/{unit}/#form"),
])
def test_good_addresses_pass(project: Path, key: str, value: str) -> None:
    _set(project, key, value)
    assert check(project).problems == []
