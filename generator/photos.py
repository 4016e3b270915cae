"""Photos for publication: re-encoded so no metadata (EXIF, GPS, comments) survives.

Pillow decodes the source and we write a fresh JPEG from the pixels only, resized
to fit ``max_px``. The output depends only on the pixels, so builds reproduce.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from PIL import Image, ImageOps

from .errors import BuildError

Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs


def clean_jpeg(source: Path, max_px: int, quality: int = 82) -> bytes:
    """The photo as JPEG bytes, upright, at most ``max_px`` on its longer side, no metadata."""
    try:
        with Image.open(source) as original:
            upright = ImageOps.exif_transpose(original)  # keep the orientation, drop the tag
            rgb = upright.convert("RGB")
            rgb.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
            pixels = Image.frombytes("RGB", rgb.size, rgb.tobytes())  # no info dict carried over
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        shown = "content/" + source.as_posix().split("/content/", 1)[-1]
        raise BuildError(f"{shown}：照片无法读取（{type(exc).__name__}）。请换一张 JPG 或 PNG 照片（G601）") from exc
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=quality, optimize=True, progressive=False)
    return out.getvalue()


def placeholder_svg(label: str) -> str:
    """A neutral portrait placeholder for members without a photo."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 400" role="img" '
        f'aria-label="{html.escape(label)}"><rect width="300" height="400" fill="#e8e2d8"/>'
        '<circle cx="150" cy="150" r="70" fill="#b9ad9c"/>'
        '<path d="M40 400c0-90 50-150 110-150s110 60 110 150z" fill="#b9ad9c"/></svg>'
    )
