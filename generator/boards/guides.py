"""Boards that guide citizens: the service guide handout and the hall directory.

一次性告知单 (service guide handout): one A4 per service item, for the 一次性告知 regime.

Everything a citizen needs to come once: who may apply, conditions, every required
material (original or copy, how many), the steps, legal and promised time limits, fee
and its basis, hours, window, consultation and supervision phones, and a QR code to
that service on the unit page (its ``#service-<id>`` anchor, with the board's stamp).
Made when ``print.service_guides`` is on.

窗口导引 (hall directory, kind ``directory``): for a unit with child units (a service
centre), one wall poster listing each window (child unit) with its name, its services in
short and a QR code to its page. Made when ``print.hall_directory`` is on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markupsafe import Markup

from .. import schema
from ..model import Site, Unit
from ..qr import qr_svg
from ..urls import service_anchor, unit_url
from .contexts import Stamp, limit_text

PREFIX = "guide-"  # file stem: guide-<service id>


@dataclass(frozen=True)
class MaterialView:
    name: str
    form: str  # 原件 / 复印件 / 原件和复印件 / 电子件
    copies: int
    note: str | None


@dataclass(frozen=True)
class GuideView:
    """One service item as its guide prints it."""

    id: str
    name: str
    code: str | None
    implementer: str | None
    applicants: str | None
    conditions: tuple[str, ...]
    materials: tuple[MaterialView, ...]
    steps: tuple[str, ...]
    promised: str  # "即办", "5 个工作日" or "—"
    legal: str
    fee: str
    fee_basis: str | None
    basis: tuple[str, ...]
    window: str | None
    visits: str | None  # "最多跑 1 次" / "不用跑"
    modes: tuple[str, ...]
    consult_phone: str | None


def service(unit: Unit, stem: str) -> schema.Service:
    """The service item a guide's file stem names."""
    wanted = stem.removeprefix(PREFIX)
    return next(s for s in unit.data.services if s.id == wanted)


def guide_view(s: schema.Service, visits: str | None) -> GuideView:
    return GuideView(
        id=s.id, name=s.name, code=s.code, implementer=s.implementer, applicants=s.applicants,
        conditions=tuple(s.conditions),
        materials=tuple(MaterialView(m.name, m.form, m.copies, m.note) for m in s.materials),
        steps=tuple(s.steps), promised=limit_text(s.promised_limit), legal=limit_text(s.legal_limit),
        fee=s.fee, fee_basis=s.fee_basis, basis=tuple(s.basis), window=s.window, visits=visits,
        modes=tuple(s.modes), consult_phone=s.consult_phone)


def anchored(stamp: Stamp, service_id: str) -> Stamp:
    """The board's footer with its QR code leading to the service on the unit page."""
    url = f"{stamp.url}{service_anchor(service_id)}"
    return dataclasses.replace(stamp, url=url, qr=Markup(qr_svg(url)) if stamp.stamp else Markup(""))


SHOWN_SERVICES = 6  # services named per window; the rest are counted ("等 9 项")


@dataclass(frozen=True)
class WindowView:
    """One window of a hall directory: a child unit of the service centre."""

    name: str
    short_name: str
    services: tuple[str, ...]  # the first SHOWN_SERVICES names
    more: int  # services not named
    hours: str | None
    url: str
    qr: Markup


def windows(site: Site, unit: Unit) -> tuple[WindowView, ...]:
    """The child units of ``unit``, in tree order, as the directory lists them."""
    out = []
    for child_id in unit.children:
        child = site.units[child_id]
        names = [s.name for s in child.data.services]
        url = unit_url(site, child)
        out.append(WindowView(child.data.name, child.short_name, tuple(names[:SHOWN_SERVICES]),
                              max(0, len(names) - SHOWN_SERVICES), child.data.hours, url, Markup(qr_svg(url))))
    return tuple(out)
