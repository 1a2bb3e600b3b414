"""Anything drawn or photographed, turned into the 28 x 28 input both models read.

Finding the ink, giving strokes MNIST's thickness, centring and scaling like MNIST,
rasterising pen strokes, the paper's colour and where the input sits on the picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from digitpad.core._lazy import lazy_names
from digitpad.core.preprocessing._components import (
    grow_mask,
    label_parts,
    part_boxes,
)
from digitpad.core.preprocessing._geometry import (
    FIELD_CENTRE,
    ink_bounds,
    sample_affine,
)
from digitpad.core.preprocessing._ink import (
    has_dark_background,
    ink_map,
    picture_ink,
)
from digitpad.core.preprocessing._preprocess import (
    preprocess_bitmap,
)
from digitpad.core.preprocessing._strokes import (
    MNIST_WIDTH_HIGH,
    MNIST_WIDTH_LOW,
    stroke_width,
)
from digitpad.core.preprocessing._writing import (
    WORK_SIDE,
    looks_clean,
    paper_writing,
)

if TYPE_CHECKING:
    from digitpad.core.preprocessing._paper import (
        Paper,
        picture_paper,
    )
    from digitpad.core.preprocessing._placement import (
        Placement,
        ink_box,
        place_field,
    )
    from digitpad.core.preprocessing._rasterise import (
        MODEL_PEN_RATIO,
        pressure_width,
        rasterise_strokes,
        render_for_model,
        smooth_polyline,
        surviving_ink_points,
    )
    from digitpad.core.preprocessing._stroke_bounds import (
        MAX_COORDINATE,
        MAX_DRAWING_POINTS,
        MAX_ERASE_PAIRS,
        MAX_STROKE_POINTS,
        MAX_STROKE_WIDTH,
        check_strokes,
    )
    from digitpad.core.preprocessing._stroke_layer import (
        StrokeLayer,
    )

# What strokes, the paper's colour and the input's place on a picture need loads when
# they are first used: a reading of a file (``digitpad predict``) needs none of it.
_LAZY = {
    "Paper": "digitpad.core.preprocessing._paper",
    "picture_paper": "digitpad.core.preprocessing._paper",
    "Placement": "digitpad.core.preprocessing._placement",
    "ink_box": "digitpad.core.preprocessing._placement",
    "place_field": "digitpad.core.preprocessing._placement",
    "MODEL_PEN_RATIO": "digitpad.core.preprocessing._rasterise",
    "pressure_width": "digitpad.core.preprocessing._rasterise",
    "rasterise_strokes": "digitpad.core.preprocessing._rasterise",
    "render_for_model": "digitpad.core.preprocessing._rasterise",
    "smooth_polyline": "digitpad.core.preprocessing._rasterise",
    "surviving_ink_points": "digitpad.core.preprocessing._rasterise",
    "MAX_COORDINATE": "digitpad.core.preprocessing._stroke_bounds",
    "MAX_DRAWING_POINTS": "digitpad.core.preprocessing._stroke_bounds",
    "MAX_ERASE_PAIRS": "digitpad.core.preprocessing._stroke_bounds",
    "MAX_STROKE_POINTS": "digitpad.core.preprocessing._stroke_bounds",
    "MAX_STROKE_WIDTH": "digitpad.core.preprocessing._stroke_bounds",
    "check_strokes": "digitpad.core.preprocessing._stroke_bounds",
    "StrokeLayer": "digitpad.core.preprocessing._stroke_layer",
}

__all__ = [
    "FIELD_CENTRE",
    "MAX_COORDINATE",
    "MAX_DRAWING_POINTS",
    "MAX_ERASE_PAIRS",
    "MAX_STROKE_POINTS",
    "MAX_STROKE_WIDTH",
    "MNIST_WIDTH_HIGH",
    "MNIST_WIDTH_LOW",
    "MODEL_PEN_RATIO",
    "WORK_SIDE",
    "Paper",
    "Placement",
    "StrokeLayer",
    "check_strokes",
    "grow_mask",
    "has_dark_background",
    "ink_bounds",
    "ink_box",
    "ink_map",
    "label_parts",
    "looks_clean",
    "paper_writing",
    "part_boxes",
    "picture_ink",
    "picture_paper",
    "place_field",
    "preprocess_bitmap",
    "pressure_width",
    "rasterise_strokes",
    "render_for_model",
    "sample_affine",
    "smooth_polyline",
    "stroke_width",
    "surviving_ink_points",
]

__getattr__, __dir__ = lazy_names(__name__, _LAZY)
