"""Draw the app's PNG icons and favicon.ico (a target face in the brand
colours) with no imaging library: run once after changing the design, commit
the files.

    python scripts/make_icons.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src" / "ghost_simulator" / "static"
BACKGROUND = (0xFA, 0xDE, 0x95)  # brand colour
RINGS = [  # outer radius (fraction of the half-size), colour, from outside in
    (0.86, (0xFF, 0xFF, 0xFF)),
    (0.72, (0x1D, 0x1D, 0x1B)),
    (0.56, (0x3F, 0xA9, 0xF5)),
    (0.40, (0xE4, 0x31, 0x2B)),
    (0.24, (0xFF, 0xD8, 0x2E)),
    (0.06, (0x1D, 0x1D, 0x1B)),
]
SUPERSAMPLE = 4


def colour_at(x: float, y: float) -> tuple[int, int, int]:
    r = math.hypot(x, y)
    colour = BACKGROUND
    for radius, ring in RINGS:
        if r <= radius:
            colour = ring
    return colour


def render(size: int) -> bytes:
    rows = []
    half = size / 2
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            acc = [0, 0, 0]
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    x = (px + (sx + 0.5) / SUPERSAMPLE - half) / half
                    y = (py + (sy + 0.5) / SUPERSAMPLE - half) / half
                    for i, c in enumerate(colour_at(x, y)):
                        acc[i] += c
            row.extend(round(a / SUPERSAMPLE**2) for a in acc)
        rows.append(bytes(row))
    return b"".join(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(render(size), 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes: tuple[int, ...]) -> bytes:
    """A Windows icon holding a PNG of each size (as browsers ask for
    /favicon.ico before reading a page's own icon link)."""
    images = [png(size) for size in sizes]
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 24, len(image), offset)
        offset += len(image)
    return head + entries + b"".join(images)


if __name__ == "__main__":
    for size in (192, 512):
        path = STATIC / f"icon-{size}.png"
        path.write_bytes(png(size))
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    path = STATIC / "favicon.ico"
    path.write_bytes(ico((16, 32, 48)))
    print(f"wrote {path} ({path.stat().st_size} bytes)")
