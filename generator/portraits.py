"""Placeholder portraits for the demo content (not photos of anyone).

Each portrait is a flat background with a plain head-and-shoulders silhouette,
its two colours derived from a seed string, so the same member always gets the
same picture. ``python -m generator.portraits`` (re)creates every demo portrait
named in ``content/units/*/members.yml``.

One demo photo deliberately carries EXIF with a GPS position (see
:data:`GPS_MEMBER`): the site build must strip it, and a test can prove it does.
"""

from __future__ import annotations

import colorsys
import hashlib
import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = (300, 400)
QUALITY = 70
MAX_BYTES = 15 * 1024

# The one demo photo that keeps a GPS position in its EXIF: (unit id, member id).
GPS_MEMBER = ("tax-hall", "yuan-qiuyue")
# A made-up position in the county seat (degrees, minutes, seconds).
GPS_LAT = ("N", (32.0, 35.0, 7.2))
GPS_LON = ("E", (105.0, 14.0, 17.4))

_GPS_IFD = 0x8825


def _colours(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A light background and a darker silhouette colour, both from the seed."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    hue = digest[0] / 255
    bg_sat = 0.18 + digest[1] / 255 * 0.22
    fg_hue = (hue + 0.5 + (digest[2] / 255 - 0.5) * 0.2) % 1.0
    fg_sat = 0.25 + digest[3] / 255 * 0.3
    fg_val = 0.30 + digest[4] / 255 * 0.25

    def rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hsv_to_rgb(h, s, v)
        return round(r * 255), round(g * 255), round(b * 255)

    return rgb(hue, bg_sat, 0.90), rgb(fg_hue, fg_sat, fg_val)


def placeholder_portrait(seed: str) -> Image.Image:
    """A 300 × 400 RGB image: flat background, simple head-and-shoulders shape."""
    background, figure = _colours(seed)
    digest = hashlib.sha256(("shape:" + seed).encode("utf-8")).digest()
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    cx = w // 2
    # Head: an ellipse whose size varies a little with the seed.
    head_rx = 50 + digest[0] % 9
    head_ry = 62 + digest[1] % 9
    head_cy = 150 + digest[2] % 13
    # Shoulders: a wide rounded block running off the bottom edge.
    shoulder_rx = 118 + digest[3] % 17
    shoulder_top = head_cy + head_ry + 18
    draw.rounded_rectangle((cx - shoulder_rx, shoulder_top, cx + shoulder_rx, h + 80),
                           radius=72 + digest[4] % 15, fill=figure)
    # Neck joins head and shoulders.
    draw.rectangle((cx - 26, head_cy + head_ry - 20, cx + 26, shoulder_top + 20), fill=figure)
    draw.ellipse((cx - head_rx, head_cy - head_ry, cx + head_rx, head_cy + head_ry), fill=figure)
    return image


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0131] = "gongshi demo portrait"  # Software
    gps = exif.get_ifd(_GPS_IFD)
    gps[0] = b"\x02\x03\x00\x00"  # GPSVersionID
    gps[1], gps[2] = GPS_LAT
    gps[3], gps[4] = GPS_LON
    return exif


def save_portrait(seed: str, path: Path, gps: bool = False) -> int:
    """Write the portrait for ``seed`` to ``path`` as JPEG; return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = placeholder_portrait(seed)
    options: dict[str, object] = {"quality": QUALITY, "optimize": True}
    if gps:
        options["exif"] = _gps_exif().tobytes()
    image.save(path, "JPEG", **options)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"{path} is {size} bytes, over {MAX_BYTES}")
    return size


def demo_photos(root: Path) -> list[tuple[str, str, Path]]:
    """``(unit id, member id, photo path)`` for every member with a photo in the demo content."""
    from .load import load_file

    found = []
    for members_file in sorted((root / "content" / "units").glob("*/members.yml")):
        loaded = load_file(members_file, members_file.name)
        data = getattr(loaded, "data", None)
        if not isinstance(data, dict):
            continue
        for member in data.get("members") or []:
            if isinstance(member, dict) and member.get("photo") and member.get("id"):
                found.append((members_file.parent.name, member["id"], members_file.parent / member["photo"]))
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    count = 0
    for unit_id, member_id, path in demo_photos(root):
        gps = (unit_id, member_id) == GPS_MEMBER
        size = save_portrait(f"{unit_id}/{member_id}", path, gps=gps)
        count += 1
        print(f"{path.relative_to(root)}  {size} B{'  (EXIF GPS)' if gps else ''}")
    print(f"{count} portraits written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
