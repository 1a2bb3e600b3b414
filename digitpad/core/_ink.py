"""Find the ink in any bitmap: how much pen is at each pixel, cropped to where it is.

Pictures arrive in every Pillow mode and as numpy arrays, dark ink on paper or light ink
on a dark screen, often with a transparent background. This module settles all of that
so the MNIST normalisation downstream only ever sees one thing: bright ink on zero,
cropped to its bounding box.

Everything up to the crop runs on 8-bit values, because a 280x280 canvas arrives
several times a second while a person draws and numpy float arithmetic over the whole
canvas would dominate the latency. 8 bits is MNIST's
own depth, so nothing the models can see is lost.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Below this contrast against the background (fraction of full range) nothing was drawn:
# it is paper texture, JPEG noise or an empty canvas.
MIN_INK_CONTRAST = 0.12
# Ink fainter than this fraction of the strongest stroke is noise (JPEG ringing, smudges).
NOISE_FRACTION = 0.1
# A pixel must stand this many standard deviations of the border's noise above the
# background to count as ink; 5 sigma leaves no false ink in a 280x280 canvas.
_NOISE_SIGMAS = 5.0
# Crops larger than twice this (pixels, longer side) are area-averaged by a whole factor
# down to between DETAIL and 2 * DETAIL: still three times the 20-pixel box MNIST fits
# digits into, and the float work after the crop stays small for any input size.
DETAIL = 64
_MAD_TO_SIGMA = 1.4826  # median absolute deviation to standard deviation, Gaussian noise


def _to_uint8(values: np.ndarray) -> np.ndarray:
    """Integer or float pixel values onto 0..255 using their type's natural range."""
    if values.dtype == np.uint8:
        return values
    if values.dtype == np.bool_:
        return values.astype(np.uint8) * np.uint8(255)
    if values.dtype.kind in "ui":
        top = 255.0 if values.size == 0 or values.max() <= 255 else 65535.0
        scaled = values.astype(np.float32) * np.float32(255.0 / top)
    else:
        scaled = np.nan_to_num(values.astype(np.float32, copy=False))
        if scaled.size and float(scaled.max()) <= 1.0:
            scaled = scaled * np.float32(255.0)
    return np.rint(scaled.clip(0, 255)).astype(np.uint8)


def _array_to_image(array: np.ndarray) -> tuple[Image.Image, Image.Image | None]:
    """A numpy bitmap ``(H, W)`` or ``(H, W, 1-4)`` as 8-bit luminance and alpha images.

    Alpha is ``None`` when every pixel is opaque; numpy answers that faster than Pillow.
    """
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (2, 3, 4)):
        raise ValueError(f"expected an (H, W) or (H, W, 1-4) image, got shape {array.shape}")
    array = _to_uint8(array)
    alpha = None
    if array.ndim == 3 and array.shape[2] in (2, 4) and array[..., -1].min() < 255:
        alpha = Image.fromarray(np.ascontiguousarray(array[..., -1]))
    image = Image.fromarray(np.ascontiguousarray(array))
    return (image if image.mode == "L" else image.convert("L")), alpha


def _luminance_and_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """8-bit luminance ("L") and, when some pixel is not fully opaque, alpha ("L")."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        return _array_to_image(
            np.asarray(image.convert("I") if image.mode.startswith("I;16") else image)
        )
    if (image.mode == "P" and "transparency" in image.info) or image.mode == "PA":
        image = image.convert("RGBA")
    has_alpha = image.mode in ("RGBA", "LA", "La", "RGBa")
    alpha = image.getchannel("A") if has_alpha else None
    if alpha is not None and alpha.getextrema()[0] == 255:
        alpha = None  # fully opaque: the alpha channel carries nothing
    luminance = image if image.mode == "L" else image.convert("L")
    return luminance, alpha


def _flatten_transparency(luminance: Image.Image, alpha: Image.Image) -> Image.Image:
    """Composite onto a backdrop that makes the transparent part read as background.

    When little of the picture is opaque, the opaque part is the drawing (canvas exports:
    strokes on transparent), so the backdrop contrasts with it. When most of it is opaque,
    the opaque part is the paper and the backdrop takes the paper's tone.
    """
    opaque = np.asarray(alpha) > 127
    count = int(np.count_nonzero(opaque))
    if count == 0:
        return Image.new("L", luminance.size, 0)
    opaque_tone = _histogram_median(np.bincount(np.asarray(luminance)[opaque], minlength=256))
    drawing_only = count < opaque.size / 2
    contrasting = 255 if opaque_tone < 128 else 0
    backdrop = Image.new("L", luminance.size, contrasting if drawing_only else opaque_tone)
    return Image.composite(luminance, backdrop, alpha)


def _histogram_median(histogram: np.ndarray) -> int:
    """The median of small integers given their histogram (lower median on ties)."""
    return int(np.searchsorted(np.cumsum(histogram), (int(histogram.sum()) + 1) // 2))


def _border(values: np.ndarray) -> np.ndarray:
    return np.concatenate((values[0], values[-1], values[1:-1, 0], values[1:-1, -1]))


def as_luminance(image: np.ndarray | Image.Image) -> Image.Image:
    """Any picture as 8-bit luminance, transparent parts flattened into the background."""
    if isinstance(image, Image.Image):
        luminance, alpha = _luminance_and_alpha(image)
    else:
        luminance, alpha = _array_to_image(np.asarray(image))
    return luminance if alpha is None else _flatten_transparency(luminance, alpha)


def crop_to_ink(image: np.ndarray | Image.Image) -> np.ndarray | None:
    """The ink of a picture, float32 0..1 with its peak at 1, cropped to its bounding box.

    Large crops come back area-averaged to at most ``2 * DETAIL`` pixels (see there).

    The background level is the median of the picture's border, where people rarely
    write; ink is the distance from it, so dark-on-light and light-on-dark both work.
    Returns ``None`` when nothing stands out from the background: nothing was drawn.
    """
    values = np.asarray(as_luminance(image))
    if values.size == 0:
        return None
    border = _border(values)
    background = _histogram_median(np.bincount(border, minlength=256))
    spread = _histogram_median(np.bincount(np.abs(border.astype(np.int16) - background)))
    if background < 128:  # light ink on a dark ground: flip it, so ink is always dark
        values, background = 255 - values, 255 - background
    # Per-row and per-column minima answer "how strong is the ink" and "where is it" in
    # two vectorised passes over the 8-bit values, without a full-size float or mask.
    row_minima, col_minima = values.min(axis=1), values.min(axis=0)
    contrast = background - int(row_minima.min())
    if contrast < MIN_INK_CONTRAST * 255:
        return None
    floor = max(NOISE_FRACTION * contrast, _NOISE_SIGMAS * _MAD_TO_SIGMA * spread, 1.0)
    rows = np.flatnonzero(row_minima <= background - floor)
    cols = np.flatnonzero(col_minima <= background - floor)
    window = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
    crop = values[window]
    factor = max(crop.shape) // DETAIL
    if factor > 1:
        crop = np.asarray(Image.fromarray(crop).reduce(factor))
    ink = np.float32(background) - crop
    ink[ink < np.float32(floor)] = 0.0
    return ink * np.float32(1.0 / contrast)
