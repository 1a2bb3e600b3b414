"""Regenerate the sample drawings in ``assets/samples`` used by ``digitpad --self-test``.

Each sample is a real MNIST test digit drawn as a person would on the app's canvas: a
crisp marker stroke, dark on a white 280x280 canvas (plus a JPEG photo-like copy, a
transparent-background export and a light-on-dark screen grab). Only digits that every
shipped model reads confidently through the full pipeline are chosen, so a failing
self-test means a broken installation, not a borderline sample.

Run: ``python -m benchmarks.samples [--out assets/samples]``
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.canvas import draw_on_canvas
from digitpad.core import Recognizer, samples_dir
from training.data import MNIST_DIR, load_split

# Confidence every model must have in the right digit for a sample to be chosen: clear
# digits only (label smoothing keeps the shipped models' confidence a little below 1).
MIN_CONFIDENCE = 0.9
# (digit, style, file name): one marker drawing per digit, then three other formats.
SAMPLES = [(d, "dark-on-light", f"digit-{d}.png") for d in range(10)] + [
    (3, "jpeg", "digit-3-photo.jpg"),
    (7, "transparent", "digit-7-transparent.png"),
    (4, "light-on-dark", "digit-4-dark-screen.png"),
]


def _confident(recognizer: Recognizer, image: Image.Image, digit: int) -> bool:
    prediction = recognizer.predict(image)
    return len(prediction.answers) == len(recognizer.loaded_models) and all(
        answer.digit == digit and answer.confidence >= MIN_CONFIDENCE
        for answer in prediction.answers.values()
    )


def make_samples(out: Path, recognizer: Recognizer, seed: int = 7) -> list[Path]:
    """Write every sample in ``SAMPLES`` to ``out``; returns the files written."""
    test = load_split(MNIST_DIR, "test")
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for digit, style, name in SAMPLES:
        for index in rng.permutation(np.flatnonzero(test.labels == digit)):
            image = draw_on_canvas(test.images[index], rng, style, sharp=True)
            if _confident(recognizer, image, digit):
                break
        else:
            raise RuntimeError(f"no MNIST test {digit} is read confidently by every model")
        path = out / name
        if path.suffix == ".jpg":
            image.save(path, quality=80)
        else:
            image.save(path, optimize=True)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.samples", description=__doc__)
    parser.add_argument("--out", type=Path, default=samples_dir())
    arguments = parser.parse_args(argv)
    for path in make_samples(arguments.out, Recognizer.from_default_locations()):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
