"""Photos for publication: re-encoded so no metadata (EXIF, GPS, comments) survives.

Pillow decodes the source and we write a fresh JPEG from the pixels only, resized
to fit ``max_px``. The output depends only on the pixels, so builds reproduce.

:func:`photo_fault` is what ``check`` asks of each member photo (G308), so ``site``
never meets a photo it cannot decode. It must stay cheap: decoding a 12-megapixel JPEG
costs 50–150 ms, an hour at 30,000 photos, so it reads the header and checks that the
file is whole without decoding the pixels (the check cache keeps its answer by the
photo's ``stat``, see :func:`generator.references.checks_within_key`).
"""

from __future__ import annotations

import html
import io
import mmap
import warnings
from pathlib import Path

from PIL import Image, ImageOps

from .errors import BuildError

MAX_PIXELS = 40_000_000  # the documented limit (README, bounds on what is read)
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns above it and refuses twice as many: decompression bombs
_END_OF_IMAGE = b"\xff\xd9"


def photo_fault(source: Path) -> str | None:
    """What makes the file unusable as a photo, in Chinese, or None when it is a whole image within the limit.

    Reads the header (format and size) and then only checks the file is whole: a JPEG has its
    end marker after the first scan (:func:`_jpeg_whole`); a PNG's chunks and checksums are
    read to the end without inflating them (``verify``); any other format Pillow opens is
    decoded (rare, and at most :data:`MAX_PIXELS`).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, in Chinese
            with Image.open(source) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return _too_big(width, height)
                if image.format == "JPEG":
                    return None if _jpeg_whole(source) else _CUT_SHORT
                if image.format == "PNG":
                    image.verify()
                else:
                    image.load()
    except Image.DecompressionBombError:
        return f"像素超过 {2 * MAX_PIXELS // 10_000} 万，上限是 {MAX_PIXELS // 10_000} 万。{_SMALLER}"
    except Image.UnidentifiedImageError:
        return ("不是图片：期望 JPG 或 PNG 照片，实际文件的内容无法识别为图片（可能是空文件、别的文件改了扩展名，或已损坏）。"
                "请换一张 JPG 或 PNG 照片")
    except (OSError, ValueError, SyntaxError, EOFError):  # Pillow's plugins raise these on a file cut short or damaged
        return _CUT_SHORT
    return None


_CUT_SHORT = ("不完整或已损坏：图像数据在文件结束前没有写完（多半是上传或复制中断）。"
              "请重新放入完整的照片（在电脑上能完整打开的 JPG 或 PNG）")
_SMALLER = "请把照片缩小后再放入（网页和展板用长边 3000 像素就足够）"


def _too_big(width: int, height: int) -> str:
    return (f"有 {width}×{height} 像素（{width * height // 10_000} 万），超过上限 {MAX_PIXELS // 10_000} 万。"
            f"{_SMALLER}")


def _jpeg_whole(source: Path) -> bool:
    """The JPEG's end marker (FF D9) follows its first scan: a file cut short lacks it.

    The segments before the scan are skipped by their lengths: an EXIF thumbnail inside
    APP1 has an end marker of its own. Scan data cannot hold FF D9 (an FF there is followed
    by 00 or a restart marker), so the first one after the scan is the image's end; phones
    may append more after it (a motion photo's video), which is no fault. A search of the
    mapped file from its end, no decoding: under 1 ms for a whole photo of any size.
    """
    with open(source, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        pos = 2  # after the start marker FF D8
        while pos + 4 <= len(data):
            if data[pos] != 0xFF:
                return False
            marker = data[pos + 1]
            if marker == 0xFF:  # fill byte
                pos += 1
            elif marker == 0xDA:  # start of scan
                return data.rfind(_END_OF_IMAGE, pos) != -1  # from the end: a whole file ends with it
            elif 0xD0 <= marker <= 0xD8 or marker == 0x01:  # markers without a length
                pos += 2
            else:
                pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        return False


def clean_jpeg(source: Path, max_px: int, quality: int = 82) -> bytes:
    """The photo as JPEG bytes, upright, at most ``max_px`` on its longer side, no metadata.

    ``check`` has refused a photo Pillow cannot read (:func:`photo_fault`); one that is still
    refused here (damaged inside) names the file and code G308, and Pillow's warning about
    a large image is an error, never printed in English.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as original:
                upright = ImageOps.exif_transpose(original)  # keep the orientation, drop the tag
                rgb = upright.convert("RGB")
                rgb.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
                pixels = Image.frombytes("RGB", rgb.size, rgb.tobytes())  # no info dict carried over
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        shown = "content/" + source.as_posix().split("/content/", 1)[-1]
        raise BuildError(f"{shown}：照片无法读取（{type(exc).__name__}），它不是完整的图片或像素过多。"
                         f"请换一张 JPG 或 PNG 照片（G308）") from exc
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
