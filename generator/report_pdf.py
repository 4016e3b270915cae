"""The periodic report as PDF, through WeasyPrint with the Noto CJK fonts the boards use.

The report refuses to render without a Chinese font (G752): WeasyPrint would otherwise
fall back silently to a font without CJK glyphs and print boxes. The bytes are
reproducible: dates come from ``<meta name=dcterms.created>`` (the as-of date) and the
file identifier is a hash of the HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from html import escape

from .errors import GongshiError
from .report import Report, Table

FONTS = '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif'
HEADING_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "SimHei", sans-serif'
CSS = f"""
@page {{ size: A4; margin: 20mm 18mm; @bottom-center {{ content: "第 " counter(page) " 页"; font-size: 9pt; }} }}
body {{ font-family: {FONTS}; font-size: 11pt; line-height: 1.5; }}
h1, h2 {{ font-family: {HEADING_FONTS}; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 4pt; }}
.sub {{ text-align: center; font-size: 10pt; margin: 0 0 12pt; }}
h2 {{ font-size: 13pt; margin: 14pt 0 6pt; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 9.5pt; }}
th, td {{ border: 0.5pt solid #444; padding: 2pt 4pt; vertical-align: top; }}
th {{ background: #eee; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
p.label {{ break-after: avoid; margin-bottom: 2pt; }}
"""


def cjk_font_available() -> bool:
    """Whether fontconfig knows a font that covers Chinese."""
    if not shutil.which("fc-list"):
        return False
    try:
        found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The report loads nothing: its HTML has no links, and content text is escaped."""
    raise ValueError(f"通报不加载外部资源：{url[:200]}")


def report_html(report: Report, as_of: dt.date) -> str:
    parts = [f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(report.title)}</title>',
             f'<meta name="dcterms.created" content="{as_of.isoformat()}">',
             f'<meta name="dcterms.modified" content="{as_of.isoformat()}">',
             f"<style>{CSS}</style></head><body>",
             f"<h1>{escape(report.title)}</h1><p class=\"sub\">{escape(report.subtitle)}</p>"]
    for section in report.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                head = "".join(f"<th>{escape(c)}</th>" for c in block.columns)
                body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
                parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            else:  # a label such as "按满意率：" stays on the page of its table
                label = ' class="label"' if block.endswith("：") else ""
                parts.append(f"<p{label}>{escape(block)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def report_pdf(report: Report, as_of: dt.date) -> bytes:
    """The report as PDF; :class:`GongshiError` (G752) when no Chinese font is installed."""
    if not cjk_font_available():
        raise GongshiError("找不到中文字体，无法生成 PDF 通报：期望系统装有 Noto CJK（思源）等中文字体，实际 fc-list :lang=zh "
                           "没有列出任何字体。请安装 fonts-noto-cjk 后重试；Word 版（.docx）不受影响。（G752）")
    from weasyprint import HTML

    html = report_html(report, as_of)
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32]
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=_refuse).write_pdf(
        pdf_identifier=identifier.encode("ascii"))
    return pdf
