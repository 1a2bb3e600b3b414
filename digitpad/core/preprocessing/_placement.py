"""Where the 28x28 model input sits on the original picture, to lay a heat map over it.

The preprocessing crops a picture to its ink, scales the crop so its longer side is 20
pixels and centres it in the 28x28 field. Read backwards: one field pixel covers
``longer side of the ink box / 20`` picture pixels, and the digit's box in the field
lies over the ink's box in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitpad.core.preprocessing._geometry import ink_bounds
from digitpad.core.preprocessing._ink import ink_map
from digitpad.core.preprocessing._preprocess import BOX


@dataclass(frozen=True)
class Placement:
    """The 28x28 field's position on a picture: field (x, y) -> picture pixels."""

    left: float  # picture x of the field's left edge
    top: float  # picture y of the field's top edge
    scale: float  # picture pixels per field pixel

    def field_rect(self, field_size: int = 28) -> tuple[float, float, float, float]:
        """The whole field as (x, y, width, height) in picture pixels."""
        side = field_size * self.scale
        return self.left, self.top, side, side


def ink_box(image: np.ndarray | Image.Image) -> tuple[int, int, int, int] | None:
    """The ink's bounding box ``(x0, y0, x1, y1)`` in picture pixels, read as the
    preprocessing reads ink; None when the picture holds none."""
    ink = ink_map(image)
    if ink is None or not ink.any():
        return None
    rows, cols = ink_bounds(ink > 0)
    return cols.start, rows.start, cols.stop, rows.stop


def place_field(model_input: np.ndarray, picture: np.ndarray | Image.Image) -> Placement | None:
    """How the model input ``(28, 28)`` lies over ``picture``; None without ink in both."""
    box = ink_box(picture)
    field = np.asarray(model_input) > 0
    if box is None or not field.any():
        return None
    rows, cols = ink_bounds(field)
    x0, y0, x1, y1 = box
    scale = max(x1 - x0, y1 - y0) / BOX
    # The centres of the two boxes coincide (the field's box is the scaled crop).
    left = (x0 + x1) / 2 - (cols.start + cols.stop) / 2 * scale
    top = (y0 + y1) / 2 - (rows.start + rows.stop) / 2 * scale
    return Placement(left=left, top=top, scale=scale)
