"""Laying the 28x28 model input back over the picture it came from (the heat-map overlay)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.canvas import STYLES, draw_on_canvas
from digitpad.core import place_field, preprocess_bitmap
from digitpad.core.preprocessing import ink_bounds, ink_box
from training.data import Split


@pytest.mark.parametrize("style", STYLES)
def test_the_field_lands_on_the_ink_it_was_made_from(mnist_test: Split, style):
    rng = np.random.default_rng(7)
    for digit in mnist_test.images[:15]:
        picture = draw_on_canvas(digit, rng, style)
        model_input = preprocess_bitmap(picture)
        assert model_input is not None
        placement = place_field(model_input, picture)
        assert placement is not None
        box = ink_box(picture)
        assert box is not None

        rows, cols = ink_bounds(model_input > 0)
        mapped = (
            placement.left + cols.start * placement.scale,
            placement.top + rows.start * placement.scale,
            placement.left + cols.stop * placement.scale,
            placement.top + rows.stop * placement.scale,
        )
        # Within a field pixel and a half on every side (the box is found at two scales).
        tolerance = 1.5 * placement.scale
        assert np.allclose(mapped, box, atol=tolerance), (style, mapped, box)


def test_nothing_to_place_without_ink():
    blank = np.full((64, 64), 255, np.uint8)

    assert ink_box(blank) is None
    assert place_field(np.zeros((28, 28), np.float32), blank) is None
