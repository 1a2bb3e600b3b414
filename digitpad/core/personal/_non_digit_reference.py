"""Non-digits shipped with the app for fine-tuning: letters, scribbles, dots and shapes.

The dense model learnt to answer such pictures with even probabilities (outlier
exposure), which is what its "not a digit" rule reads. Fine-tuning on one person's
digits alone makes it surer of everything drawn with a pen, non-digits included, so it
replays a few of these with even targets in every batch (``FineTuneRecipe.non_digit_batch``).
Built by ``python -m training.non_digit_reference``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from digitpad.core.files import NpzMember
from digitpad.core.paths import assets_dir
from digitpad.core.recognition import read_npz_arrays

# Relative to the assets folder.
NON_DIGITS_FILE = "reference/non-digits.npz"


@lru_cache(maxsize=1)
def load_non_digit_reference() -> np.ndarray:
    """The shipped non-digits: model inputs ``(N, 28, 28)`` uint8, ink bright.

    Raises
    ------
    ReferenceDataError
        The file is missing, damaged or its array is not uint8 ``(N, 28, 28)``.
    """
    path = assets_dir() / NON_DIGITS_FILE
    members = {"images": NpzMember(np.dtype(np.uint8), (None, 28, 28))}
    (images,) = read_npz_arrays(path, members, "non-digit file")
    return images
