"""Members and units taken out of the content keep a page at their old address.

Printed QR codes hang for years: a desk tent's code keeps leading to
``units/<unit>/members/<id>/`` long after the member left, and a poster's to
``units/<unit>/`` after the unit was merged. The record of who left is explicit,
``retired:`` in ``site_config.yml``, not read from git history: CI and hosts build
from shallow clones, where the history that would tell is not there (see README,
design). These checks keep the record consistent with the content.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from .errors import Problem, error
from .load import Loaded
from .settings import SiteConfig


def check_retired(config: SiteConfig, loaded: Loaded, members: Mapping[str, Collection[str]]) -> list[Problem]:
    """``members`` maps each unit folder that loaded to its members' ids (empty if members.yml broke)."""
    return list(_units(config, loaded, members)) + list(_members(config, loaded, members))


def _at(loaded: Loaded, loc: tuple[str | int, ...], code: str, message: str) -> Problem:
    line, col = loaded.pos(loc)
    return error(loaded.shown, line, col, code, message)


def _units(config: SiteConfig, loaded: Loaded, members: Mapping[str, Collection[str]]) -> Iterator[Problem]:
    retired = config.retired.units
    seen: set[str] = set()
    for i, unit in enumerate(retired):
        here = ("retired", "units", i)
        if unit.id in seen:
            yield _at(loaded, (*here, "id"), "G762", f"retired.units 里单位“{unit.id}”登记了两次。请删去重复的一条")
        seen.add(unit.id)
        if unit.id in members:
            yield _at(loaded, (*here, "id"), "G760",
                      f"retired.units 登记了单位“{unit.id}”已撤销，但 content/units/{unit.id}/ 仍在。"
                      "期望：撤销的单位目录已删除；实际：目录还在。请删除该目录，或删掉这条登记")
        if unit.merged_into and unit.merged_into not in members:
            yield _at(loaded, (*here, "merged_into"), "G761",
                      f"单位“{unit.id}”并入的单位“{unit.merged_into}”不存在：content/units/ 下没有这个目录。"
                      "请填写现有单位的目录名，已撤销则留空")


def _members(config: SiteConfig, loaded: Loaded, members: Mapping[str, Collection[str]]) -> Iterator[Problem]:
    gone_units = {u.id for u in config.retired.units}
    seen: set[tuple[str, str]] = set()
    for i, person in enumerate(config.retired.members):
        here = ("retired", "members", i)
        key = (person.unit, person.id)
        if key in seen:
            yield _at(loaded, (*here, "id"), "G762",
                      f"retired.members 里“{person.unit}/{person.id}”登记了两次。请删去重复的一条")
        seen.add(key)
        if person.unit not in members and person.unit not in gone_units:
            yield _at(loaded, (*here, "unit"), "G761",
                      f"成员“{person.id}”原所在单位“{person.unit}”既不在 content/units/ 下，也不在 retired.units 里。"
                      "请填写原单位的目录名；单位已撤销的，先在 retired.units 登记该单位")
        elif person.id in members.get(person.unit, ()):
            yield _at(loaded, (*here, "id"), "G760",
                      f"retired.members 登记了“{person.id}”已离开单位“{person.unit}”，但 members.yml 里仍有这位成员。"
                      "期望：已离开的成员从 members.yml 删除；实际：仍在。请删除该成员，或删掉这条登记")
        if person.moved_to and person.moved_to not in members:
            yield _at(loaded, (*here, "moved_to"), "G761",
                      f"成员“{person.id}”调往的单位“{person.moved_to}”不存在：content/units/ 下没有这个目录。"
                      "请填写现有单位的目录名，或留空")
