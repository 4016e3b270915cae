"""The warnings of ``check``: what the model shows that staff should follow up.

Overdue pledges and fixes, members who did not consent (and fixes that name them), services without a time limit,
survey channels counted twice, satisfaction below target, too many units graded
advanced. They come from the built model (so figures are the ones the site shows) and
never stop a build.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .channels import overlaps
from .errors import Problem, warning
from .figures import grade_shares, percent_of, unit_figures
from .model import Site, Unit
from .references import Located
from .warncache import KeptWarnings
from .withheld import RECT_FIELDS, WITHHELD, withheld_fields, withheld_names, withhold

if TYPE_CHECKING:
    from .modelmemo import KeptInMemory


def _unit_warnings(site: Site, unit: Unit, loc: Located) -> Iterator[Problem]:
    for i, p in enumerate(unit.pledges):
        if p.overdue:
            yield loc.warn("pledges.yml", ("pledges", i, "due"), "G501",
                           f"承诺“{p.id}”已逾期：期限 {p.data.due}，截至 {site.as_of} 仍为“{p.data.status}”。请跟进并更新状态")
    for i, r in enumerate(unit.rectifications):
        if r.overdue:
            yield loc.warn("rectifications.yml", ("rectifications", i, "deadline"), "G502",
                           f"整改“{r.data.id}”已超过时限 {r.data.deadline}，状态仍为“{r.data.status}”")
    for i, m in enumerate(unit.members):
        if not m.published:
            yield loc.warn("members.yml", ("members", i, "consent"), "G404",
                           f"成员“{m.data.name}”未同意公开（consent 不是 true），不会出现在网站和展板上")
    withheld = withheld_names(loc.source.members)
    org = loc.source.unit.party_org
    if org and withhold(org.secretary, withheld) != org.secretary:
        yield loc.warn("unit.yml", ("party_org", "secretary"), "G406",
                       f"党组织书记“{org.secretary}”是未同意公开的成员，网站和展板上显示为“{WITHHELD}”。"
                       "本人同意公开时把 members.yml 里的 consent 改为 true")
    for i, fix in enumerate(loc.source.rectifications.rectifications):  # as written: the model's are withheld
        for key in withheld_fields(fix, withheld):
            yield loc.warn("rectifications.yml", ("rectifications", i, key), "G406",
                           f"整改“{fix.id}”的{RECT_FIELDS[key]}“{getattr(fix, key)}”里有未同意公开的成员的姓名，网站、台账和下载数据里"
                           f"这个姓名显示为“{WITHHELD}”。本人同意公开时把 members.yml 里的 consent 改为 true；"
                           "否则可改填其他负责人，或不写姓名")
    for i, s in enumerate(unit.data.services):
        if s.promised_limit is None and s.legal_limit is None:
            yield loc.warn("unit.yml", ("services", i), "G505",
                           f"服务事项“{s.name}”没有办结时限。请填写 promised_limit（工作日数或“即办”）")
    for o in overlaps(unit.evaluations.surveys, site.config.surveys.channels_included):
        yield loc.warn("evaluations.yml", ("surveys", o.index, "channel"), "G716", o.message())
    own = unit_figures(site, unit.id)
    if own.satisfaction.meets is False:
        yield loc.warn("evaluations.yml", ("surveys",), "G503",
                       f"{site.period.name}群众满意率 {own.satisfaction.short()}，"
                       f"低于目标 {own.satisfaction.target_percent()}。"
                       "请分析意见并在整改台账中登记措施")


def model_warnings(site: Site, located: dict[str, Located], kept: KeptWarnings | KeptInMemory | None = None
                   ) -> list[Problem]:
    """Every unit's warnings, then the site's (the share of units graded advanced, G504).

    ``kept`` (``check`` with its cache) hands back the warnings of units unchanged since a past
    run: a unit's depend on its own files, the settings and the as-of date only (see
    :mod:`generator.warncache`; ``serve``'s, :class:`generator.modelmemo.KeptInMemory`);
    tests/test_checkcache compares them with fresh ones.
    """
    out: list[Problem] = []
    for unit in site.units.values():
        found = kept.get(unit.id) if kept else None
        if found is None:
            found = list(_unit_warnings(site, unit, located[unit.id]))
            if kept:
                kept.put(unit.id, found)
        out += found
    cap = site.config.targets.advanced_cap
    for year, (advanced, graded) in grade_shares(site).items():
        if graded and advanced / graded > cap + 1e-9:
            out.append(warning("site_config.yml", 1, 1, "G504",
                               f"{year} 年定级为“先进”的单位有 {advanced}/{graded} 个，"
                               f"超过上限 {percent_of(site.config, cap)}"))
    return out
