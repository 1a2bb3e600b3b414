"""Turn any bitmap into ink intensity: how much pen is at each pixel, 0 (none) to 1 (full).

Pictures arrive in every Pillow mode and as numpy arrays, dark ink on paper or light ink
on a dark screen, often with a transparent background. This module settles all of that
so the MNIST normalisation downstream only ever sees one thing: bright ink on zero.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Below this contrast against the background (fraction of full range) nothing was drawn:
# it is paper texture, JPEG noise or an empty canvas.
MIN_INK_CONTRAST = 0.12

_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _scale_to_unit(values: np.ndarray) -> np.ndarray:
    """Map integer or float pixel values onto 0..1 using their type's natural range."""
    if values.dtype == np.uint8:
        return values.astype(np.float32) * np.float32(1 / 255)
    if values.dtype == np.bool_:
        return values.astype(np.float32)
    if values.dtype.kind in "ui":
        top = 255.0 if values.size == 0 or values.max() <= 255 else 65535.0
        return (values.astype(np.float32) / np.float32(top)).clip(0, 1)
    values = np.nan_to_num(values.astype(np.float32, copy=False))
    peak = float(values.max()) if values.size else 0.0
    return (values / np.float32(255.0) if peak > 1.0 else values).clip(0, 1)


def _pil_to_array(image: Image.Image) -> np.ndarray:
    """Bring a Pillow image into a mode numpy understands without losing transparency."""
    mode = image.mode
    if mode == "P" or mode == "PA":
        has_alpha = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    elif mode in ("1", "CMYK", "YCbCr", "LAB", "HSV"):
        image = image.convert("L" if mode == "1" else "RGB")
    elif mode in ("La", "RGBa"):
        image = image.convert(mode.upper())
    elif mode.startswith("I;16"):
        return np.asarray(image.convert("I")).astype(np.uint16)
    elif mode not in ("L", "LA", "RGB", "RGBA", "RGBX", "I", "F"):
        image = image.convert("RGBA")
    return np.asarray(image)


def _split_luminance_alpha(array: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Luminance and alpha (both 0..1) from a (H, W), (H, W, 2|3|4) array."""
    if array.ndim == 2:
        return _scale_to_unit(array), None
    if array.ndim != 3 or array.shape[2] not in (1, 2, 3, 4):
        raise ValueError(f"expected an (H, W) or (H, W, 1-4) image, got shape {array.shape}")
    channels = array.shape[2]
    colour = array[..., : 1 if channels <= 2 else 3]
    alpha = _scale_to_unit(array[..., -1]) if channels in (2, 4) else None
    if colour.shape[2] == 1:
        luminance = _scale_to_unit(colour[..., 0])
    else:
        luminance = _scale_to_unit(colour) @ _LUMA
    if alpha is not None and float(alpha.min()) >= 0.999:
        alpha = None  # fully opaque: the alpha channel carries nothing
    return luminance, alpha


def _flatten_transparency(luminance: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Composite onto a backdrop that makes the transparent part read as background.

    When little of the picture is opaque, the opaque part is the drawing (canvas exports:
    strokes on transparent), so the backdrop contrasts with it. When most of it is opaque,
    the opaque part is the paper and the backdrop takes the paper's tone.
    """
    opaque = alpha > 0.5
    if not opaque.any():
        return np.zeros_like(luminance)
    opaque_tone = float(np.median(luminance[opaque]))
    drawing_only = opaque.mean() < 0.5
    contrasting = 1.0 if opaque_tone < 0.5 else 0.0
    backdrop = contrasting if drawing_only else opaque_tone
    return alpha * luminance + (1.0 - alpha) * np.float32(backdrop)


def ink_intensity(image: np.ndarray | Image.Image) -> np.ndarray:
    """Ink per pixel as float32 0..1 (0 = background), whatever the input's mode or polarity.

    The background level is the median of the picture's border, where people rarely
    write; ink is the distance from it, so dark-on-light and light-on-dark both work.
    """
    array = _pil_to_array(image) if isinstance(image, Image.Image) else np.asarray(image)
    luminance, alpha = _split_luminance_alpha(array)
    if alpha is not None:
        luminance = _flatten_transparency(luminance, alpha)
    luminance = np.asarray(luminance, dtype=np.float32)
    if luminance.size == 0:
        return luminance
    border = np.concatenate((luminance[0], luminance[-1], luminance[:, 0], luminance[:, -1]))
    background = np.float32(np.median(border))
    ink = background - luminance if background >= 0.5 else luminance - background
    return np.maximum(ink, 0.0, out=ink)
