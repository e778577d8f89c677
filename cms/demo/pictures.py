"""Product pictures drawn at seed time, so the demo needs no network and no stock photos."""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

PALETTE = {
    "Bahan pangan": ((238, 214, 160), (120, 84, 30)),
    "Makanan ringan": ((250, 205, 120), (150, 70, 20)),
    "Minuman": ((190, 140, 80), (60, 35, 10)),
    "Hasil perikanan": ((160, 200, 215), (30, 70, 90)),
    "Kerajinan": ((170, 40, 60), (250, 215, 90)),
}
SIZE = 640


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


def product_picture(*, title: str, category: str, seed: str) -> ContentFile:
    """A JPEG with the product's name on a package, coloured by its category."""
    rng = random.Random(seed)
    background, ink = PALETTE.get(category.split(">")[0].strip(), ((220, 220, 220), (40, 40, 40)))
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    for _ in range(14):  # a woven or dotted pattern, different for every product
        x, y, r = rng.randrange(SIZE), rng.randrange(SIZE), rng.randrange(20, 90)
        shade = tuple(min(255, c + rng.randrange(-25, 25)) for c in background)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    draw.rounded_rectangle((110, 150, SIZE - 110, SIZE - 110), radius=36, fill=(255, 252, 240), outline=ink, width=8)
    title_font = ImageFont.load_default(size=42)
    small_font = ImageFont.load_default(size=26)
    y = 210
    for line in _wrap(title, 16):
        draw.text((SIZE // 2, y), line, fill=ink, font=title_font, anchor="mm")
        y += 54
    draw.text((SIZE // 2, SIZE - 150), "Produk Kampung Siak", fill=ink, font=small_font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return ContentFile(buffer.getvalue(), name=f"{seed}.jpg")


def village_picture(*, seed: str) -> ContentFile:
    """A landscape for a kampung's hero: sky, river, rice fields and a roof, in the village's own mix."""
    rng = random.Random(seed)
    width, height = 1440, 600
    image = Image.new("RGB", (width, height), (135 + rng.randrange(40), 190 + rng.randrange(30), 230))
    draw = ImageDraw.Draw(image)
    horizon = height // 2 + rng.randrange(-40, 40)
    draw.rectangle((0, horizon, width, height), fill=(90 + rng.randrange(40), 150 + rng.randrange(40), 70))
    for row in range(horizon + 20, height, 28):  # rows of rice
        draw.line((0, row, width, row + rng.randrange(-10, 10)), fill=(70, 125, 50), width=3)
    river_y = horizon + rng.randrange(60, 160)
    draw.polygon([(0, river_y), (width, river_y - 40), (width, river_y + 30), (0, river_y + 70)], fill=(70, 120, 150))
    x = rng.randrange(200, width - 300)
    draw.rectangle((x, horizon - 90, x + 160, horizon), fill=(120, 70, 40))
    draw.polygon([(x - 30, horizon - 90), (x + 80, horizon - 170), (x + 190, horizon - 90)], fill=(150, 40, 40))
    draw.ellipse((width - 220, 60, width - 120, 160), fill=(255, 230, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name=f"{seed}.jpg")


def paper_picture(*, title: str, lines: list[str], seed: str) -> ContentFile:
    """A phone photo of a paper (a KTP, a KK, a covering letter) for the demo's letter requests."""
    rng = random.Random(seed)
    image = Image.new("RGB", (900, 600), (120 + rng.randrange(30), 100 + rng.randrange(30), 80))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 50, 840, 550), fill=(248, 246, 238), outline=(90, 90, 90), width=3)
    font = ImageFont.load_default(size=34)
    draw.text((100, 80), title.upper(), fill=(20, 40, 90), font=font)
    small = ImageFont.load_default(size=26)
    for row, line in enumerate(lines):
        draw.text((100, 160 + row * 48), line, fill=(40, 40, 40), font=small)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{seed}.jpg")
