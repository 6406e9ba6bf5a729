"""Draws the app's icons (run once; the PNGs beside this script are committed).

A white 镇 would need a CJK font the build machine may not have, so the mark is drawn from shapes: a
white roof and house on the top bar's red. The maskable icon keeps the mark inside the middle 80 %
(the safe zone a launcher may crop to a circle) and fills the whole square with red.
"""

from pathlib import Path

from PIL import Image, ImageDraw

RED = (179, 38, 30)
WHITE = (255, 255, 255)
HERE = Path(__file__).parent


def draw(size: int, mark_scale: float, rounded: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if rounded else (*RED, 255))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=RED)
    unit = size * mark_scale / 10
    left, top = (size - 10 * unit) / 2, (size - 10 * unit) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return left + x * unit, top + y * unit

    pen.polygon([at(5, 0.8), at(9.6, 4.6), at(0.4, 4.6)], fill=WHITE)  # roof
    pen.rectangle((*at(1.6, 4.6), *at(8.4, 9.2)), fill=WHITE)  # walls
    pen.rectangle((*at(4.1, 6.2), *at(5.9, 9.2)), fill=RED)  # door
    pen.rectangle((*at(2.4, 5.6), *at(3.6, 6.8)), fill=RED)  # windows
    pen.rectangle((*at(6.4, 5.6), *at(7.6, 6.8)), fill=RED)
    return image


if __name__ == "__main__":
    for size in (192, 512):
        draw(size, 0.72, rounded=True).save(HERE / f"icon-{size}.png", optimize=True)
    draw(512, 0.56, rounded=False).save(HERE / "icon-maskable-512.png", optimize=True)
