"""gongshi: YAML content → public disclosure website and printable boards.

The pipeline, one module a stage: load → validate → model → figures → site /
boards / exports. Only ``generator.mkdocs_site`` imports mkdocs.
"""
