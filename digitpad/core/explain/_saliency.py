"""Which pixels of the 28x28 input pushed a model toward its answer: occlusion sensitivity.

Each small square of the input that holds real ink is blanked in turn, every variant goes
through the model in one batch, and the drop in the log-probability of the answer is
the evidence that square carried. A pixel's saliency is the mean drop of the squares
that cover it. It needs nothing but the model's outputs, so it works for any model
behind the ONNX contract, and it is faithful by construction: it is what blanking ink
does to the answer (``benchmarks/explain.py`` and the deletion test measure it).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from digitpad.core.recognition import OUTPUT_NAME, OnnxModel

# 2x2 squares at every position: fine enough to follow a stroke, and in the deletion test
# on MNIST better than 1x1 (single pixels hardly move a CNN) and 3x3 or larger (too coarse).
PATCH = 2
LOGITS = "logits"
_FIELD = 28
# The occluded variants are split over this many threads (onnxruntime releases the GIL;
# each session runs single-threaded), so both cores share a CNN's few hundred variants.
THREADS = 2
_MIN_CHUNK = 32
# Squares holding less ink than this share of a fully inked square are not blanked: the
# faint antialiased rims of strokes. That saves a third of the variants, and in the
# deletion test on MNIST the maps are as faithful as with every inked square.
MIN_SQUARE_INK = 0.25
# A probability that rounds to 0 in float32 would give -inf; clamp it to this.
_SMALLEST_PROBABILITY = 1e-30


def _patch_corners(model_input: np.ndarray, patch: int) -> np.ndarray:
    """(row, col) of every ``patch`` square worth blanking (see ``MIN_SQUARE_INK``)."""
    # Summed-area table: the ink in each square in O(1).
    table = np.pad(model_input.astype(np.float64).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    sums = (
        table[patch:, patch:]
        - table[:-patch, patch:]
        - table[patch:, :-patch]
        + table[:-patch, :-patch]
    )
    floor = max(MIN_SQUARE_INK * 255.0 * patch * patch, 1e-6)
    return np.argwhere(sums >= floor)


def log_probabilities(model: OnnxModel, images: np.ndarray) -> np.ndarray:
    """Log-probabilities ``(N, 10)`` in float64, from the logits when the model offers them.

    Logits keep the evidence of a very confident answer that float32 probabilities round
    to exactly 1; a model without them is read through its probabilities.
    """
    if LOGITS in model.output_names:
        logits = model.run_outputs(images, (LOGITS,))[LOGITS].astype(np.float64)
        shifted = logits - logits.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    probabilities = model.run_outputs(images, (OUTPUT_NAME,))[OUTPUT_NAME].astype(np.float64)
    return np.log(np.maximum(probabilities, _SMALLEST_PROBABILITY))


@lru_cache(maxsize=1)
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="digitpad-occlusion")


def _log_probabilities_in_parallel(model: OnnxModel, batch: np.ndarray) -> np.ndarray:
    chunks = min(THREADS, max(1, len(batch) // _MIN_CHUNK))
    if chunks == 1:
        return log_probabilities(model, batch)
    parts = _executor().map(
        lambda part: log_probabilities(model, part), np.array_split(batch, chunks)
    )
    return np.concatenate(list(parts))


def occlusion_saliency(
    model: OnnxModel, model_input: np.ndarray, digit: int, patch: int = PATCH
) -> np.ndarray:
    """Evidence each pixel gives for ``digit``: ``(28, 28)`` float32, in log-probability.

    Positive where blanking the ink lowers the answer's probability, negative where it
    raises it (ink that argues against ``digit``), zero where there is no ink to blank.

    Parameters
    ----------
    model
        Any loaded model.
    model_input
        The 28x28 float array 0..255 (ink bright) the model saw.
    digit
        The answer to explain, usually the model's top digit.
    """
    image = np.asarray(model_input, dtype=np.float32)
    if image.shape != (_FIELD, _FIELD):
        raise ValueError(f"expected a 28x28 model input, got shape {image.shape}")
    corners = _patch_corners(image, patch)
    saliency = np.zeros((_FIELD, _FIELD), dtype=np.float64)
    if len(corners) == 0:
        return saliency.astype(np.float32)
    batch = np.repeat(image[np.newaxis], len(corners) + 1, axis=0)
    offsets = np.arange(patch)
    rows = corners[:, :1, None] + offsets[None, :, None]  # (P, patch, 1)
    cols = corners[:, None, 1:] + offsets[None, None, :]  # (P, 1, patch)
    batch[np.arange(1, len(corners) + 1)[:, None, None], rows, cols] = 0.0
    scores = _log_probabilities_in_parallel(model, batch)[:, digit]
    drops = scores[0] - scores[1:]
    total = np.zeros_like(saliency)
    covered = np.zeros_like(saliency)
    for row_offset in offsets:
        for col_offset in offsets:
            np.add.at(total, (corners[:, 0] + row_offset, corners[:, 1] + col_offset), drops)
            np.add.at(covered, (corners[:, 0] + row_offset, corners[:, 1] + col_offset), 1.0)
    np.divide(total, covered, out=saliency, where=covered > 0)
    # Only ink can be blanked: a background pixel carries no evidence of its own.
    saliency[image <= 0] = 0.0
    return saliency.astype(np.float32)
