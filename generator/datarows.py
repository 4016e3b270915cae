"""The rows of the open-data files (site/data/*.json), declared once: their JSON Schemas.

Each data file is a JSON array of rows. A row is a content object as the model holds
it (``model_dump(mode="json")``) plus the fields the export adds (``unit``, ``url``,
``overdue``, the figures of a unit); fields that are never published (a member's
consent and photo, a unit's service list) are left out. The row
models below are built from the content schema with exactly those changes, so the
published schema (``data/schema/<kind>.schema.json``) follows every schema change,
and a test validates every published file against it. The YAML input has its own
schemas in ``schema/`` for editors; those do not describe the data files.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, TypeAdapter, create_model

from . import schema
from .schema import Slug, Strict, f
from .urls import data_file

UNIT_FIGURES: dict[str, Any] = {
    "url": (str, f("单位页面地址", "page URL")),
    "period": (Slug, f("满意率所属的评议时段编号", "evaluation period of the satisfaction figures")),
    "as_of": (str, f("统计截止日期 YYYY-MM-DD", "as-of date")),
    "pledges_made": (int, f("本年度公开承诺数（已撤回、未公开的不计）", "pledges made public this year")),
    "pledges_due": (int, f("其中截至统计日期已到期（或已评定）的", "of which fallen due or rated")),
    "pledges_not_due": (int, f("其中尚未到期的", "of which not yet due")),
    "pledges_kept": (int, f("其中评定为已兑现的", "of which rated 已兑现")),
    "fulfilment_base": (Literal["已到期", "全年"], f("践诺率分母的算法（site_config figures.fulfilment_base）",
                                                  "what the 践诺率 denominator counts")),
    "fulfilment_numerator": (int, f("践诺率分子：已兑现承诺数", "numerator of 践诺率")),
    "fulfilment_denominator": (int, f("践诺率分母", "denominator of 践诺率")),
    "fulfilment_rate": (float | None, f("践诺率（分子 ÷ 分母，未取整）；分母为 0 时为空", "exact ratio, null if no base")),
    "satisfaction_numerator": (int, f("满意率分子", "numerator of satisfaction")),
    "satisfaction_denominator": (int, f("满意率分母：评价总数", "all answers")),
    "satisfaction_rate": (float | None, f("群众满意率（未取整）；没有评价时为空", "exact ratio, null if no answers")),
    "year": (int, f("承诺数和践诺率所属的承诺年度", "pledge year of the pledge counts and 践诺率")),
    "satisfaction_formula": (Literal["满意加基本满意", "仅满意"], f("满意率分子的算法（site_config satisfaction.formula）",
                                                          "what the satisfaction numerator counts")),
    "scope": (Literal["本单位"], f("这些数字只含本单位自身，不含下级单位（上级单位页面另有含下级的合计）",
                                  "the unit's own figures, without its subordinate units")),
}
UNIT = (str, f("单位编号", "unit id"))
PERIOD_NAME = (str, f("时段名称", "period name"))
OVERDUE = (bool, f("截至统计日期是否逾期", "overdue as of the as-of date"))
MEMBER_URL = (str, f("成员页面地址", "page URL"))


def _row(name: str, base: type[BaseModel], extra: dict[str, Any], exclude: frozenset[str] = frozenset()
         ) -> type[BaseModel]:
    """``base``'s fields minus ``exclude``, after the ``extra`` fields, in a strict model."""
    fields: dict[str, Any] = {k: (info.annotation, info) for k, info in base.model_fields.items() if k not in exclude}
    model: type[BaseModel] = create_model(name, __base__=Strict, __doc__=f"data/ row from {base.__name__}",
                                          **extra, **fields)
    return model


ROWS: dict[str, type[BaseModel]] = {
    "units": _row("UnitRow", schema.UnitFile, {"id": (Slug, f("单位编号", "unit id")), **UNIT_FIGURES},
                  frozenset({"services"})),
    "services": _row("ServiceRow", schema.Service, {"unit": UNIT}),
    "members": _row("MemberRow", schema.Member, {"unit": UNIT, "url": MEMBER_URL}, frozenset({"consent", "photo"})),
    "pledges": _row("PledgeRow", schema.Pledge, {"unit": UNIT, "overdue": OVERDUE}),
    "surveys": _row("SurveyRow", schema.Survey, {"unit": UNIT}),
    "comments": _row("CommentRow", schema.Comment, {"unit": UNIT}),
    "rectifications": _row("RectificationRow", schema.Rectification, {"unit": UNIT, "overdue": OVERDUE}),
    "awards": _row("AwardRow", schema.Award, {"unit": UNIT}),
    "grading": _row("GradeRow", schema.Grade, {"unit": UNIT}),
    "reviews": _row("ReviewRow", schema.Review, {"unit": UNIT}),
    "contests": _row("ContestRow", schema.Contest, {"unit": UNIT}),
    "conduct": _row("ConductRow", schema.Conduct, {"unit": UNIT}),
    "stars": _row("StarRow", schema.Star, {"unit": UNIT}),
    "red_flags": create_model("RedFlagRow", __base__=Strict, __doc__="data/ row: a month a unit held the red flag",
                              unit=UNIT, month=(str, f("获得流动红旗的月份 YYYY-MM", "month held, YYYY-MM"))),
}
# Which content class each data file publishes (its rows carry every field not excluded above);
# red_flags rows carry CompareFile.red_flags, one month a row. generator.published walks these.
SOURCES: dict[str, type[BaseModel]] = {
    "units": schema.UnitFile, "services": schema.Service, "members": schema.Member, "pledges": schema.Pledge,
    "surveys": schema.Survey, "comments": schema.Comment, "rectifications": schema.Rectification,
    "awards": schema.Award, "grading": schema.Grade, "reviews": schema.Review, "contests": schema.Contest,
    "conduct": schema.Conduct, "stars": schema.Star,
}
CARRIED: dict[str, str] = {"red_flags": "CompareFile.red_flags"}


def data_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``data/<kind>.json``: an array of rows."""
    result: dict[str, Any] = TypeAdapter(list[ROWS[kind]]).json_schema(mode="serialization")  # type: ignore[valid-type]
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["title"] = f"data/{kind}.json"
    return result


def schema_files() -> dict[str, bytes]:
    """``data/schema/<kind>.schema.json`` for every data file."""
    return {data_file(f"schema/{kind}.schema.json"): (json.dumps(data_schema(kind), ensure_ascii=False, indent=2,
                                                           sort_keys=True) + "\n").encode()
            for kind in ROWS}
