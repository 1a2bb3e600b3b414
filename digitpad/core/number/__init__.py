"""Whole numbers: a drawing or a picture split into digits, each digit read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digitpad.core._lazy import lazy_names
from digitpad.core.number._number import (
    MAX_NUMBER_STROKES,
    NUMBER_MAX_PIXELS,
    NUMBER_MAX_SIDE,
    ZOOM_BELOW,
    DigitReading,
    NumberReading,
    ink_reader,
    read_number,
)
from digitpad.core.number._segment_ink import (
    MAX_PARTS,
    PRICES,
    InkCandidates,
    InkRead,
    Prices,
    ink_candidates,
    split_ink,
)
from digitpad.core.preprocessing import label_parts

if TYPE_CHECKING:
    from digitpad.core.number._segment_strokes import (
        entangled,
        joined_at_both_ends,
        split_strokes,
    )

# Splitting a drawing's strokes loads when a drawing is read, never for a picture.
_LAZY = {
    name: "digitpad.core.number._segment_strokes"
    for name in ("entangled", "joined_at_both_ends", "split_strokes")
}

__all__ = [
    "MAX_NUMBER_STROKES",
    "MAX_PARTS",
    "NUMBER_MAX_PIXELS",
    "NUMBER_MAX_SIDE",
    "PRICES",
    "ZOOM_BELOW",
    "DigitReading",
    "InkCandidates",
    "InkRead",
    "NumberReading",
    "Prices",
    "entangled",
    "ink_candidates",
    "ink_reader",
    "joined_at_both_ends",
    "label_parts",
    "read_number",
    "split_ink",
    "split_strokes",
]

__getattr__, __dir__ = lazy_names(__name__, _LAZY)
