"""MNIST test digits drawn onto a big canvas the way a person would have drawn them.

The round-trip check, the latency benchmark, the tests and the bundled samples all use
these drawings, so every figure is measured on the same kind of picture.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

CANVAS = 280
STYLES = ("dark-on-light", "transparent", "jpeg", "light-on-dark", "grey-paper")


def crisp(ink: np.ndarray) -> np.ndarray:
    """Sharpen upscaled MNIST blur into a marker stroke with a thin antialiased edge."""
    ramp = np.clip((ink - 0.3) / 0.3, 0.0, 1.0)
    return ramp * ramp * (3.0 - 2.0 * ramp)


def draw_on_canvas(
    digit: np.ndarray,
    rng: np.random.Generator,
    style: str,
    canvas: int = CANVAS,
    *,
    sharp: bool = False,
) -> Image.Image:
    """Put an MNIST digit (28x28, ink bright) on a big canvas as a person would draw it.

    The digit's ink is scaled to 40-100 % of the canvas height, placed off-centre, and
    rendered in ``style``: black ink on white, black strokes on a transparent background,
    a JPEG of that, light ink on a dark screen, or dark grey ink on grey noisy paper.
    ``sharp`` turns the upscaled blur into a crisp marker stroke.
    """
    ink = digit.astype(np.float32) / 255.0
    rows = np.flatnonzero(ink.max(axis=1) > 0.05)
    cols = np.flatnonzero(ink.max(axis=0) > 0.05)
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = rng.uniform(0.4, 1.0) * canvas / max(ink.shape)
    width = max(1, round(ink.shape[1] * scale))
    height = max(1, round(ink.shape[0] * scale))
    big = Image.fromarray(ink).resize((width, height), Image.Resampling.BICUBIC)
    big_ink = np.clip(np.asarray(big), 0.0, 1.0)
    if sharp:
        big_ink = crisp(big_ink)
    layer = np.zeros((canvas, canvas), dtype=np.float32)
    top = int(rng.integers(0, canvas - height + 1))
    left = int(rng.integers(0, canvas - width + 1))
    layer[top : top + height, left : left + width] = big_ink
    if style == "transparent":
        rgba = np.zeros((canvas, canvas, 4), dtype=np.uint8)
        rgba[..., 3] = np.round(layer * 255)
        return Image.fromarray(rgba)
    if style == "light-on-dark":
        return Image.fromarray(np.round(30 + layer * 200).astype(np.uint8))
    if style == "grey-paper":
        paper = 225 + rng.normal(0, 6, layer.shape)
        grey = paper * (1 - layer) + 60 * layer
        return Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB")
    white = np.round(255 * (1 - layer)).astype(np.uint8)
    image = Image.fromarray(np.stack([white] * 3, axis=-1))
    if style == "jpeg":
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=75)
        buffer.seek(0)
        with Image.open(buffer) as decoded:
            decoded.load()
            return decoded.copy()
    return image
