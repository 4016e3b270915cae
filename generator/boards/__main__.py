"""Internal: ``python -m generator.boards`` is a board worker process (see worker.py)."""

from .worker import main

main()
