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


# One set object for each combination of keys a file gave: see Strict.model_post_init.
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    def model_post_init(self, context: Any, /) -> None:
        """Share the set of keys the file gave (``model_fields_set``) with every record that gave the same.

        pydantic keeps one ``set`` a record; at 2,000 units those were 470,000 sets with about 200
        distinct contents, half of the unpickled units' memory (and of every render worker's, which starts
        as a copy of it). The records are frozen, so nothing adds to a set in place; ``model_copy``
        copies the set before it adds the updated keys. Shared sets stay shared through pickling (the
        unit cache, the check workers), as pickle writes an object once.
        """
        object.__setattr__(self, "__pydantic_fields_set__", _shared(self.__pydantic_fields_set__))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle a record as its class, its values and its keys; :func:`_restored` puts them back.

        pydantic's own pickling goes through a state dict and a Python ``__setstate__`` a record:
        a one-unit edit at 2,000 units unpickles 470,000 records from the check cache, and that
        way took a third of the time more (measured: 1.99 → 1.40 s for all of them). Records
        have no private attributes and no extras (``extra="forbid"``), so nothing else is lost.
        """
        return _restored, (type(self), self.__dict__, self.__pydantic_fields_set__)


def _restored(cls: type[Strict], values: dict[str, Any], keys: set[str]) -> Strict:
    """A record as it was pickled; its key set is shared across files too (a pickle shares them within one)."""
    record = _new(cls)
    _set(record, "__dict__", values)
    _set(record, "__pydantic_fields_set__", _shared(keys))
    _set(record, "__pydantic_extra__", None)
    _set(record, "__pydantic_private__", None)
    return record


_new = object.__new__
_set = object.__setattr__


def _shared(keys: set[str]) -> set[str]:
    return _FIELD_SETS.setdefault(frozenset(keys), keys)
