"""Whole numbers: a drawing or a picture split into digits, each digit read."""

from __future__ import annotations

from digitpad.core.number._number import (
    MAX_NUMBER_STROKES,
    DigitReading,
    NumberReading,
    read_number,
)
from digitpad.core.number._segment_ink import (
    MAX_PARTS,
    split_ink,
)
from digitpad.core.number._segment_strokes import (
    split_strokes,
)
from digitpad.core.preprocessing import label_parts

__all__ = [
    "MAX_NUMBER_STROKES",
    "MAX_PARTS",
    "DigitReading",
    "NumberReading",
    "label_parts",
    "read_number",
    "split_ink",
    "split_strokes",
]
