"""Records share their set of given keys (``model_fields_set``): a fifth of the model's memory at
2,000 units was one such set a record. Sharing must never let one record's keys leak into another's."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from pydantic import ValidationError

from generator.schema_unit import Step


def _step(event: str, evidence: str | None = None) -> Step:
    given = {"date": dt.date(2026, 5, 1), "event": event}
    return Step.model_validate(given if evidence is None else {**given, "evidence": evidence})


def test_records_given_the_same_keys_share_one_set_and_keep_their_own_keys() -> None:
    a, b, c = _step("受理"), _step("办结"), _step("办结", evidence="回执")
    assert a.model_fields_set is b.model_fields_set
    assert a.model_fields_set == {"date", "event"}
    assert c.model_fields_set == {"date", "event", "evidence"}


def test_a_copy_with_an_update_leaves_the_other_records_keys_alone() -> None:
    a, b = _step("受理"), _step("办结")
    copied = a.model_copy(update={"evidence": "回执"})
    assert copied.model_fields_set == {"date", "event", "evidence"}
    assert a.model_fields_set == b.model_fields_set == {"date", "event"}
    assert _step("再次受理").model_fields_set == {"date", "event"}


def test_unpickled_records_are_equal_and_share_their_sets_across_pickles() -> None:
    a, b = _step("受理"), _step("办结", evidence="回执")
    a2, b2 = pickle.loads(pickle.dumps(a)), pickle.loads(pickle.dumps(b))
    assert (a2, b2) == (a, b)
    assert a2.model_fields_set is a.model_fields_set
    assert b2.model_fields_set == {"date", "event", "evidence"}


def test_an_unpickled_record_is_the_same_frozen_record() -> None:
    """Records pickle as class, values and keys (the check cache): nothing of pydantic's state may be lost."""
    c = _step("办结", evidence="回执")
    c2 = pickle.loads(pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(c2) is Step and c2.model_dump() == c.model_dump()
    assert c2.model_dump(exclude_unset=True) == {"date": dt.date(2026, 5, 1), "event": "办结", "evidence": "回执"}
    assert c2.__pydantic_extra__ is None and c2.__pydantic_private__ is None
    with pytest.raises(ValidationError):
        c2.event = "改"
    assert c2.model_copy(update={"event": "改"}).event == "改" and c2.event == "办结"


def test_every_record_can_pickle_as_values_and_keys() -> None:
    """``Strict.__reduce__`` keeps a record's values and given keys only: that is all of it while
    no record class has private attributes or extra keys."""
    from generator import schema, settings  # noqa: F401 - every record class defined
    from generator.schematypes import Strict

    def subclasses(cls: type[Strict]) -> list[type[Strict]]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    records = subclasses(Strict)
    assert len(records) > 20
    for record in records:
        assert record.model_config.get("extra") == "forbid", record
        assert not record.__private_attributes__, record
