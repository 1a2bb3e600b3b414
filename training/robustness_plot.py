"""The robustness curves as one PNG: a row per input mode, a panel per transform.

Drawn with Pillow, as the other reports are (no matplotlib). Each model keeps the colour
it has in the app's Robustness window.
"""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageDraw, ImageFont

from digitpad.core import MODEL_COLOURS

_PANEL_W, _PANEL_H = 230, 170
_LEFT, _TOP, _RIGHT, _BOTTOM = 36, 22, 10, 26  # inside a panel, around the plotting area
_ROW_TITLE = 22
_LEGEND = 34
_WHITE, _BLACK, _GREY, _FAINT = (255, 255, 255), (0, 0, 0), (110, 110, 110), (225, 225, 225)


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _panel(
    draw: ImageDraw.ImageDraw, origin: tuple[int, int], curve: dict[str, Any], colours: list[str]
) -> None:
    x0, y0 = origin
    left, top = x0 + _LEFT, y0 + _TOP
    width, height = _PANEL_W - _LEFT - _RIGHT, _PANEL_H - _TOP - _BOTTOM
    amounts = curve["amounts"]
    draw.text((x0 + 6, y0 + 4), curve["label"], fill=_BLACK, font=_font(12))
    for value in (0.0, 0.5, 1.0):
        y = top + height * (1.0 - value)
        draw.line([(left, y), (left + width, y)], fill=_FAINT)
        draw.text((left - 4, y), f"{value:.0%}", fill=_GREY, font=_font(10), anchor="rm")

    def x_at(index: int) -> float:
        return left + width * index / max(len(amounts) - 1, 1)

    rest = x_at(amounts.index(curve["neutral"]))
    draw.line([(rest, top), (rest, top + height)], fill=_FAINT, width=1)
    for colour, accuracy in zip(colours, curve["accuracy"].values(), strict=False):
        points = [(x_at(i), top + height * (1.0 - a)) for i, a in enumerate(accuracy)]
        draw.line(points, fill=colour, width=2)
    bottom = top + height + 4
    draw.text((left, bottom), f"{amounts[0]:g}", fill=_GREY, font=_font(10), anchor="lt")
    draw.text((left + width, bottom), f"{amounts[-1]:g}", fill=_GREY, font=_font(10), anchor="rt")
    # Pillow's built-in font has no multiplication sign.
    unit = curve["unit"].replace("\N{MULTIPLICATION SIGN}", "times")
    draw.text((left + width / 2, bottom), unit, fill=_GREY, font=_font(10), anchor="mt")


def draw_curves(document: dict[str, Any]) -> Image.Image:
    """Accuracy against amount for every mode, transform and model of a robustness report."""
    modes = document["modes"]
    names = list(document["models"])
    colours = [MODEL_COLOURS[i % len(MODEL_COLOURS)] for i in range(len(names))]
    columns = max(len(mode["transforms"]) for mode in modes.values())
    row_height = _ROW_TITLE + _PANEL_H
    image = Image.new("RGB", (columns * _PANEL_W, _LEGEND + len(modes) * row_height), _WHITE)
    draw = ImageDraw.Draw(image)
    x = 8
    title = f"Accuracy on {document['dataset']}:"
    draw.text((x, _LEGEND / 2), title, fill=_BLACK, font=_font(14), anchor="lm")
    x += int(draw.textlength(title, font=_font(14))) + 16
    for name, colour in zip(names, colours, strict=True):
        draw.rectangle([x, _LEGEND / 2 - 5, x + 10, _LEGEND / 2 + 5], fill=colour)
        shown = document["models"][name]["display_name"]
        draw.text((x + 16, _LEGEND / 2), shown, fill=_BLACK, font=_font(14), anchor="lm")
        x += 32 + int(draw.textlength(shown, font=_font(14)))
    for row, (name, mode) in enumerate(modes.items()):
        y = _LEGEND + row * row_height
        draw.line([(0, y), (image.width, y)], fill=_FAINT)
        heading = f"{name}: {mode['description']}"
        draw.text((8, y + 4), heading, fill=_BLACK, font=_font(13))
        for column, curve in enumerate(mode["transforms"].values()):
            _panel(draw, (column * _PANEL_W, y + _ROW_TITLE), curve, colours)
    return image
