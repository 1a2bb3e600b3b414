"""A saliency map as colours: one rule for the window, its canvas overlay and the CLI's PNGs.

Evidence for the answer is orange, evidence against it blue; the stronger, the more
opaque. Each map is scaled by its own strongest value, so a map shows where a model
looked, not how sure it was (the probabilities say that).
"""

from __future__ import annotations

import numpy as np

FOR_ANSWER = (255, 120, 0)
AGAINST_ANSWER = (30, 120, 255)
MAX_OPACITY = 0.9
# Faint evidence still shows: opacity grows with the square root of the strength.
_GAMMA = 0.5
# The model input behind a heat map is dimmed so the colours stand out on white ink.
_INPUT_BRIGHTNESS = 0.4


def heat_map_rgba(saliency: np.ndarray) -> np.ndarray:
    """``(H, W, 4)`` uint8 RGBA, not premultiplied: colour by sign, opacity by strength."""
    values = np.nan_to_num(np.asarray(saliency, dtype=np.float64))
    scale = float(np.abs(values).max())
    strength = np.abs(values) / scale if scale > 0 else np.zeros_like(values)
    colours = np.where((values >= 0)[..., None], FOR_ANSWER, AGAINST_ANSWER)
    alpha = MAX_OPACITY * strength**_GAMMA
    rgba = np.empty((*values.shape, 4), dtype=np.uint8)
    rgba[..., :3] = colours
    rgba[..., 3] = np.rint(alpha * 255)
    return rgba


def heat_map_over_input(model_input: np.ndarray, saliency: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` uint8: the model input in dimmed grey with the heat map on top."""
    grey = np.clip(np.asarray(model_input, dtype=np.float64), 0, 255) * _INPUT_BRIGHTNESS
    rgba = heat_map_rgba(saliency).astype(np.float64)
    alpha = rgba[..., 3:] / 255.0
    blended = rgba[..., :3] * alpha + grey[..., None] * (1.0 - alpha)
    return np.rint(blended).astype(np.uint8)
