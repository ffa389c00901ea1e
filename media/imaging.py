"""
The only module that talks to Pillow.

Everything reads and writes through Django's storage API or in memory, never a
path on disk, so the same code runs on local files and on object storage.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter


def drawn_landscape(width, height, *, seed, file_format="JPEG"):
    """A made-up landscape: sky, sun, hills. For demo content and tests."""
    rng = random.Random(seed)
    sky_top = (rng.randint(20, 90), rng.randint(60, 130), rng.randint(140, 220))
    sky_bottom = (rng.randint(200, 250), rng.randint(170, 230), rng.randint(140, 200))
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True)),
        )
    sun_x, sun_y, sun_r = rng.randint(width // 5, width * 4 // 5), height // 3, height // 9
    draw.ellipse([sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=(255, 236, 170))
    for layer in range(3):
        base = height * (0.55 + 0.15 * layer)
        points = [(0, height)]
        for x in range(0, width + 1, max(width // 12, 1)):
            points.append((x, base - rng.randint(0, height // 6)))
        points.append((width, height))
        shade = 40 + 30 * (2 - layer)
        draw.polygon(points, fill=(shade // 2, shade + rng.randint(0, 40), shade // 2))
    image = image.filter(ImageFilter.GaussianBlur(radius=1))
    return _encode(image, file_format)


def drawn_portrait(size, *, seed, file_format="JPEG"):
    """A made-up head-and-shoulders silhouette. For demo authors and tests."""
    rng = random.Random(seed)
    background = (rng.randint(150, 230), rng.randint(150, 230), rng.randint(150, 230))
    figure = tuple(max(c - 110, 0) for c in background)
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    head = size // 5
    cx, cy = size // 2, size * 2 // 5
    draw.ellipse([cx - head, cy - head, cx + head, cy + head], fill=figure)
    draw.ellipse([cx - size // 2.6, size * 0.68, cx + size // 2.6, size * 1.3], fill=figure)
    return _encode(image, file_format)


def _encode(image, file_format):
    buffer = io.BytesIO()
    image.save(buffer, format=file_format, quality=85)
    return buffer.getvalue()
