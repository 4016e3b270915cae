"""Stage: printable boards (展板) as PDF and print-styled HTML, from the model.

Modules, in pipeline order:

* :mod:`.sizes` – paper sizes, the poster size from the settings
* :mod:`.contexts` – what each board shows, as plain dataclasses
* :mod:`.plan` – which boards exist, their file names, ``--unit/--kind/--shard``, their stamps
* :mod:`.fonts` – the board fonts: installed (G610), characters they lack (G611)
* :mod:`.render` – Jinja2 templates (``themes/boards/``) → HTML
* :mod:`.fit` – fit steps, measuring overflow in WeasyPrint's layout
* :mod:`.sheets` – wall posters: type floor, fewest sheets, balanced sheets
* :mod:`.notices` – what a board that gave way tells its maker (G602, G612)
* :mod:`.pdf` – WeasyPrint with a restricted URL fetcher, reproducible PDFs
* :mod:`.worker` – worker processes with a time limit per board
* :mod:`.cache`, :mod:`.output` – the render cache, atomic writes, stale files
* :mod:`.run` – :func:`build_boards`, which calls them in order

Nothing here imports mkdocs; the website links boards through :func:`board_links`.
"""

from __future__ import annotations

from .plan import KINDS, board_links
from .run import BoardsResult, build_boards

__all__ = ["KINDS", "BoardsResult", "board_links", "build_boards"]
