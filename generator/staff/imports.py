"""``import-survey`` and ``import-reviews``: spreadsheet exports into evaluations.yml.

The commands' entry points, gathered for :mod:`.commands`: the survey import is in
:mod:`.surveys` (shapes, totals, channels), the review import in :mod:`.reviews`;
both read files through :mod:`.tables` (lazy and bounded, :mod:`.sheets`) and
columns through :mod:`.columns`, and report row problems through :mod:`.rows`.
"""

from __future__ import annotations

from .reviews import import_reviews, review_rows
from .rows import ImportFailed
from .surveys import import_survey, survey_counts
from .yamlio import StaffError

__all__ = ["ImportFailed", "StaffError", "import_reviews", "import_survey", "review_rows", "survey_counts"]
