"""How each model's answer moves when its input is moved, turned, resized, thinned or noisy.

The app normalises every drawing before the models see it; these transforms undo that
one thing at a time, so a person can see what the normalisation hides (a dense net's
reading moves with the ink, a CNN's less), and the training evaluation can measure it.
"""

from __future__ import annotations

from digitpad.core.robustness._sweep import (
    RobustnessReport,
    Sweep,
    sweep_robustness,
)
from digitpad.core.robustness._transforms import (
    NOISE_SEED,
    TRANSFORM_NAMES,
    TRANSFORMS,
    Transform,
    noise,
    scale,
    shift_x,
    shift_y,
    thickness,
    transform_named,
    turn,
)

__all__ = [
    "NOISE_SEED",
    "TRANSFORMS",
    "TRANSFORM_NAMES",
    "RobustnessReport",
    "Sweep",
    "Transform",
    "noise",
    "scale",
    "shift_x",
    "shift_y",
    "sweep_robustness",
    "thickness",
    "transform_named",
    "turn",
]
