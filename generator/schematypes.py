"""The building blocks of the content schema (:mod:`generator.schema`): constrained
strings, the bilingual field declaration :func:`f`, and :class:`Strict`, the base of
every file model (unknown keys are refused, values are frozen and stripped).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
# A repository account: @user or @org/team (CODEOWNERS, reminders); the list is in site_config.yml.
Handle = Annotated[str, StringConstraints(pattern=r"^@?[A-Za-z0-9_.\-/]{1,80}$")]
Long = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+\-() 转]{3,30}$")]


def f(zh: str, en: str, **kw: Any) -> Any:
    """A field with its bilingual description (shown in editors and the reference)."""
    return Field(description=f"{zh} / {en}", **kw)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
