"""The ledgers' downloads (.xlsx and .csv beside each ledger page, one workbook for the site and one per unit)
and the reminders page."""

from __future__ import annotations

from .. import urls
from ..ledgers import Ledger, site_ledgers, unit_ledgers
from ..model import Site, Unit
from ..reminders import reminders
from ..xlsx import ledger_csv, workbook
from .overview import TableContext, table_pages
from .plan import PageSpec


def _title(site: Site, ledger: Ledger) -> str:
    return f"{site.config.site.name} {ledger.title}（截至 {site.as_of}）"


def ledger_files(site: Site, ledgers: list[Ledger] | None = None) -> dict[str, bytes]:
    """Each ledger's .xlsx and .csv, and the workbook of them all (``ledgers``: :func:`site_ledgers`)."""
    places = site.config.figures.percent_decimals
    ledgers = site_ledgers(site) if ledgers is None else ledgers
    files = {}
    sheets: dict = {}  # each ledger's sheet, written once for its own file and again in the site's
    for ledger in ledgers:
        files[urls.ledger_file(ledger.name, "xlsx")] = workbook([ledger], site.as_of, places, _title(site, ledger), sheets)
        files[urls.ledger_file(ledger.name, "csv")] = ledger_csv(ledger, places)
    files[urls.SITE_WORKBOOK] = workbook(ledgers, site.as_of, places, f"{site.config.site.name} 台账（截至 {site.as_of}）",
                                         sheets)
    return files


def unit_workbook(site: Site, unit: Unit) -> dict[str, bytes]:
    """``units/<id>/ledgers.xlsx``: the unit's own rows of each ledger."""
    return {urls.unit_workbook(unit.id): workbook(
        unit_ledgers(site, unit.id), site.as_of, site.config.figures.percent_decimals,
        f"{unit.name} 台账（截至 {site.as_of}）")}


def reminder_pages(site: Site) -> list[PageSpec]:
    """Pledges and rectifications falling due within ``reminders.days``, and those overdue, by unit."""
    days = site.config.reminders.days
    rows = []
    for unit_id, items in reminders(site).items():
        unit = site.units[unit_id]
        for i in items:
            rows.append(((unit.short_name, urls.unit(unit_id)), (i.kind, None), (i.item_id, None), (i.text, None),
                         (i.who, None), (i.due.isoformat(), None), (i.when, None), (i.status, None)))
    context = TableContext(
        "到期提醒", f"截至 {site.as_of}：已逾期和今后 {days} 天内到期（设置 reminders.days）的承诺与整改，按单位列出，"
        "逾期的在前。各单位维护人的提醒消息用 build.py remind 生成。",
        ("单位", "类别", "编号", "内容", "责任人", "期限", "剩余", "状态"), tuple(rows), downloads=urls.downloads("reminders"))
    return table_pages(urls.ledger("reminders"), "到期提醒", context)
