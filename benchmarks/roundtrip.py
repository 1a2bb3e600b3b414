"""Does a digit keep its accuracy when it goes through the whole pipeline as a drawing?

Each MNIST test digit is drawn on a 280x280 canvas the way a person would (scaled,
off-centre, dark on light, transparent, JPEG, light on dark, grey paper), then read back
through ``Recognizer.predict``. Its accuracy is compared with the models' accuracy on
the original 28x28 images.

Run: ``python -m benchmarks.roundtrip [--count 2000] [--seed 0]``
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from benchmarks.canvas import STYLES, draw_on_canvas
from digitpad.core import Recognizer
from training.data import MNIST_DIR, Split, load_split


@dataclass(frozen=True)
class RoundTrip:
    """One model's accuracy on the original images, through the pipeline, and per style."""

    model: str
    original: float
    pipeline: float
    by_style: dict[str, float]


def sample(split: Split, count: int, seed: int) -> Split:
    """``count`` test digits picked at random (seeded), the same for every run."""
    chosen = np.random.default_rng(seed).choice(len(split), size=count, replace=False)
    return Split(split.images[chosen], split.labels[chosen])


def round_trip(recognizer: Recognizer, digits: Split, seed: int = 0) -> list[RoundTrip]:
    """Accuracy of every loaded model on ``digits``, original and redrawn on a canvas."""
    rng = np.random.default_rng(seed)
    styles = [STYLES[i % len(STYLES)] for i in range(len(digits))]
    answers: dict[str, list[int]] = {model.name: [] for model in recognizer.loaded_models}
    for digit, style in zip(digits.images, styles, strict=True):
        prediction = recognizer.predict(draw_on_canvas(digit, rng, style))
        for name in answers:
            answers[name].append(
                prediction.answers[name].digit if name in prediction.answers else -1
            )
    results = []
    style_array = np.array(styles)
    for model in recognizer.loaded_models:
        original = model.predict_batch(digits.images.astype(np.float32)).argmax(axis=1)
        redrawn = np.array(answers[model.name])
        correct = redrawn == digits.labels
        results.append(
            RoundTrip(
                model=model.name,
                original=float(np.mean(original == digits.labels)),
                pipeline=float(np.mean(correct)),
                by_style={s: float(np.mean(correct[style_array == s])) for s in STYLES},
            )
        )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roundtrip", description=__doc__)
    parser.add_argument("--count", type=int, default=2000, help="test digits (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_default_locations()
    digits = sample(load_split(MNIST_DIR, "test"), arguments.count, arguments.seed)
    print(f"{arguments.count} MNIST test digits, seed {arguments.seed}")
    print(f"{'model':<6} {'original':>9} {'pipeline':>9} {'change':>7}  " + "  ".join(STYLES))
    for result in round_trip(recognizer, digits, arguments.seed):
        styles = "  ".join(f"{result.by_style[s]:>{len(s)}.2%}" for s in STYLES)
        change = 100 * (result.pipeline - result.original)
        print(
            f"{result.model:<6} {result.original:>9.2%} {result.pipeline:>9.2%} "
            f"{change:>+6.2f}p  {styles}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
