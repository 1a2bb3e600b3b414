"""One change at a time to the 28 x 28 model input: the transforms the explorer sweeps.

digitpad centres and scales every drawing before a model sees it, so how a model copes
with a digit moved, turned, resized, thinned or made noisy never shows in use. Each
transform here takes the normalised input (or a batch of them) and changes one thing by
an amount; amount 0 of every transform returns the input unchanged, bit for bit.
Pure numpy: the whole sweep is a few dozen small arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digitpad.core.preprocessing import sample_affine

INK_MAX = 255.0
# The noise is one fixed pattern (this seed) scaled by the amount, so a sweep's inputs
# differ only by how much noise, and the same file always gives the same numbers.
NOISE_SEED = 23


def _affine(images: np.ndarray, matrix: np.ndarray, shift: tuple[float, float]) -> np.ndarray:
    count = len(images)
    matrices = np.broadcast_to(np.asarray(matrix, dtype=np.float64), (count, 2, 2))
    shifts = np.broadcast_to(np.asarray(shift, dtype=np.float64), (count, 2))
    return sample_affine(images, matrices, shifts)


def shift_x(images: np.ndarray, pixels: float) -> np.ndarray:
    """Moved right by ``pixels`` (left when negative); ink moved off the field is lost."""
    return _affine(images, np.eye(2), (pixels, 0.0))


def shift_y(images: np.ndarray, pixels: float) -> np.ndarray:
    """Moved down by ``pixels`` (up when negative)."""
    return _affine(images, np.eye(2), (0.0, pixels))


def turn(images: np.ndarray, degrees: float) -> np.ndarray:
    """Turned clockwise on screen by ``degrees`` about the field's middle (bilinear)."""
    angle = np.radians(degrees)
    cos, sin = np.cos(angle), np.sin(angle)
    # Output-to-input map: the inverse turn (y points down, so positive is clockwise).
    return _affine(images, np.array([[cos, sin], [-sin, cos]]), (0.0, 0.0))


def scale(images: np.ndarray, factor: float) -> np.ndarray:
    """Enlarged (``factor`` > 1) or shrunk about the field's middle (bilinear)."""
    return _affine(images, np.eye(2) / factor, (0.0, 0.0))


def _morphology_step(images: np.ndarray, step: int, widen: bool) -> np.ndarray:
    """Grey dilation (``widen``) or erosion over a 2 x 2 window: strokes one pixel wider or
    narrower. The window reaches down-right on even steps and up-left on odd ones, so
    repeated steps keep the digit where it was."""
    reach = 1 if step % 2 == 0 else -1
    pad = ((0, 0), (0, 1), (0, 1)) if reach == 1 else ((0, 0), (1, 0), (1, 0))
    padded = np.pad(images, pad)
    height, width = images.shape[1:]
    first = 0 if reach == 1 else 1
    neighbours = [
        padded[:, first + dy : first + dy + height, first + dx : first + dx + width]
        for dy in (0, reach)
        for dx in (0, reach)
    ]
    return np.max(neighbours, axis=0) if widen else np.min(neighbours, axis=0)


def thickness(images: np.ndarray, pixels: float) -> np.ndarray:
    """Strokes ``pixels`` wider (thinner when negative), one grey-morphology step per pixel."""
    steps = round(abs(pixels))
    result = np.asarray(images, dtype=np.float32)
    for step in range(steps):
        result = _morphology_step(result, step, widen=pixels > 0)
    return result.astype(np.float32)


def noise(images: np.ndarray, level: float) -> np.ndarray:
    """Gaussian noise of standard deviation ``level`` grey levels, clipped to 0..255.

    The pattern comes from ``NOISE_SEED``: the same for every call and every image.
    """
    images = np.asarray(images, dtype=np.float32)
    pattern = np.random.default_rng(NOISE_SEED).standard_normal(images.shape[1:])
    noisy = images + np.float32(level) * pattern.astype(np.float32)
    return np.clip(noisy, 0.0, INK_MAX).astype(np.float32)


@dataclass(frozen=True)
class Transform:
    """One thing to vary: its key, what to call it, its unit and the amounts swept.

    ``apply(images, amount)`` changes a batch ``(N, 28, 28)``; ``neutral`` (0, or 1 for a
    scale factor) is the amount that changes nothing.
    """

    name: str
    label: str
    unit: str
    amounts: tuple[float, ...]
    apply: Callable[[np.ndarray, float], np.ndarray]
    neutral: float = 0.0

    def vary(self, model_input: np.ndarray) -> np.ndarray:
        """``model_input`` ``(28, 28)`` at every amount: ``(len(amounts), 28, 28)`` float32.

        The neutral amount gives ``model_input`` itself, whatever ``apply`` would round.
        """
        image = np.asarray(model_input, dtype=np.float32)[np.newaxis]
        varied = [
            image if amount == self.neutral else self.apply(image, amount)
            for amount in self.amounts
        ]
        return np.concatenate(varied)

    @property
    def rest(self) -> int:
        """The index of the neutral amount (the unchanged input) in ``amounts``."""
        return self.amounts.index(self.neutral)


def _span(low: float, high: float, step: float) -> tuple[float, ...]:
    count = round((high - low) / step) + 1
    return tuple(round(low + step * index, 6) + 0.0 for index in range(count))


# The registry: the explorer, the command line and the training evaluation sweep these,
# in this order.
TRANSFORMS: tuple[Transform, ...] = (
    Transform("shift_x", "Shift left / right", "px", _span(-6, 6, 1), shift_x),
    Transform("shift_y", "Shift up / down", "px", _span(-6, 6, 1), shift_y),
    Transform("turn", "Turn", "°", _span(-45, 45, 5), turn),
    Transform("scale", "Scale", "\N{MULTIPLICATION SIGN}", _span(0.5, 1.5, 0.1), scale, 1.0),
    Transform("thickness", "Stroke thickness", "px", _span(-2, 3, 1), thickness),
    Transform("noise", "Noise", "grey levels", _span(0, 128, 16), noise),
)
TRANSFORM_NAMES: tuple[str, ...] = tuple(t.name for t in TRANSFORMS)


def transform_named(name: str) -> Transform:
    """The registered transform called ``name`` (KeyError if none is)."""
    for transform in TRANSFORMS:
        if transform.name == name:
            return transform
    raise KeyError(name)
