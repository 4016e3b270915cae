"""JSON Schemas for editors, generated from :mod:`generator.schema`.

Each content file starts with ``# yaml-language-server: $schema=…`` so VS Code
(with the YAML extension) completes keys and shows the Chinese descriptions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .outdir import guard_write
from .schema import UNIT_FILES
from .settings import SiteConfig

SCHEMAS = {name.replace(".yml", ".schema.json"): model for name, model in UNIT_FILES.items()}
SCHEMAS["site_config.schema.json"] = SiteConfig


def schema_of(model: Any) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render(model: Any) -> str:
    return json.dumps(schema_of(model), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    paths = {name: guard_write(folder / name, folder.parent) for name in SCHEMAS}  # never through a symlink
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = paths[name]
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written
