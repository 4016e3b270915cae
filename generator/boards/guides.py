"""一次性告知单 (service guide handout): one A4 per service item, for the 一次性告知 regime.

Everything a citizen needs to come once: who may apply, conditions, every required
material (original or copy, how many), the steps, legal and promised time limits, fee
and its basis, hours, window, consultation and supervision phones, and a QR code to
that service on the unit page (its ``#service-<id>`` anchor, with the board's stamp).
Made when ``print.service_guides`` is on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markupsafe import Markup

from .. import schema
from ..model import Unit
from ..qr import qr_svg
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
    url = f"{stamp.url}#service-{service_id}"
    return dataclasses.replace(stamp, url=url, qr=Markup(qr_svg(url)) if stamp.stamp else Markup(""))
