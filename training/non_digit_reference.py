"""Build the non-digits the app ships for fine-tuning (``assets/reference/non-digits.npz``).

A fine-tune replays them with even targets so a personal dense model keeps refusing
letters and scribbles (``digitpad.core.personal._non_digit_reference``). They are the training
kinds (``training.non_digits.TRAINING_KINDS``: typed and drawn letters, scribbles,
zigzags, dots, lines, crosses, polygons, loose strokes, tangles), rendered the way the
models' training renders them, with their own seed; the held-out kinds that measure
rejection are never among them. Few, because the bundle has little room left: 1,000
take 0.19 MB.

``python -m training.non_digit_reference`` rewrites the file.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digitpad.core.personal import NON_DIGITS_FILE
from training.drawn import render_many
from training.non_digits import TRAINING_KINDS, makers

COUNT = 1000
SEED = 20261202


def write_non_digit_reference(out: Path, count: int = COUNT, seed: int = SEED) -> Path:
    """Render ``count`` training non-digits as model inputs (uint8, ink bright) to ``out``."""
    rng = np.random.default_rng(seed)
    images, _ = render_many(makers(TRAINING_KINDS, count, rng), rng)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, images=images)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m training.non_digit_reference", description=__doc__
    )
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--out", type=Path, default=Path("assets") / NON_DIGITS_FILE)
    arguments = parser.parse_args(argv)
    if arguments.count < 1:
        parser.error("--count must be at least 1")
    path = write_non_digit_reference(arguments.out, arguments.count)
    count = len(np.load(path)["images"])
    print(f"wrote {count} non-digits to {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
