"""The paper of an opened picture: its colour and whether it is dark.

Whatever puts a picture on a bigger surface (the app's square canvas around a wide photo)
fills the rest with this colour and draws over it in the contrasting ink, so the
margins read as more paper, never as ink: the preprocessing takes the picture's border
for its background, and the border of the padded picture is then this same paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitpad.core.files import to_uint8
from digitpad.core.preprocessing._ink import _border, as_luminance, paper_level

# More than half the border opaque: the border is paper (a scan with a few transparent
# corners); otherwise the transparent part is, as the ink reading flattens it.
_OPAQUE_ALPHA = 127


@dataclass(frozen=True)
class Paper:
    """A picture's paper colour (8-bit RGB) and whether it is dark (light ink on it)."""

    colour: tuple[int, int, int]
    dark: bool


def _rgba(image: np.ndarray | Image.Image) -> np.ndarray:
    """The picture as an (H, W, 4) uint8 array, whatever its mode or array shape."""
    if not isinstance(image, Image.Image):
        array = np.asarray(image)
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[..., 0]
        image = Image.fromarray(np.ascontiguousarray(to_uint8(array)))
    return np.asarray(image.convert("RGBA"))


def picture_paper(image: np.ndarray | Image.Image) -> Paper:
    """The paper of ``image``: the median colour of its opaque border, per channel.

    A mostly transparent border (strokes on a transparent background) is paper of the
    grey the ink reading flattens the transparency to. ``dark`` follows the same rule as
    ``has_dark_background``, so ink drawn on it has the polarity the models look for.
    """
    luminance = as_luminance(image)
    if luminance.width == 0 or luminance.height == 0:
        return Paper((255, 255, 255), dark=False)
    level, dark = paper_level(luminance)
    border = _border(_rgba(image))
    opaque = border[:, 3] > _OPAQUE_ALPHA
    if np.count_nonzero(opaque) * 2 <= len(border):
        return Paper((level, level, level), dark)
    colours = border[opaque, :3]
    red, green, blue = (int(np.median(colours[:, channel])) for channel in range(3))
    return Paper((red, green, blue), dark)
