"""The content contract: one declarative schema for every file staff edit.

Each class is one file (or one block inside a file); each field carries a
description "中文 / English". From these classes come validation (pydantic),
the JSON Schema that editors use (``build.py schema``) and the field reference in
the docs (``generator.reference``). Keys are English snake_case so tools and
keyboards agree; the values staff choose from (status, grades, answers) are the
Chinese words printed on the boards, so what they type is what citizens read.

The models live in :mod:`generator.schema_unit` (unit.yml, members.yml, pledges.yml) and
:mod:`generator.schema_records` (the other four files), on the building blocks of
:mod:`generator.schematypes`; this module is where everything else imports them from.
"""

from __future__ import annotations

from .schema_records import (
    Answer,
    Award,
    Channel,
    Comment,
    CompareFile,
    Conduct,
    Contest,
    EvaluationsFile,
    Grade,
    GradingFile,
    Indicators,
    Level,
    Rectification,
    RectificationsFile,
    Result,
    Review,
    Source,
    Star,
    Survey,
)
from .schema_unit import (
    Badge,
    Limit,
    Material,
    Member,
    MembersFile,
    Mode,
    Outcome,
    PartyOrg,
    Pledge,
    PledgesFile,
    PledgeStatus,
    Political,
    Regime,
    Service,
    Step,
    Topic,
    UnitFile,
    UnitKind,
)
from .schematypes import (
    Handle,
    Long,
    Phone,
    Slug,
    Strict,
    Text,
    f,
)

__all__ = [
    "UNIT_FILES", "Answer", "Award", "Badge", "Channel", "Comment", "CompareFile", "Conduct", "Contest",
    "EvaluationsFile", "Grade", "GradingFile", "Handle", "Indicators", "Level", "Limit", "Long", "Material",
    "Member", "MembersFile", "Mode", "Outcome", "PartyOrg", "Phone", "Pledge", "PledgeStatus", "PledgesFile",
    "Political", "Rectification", "RectificationsFile", "Regime", "Result", "Review", "Service", "Slug", "Source",
    "Star", "Step", "Strict", "Survey", "Text", "Topic", "UnitFile", "UnitKind", "f",
]


# The files of a unit folder, in the order they are read and documented.
UNIT_FILES: dict[str, type[Strict]] = {
    "unit.yml": UnitFile,
    "members.yml": MembersFile,
    "pledges.yml": PledgesFile,
    "compare.yml": CompareFile,
    "evaluations.yml": EvaluationsFile,
    "rectifications.yml": RectificationsFile,
    "grading.yml": GradingFile,
}
