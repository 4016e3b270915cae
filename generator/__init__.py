"""gongshi: YAML content → public disclosure website and printable boards.

The pipeline, one module a stage: load → validate → model → figures → site /
boards / exports. Only ``generator.mkdocs_site`` imports mkdocs.
"""

__version__ = "0.1.0"  # the one place of the version (pyproject reads it; `gongshi --version` prints it)
