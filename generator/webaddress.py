"""Web addresses in the settings, checked before they become links on every page.

``site.base_url`` and ``feedback_url`` are printed into links, the sitemap, the
feed, JSON-LD and every QR code. Only http and https with a host are accepted:
``javascript:`` or ``data:`` would run code in a visitor's browser, and a quote or
angle bracket would end the attribute it stands in. Refused addresses are G212.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

# Spaces, controls and the characters RFC 3986 never allows in an address (non-ASCII letters
# are allowed: browsers encode them, and Chinese domain names exist).
_UNSAFE = re.compile("[\\x00-\\x20\\x7f-\\x9f\\s\"<>\\\\^`{|}]")
_BRACES = re.compile(r"\{[^{}]*\}|[{}]")
BASE_EXAMPLE = "https://gongshi.example.cn/"
TEMPLATE_EXAMPLE = "https://gongshi.example.cn/feedback/?unit={unit}&member={member}"


def _shown(char: str) -> str:
    return f"“{char}”" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}（看不见的字符或空格）"


def address_problem(value: str, *, base: bool = False, template: bool = False) -> str | None:
    """Why ``value`` is not an address to publish, in Chinese, or None."""
    checked = value
    if template:
        if any(b not in ("{unit}", "{member}") for b in _BRACES.findall(value)):
            return "花括号里只能写 {unit} 或 {member}"
        checked = value.replace("{unit}", "u").replace("{member}", "m")
    scheme, sep, _ = checked.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return "只能以 http:// 或 https:// 开头（javascript:、data: 这类地址会在访客的浏览器里运行代码）"
    if unsafe := _UNSAFE.search(checked):
        return f"含有网址里不允许的字符{_shown(unsafe.group())}"
    parts = urlsplit(checked)
    if not parts.hostname:
        return "缺少网站的域名"
    if "@" in parts.netloc:
        return "不能含有用户名或密码（“@”和它前面的部分）"
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        return "端口号不对"
    if base and (not parts.path.endswith("/") or "?" in checked or "#" in checked):
        return "须以 / 结尾，且不带“?”“#”及其后的部分"
    return None


def _checker(base: bool, template: bool, example: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        reason = address_problem(value, base=base, template=template)
        if reason:
            raise PydanticCustomError("web_address", "{reason}", {"reason": reason, "example": example})
        return value
    return check


_SCHEMA = {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}
BaseAddress = Annotated[str, AfterValidator(_checker(True, False, BASE_EXAMPLE)),
                        WithJsonSchema({**_SCHEMA, "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+(/[^\\s?#]*)?/$"})]
AddressTemplate = Annotated[str, AfterValidator(_checker(False, True, TEMPLATE_EXAMPLE)), WithJsonSchema(_SCHEMA)]
