"""Time from a 280x280 canvas bitmap to both models' probabilities.

The app calls ``Recognizer.predict`` while a person draws, so this is the latency they
feel. The bitmap is an RGBA numpy array as the canvas hands it over: an MNIST test digit
drawn in black on a white canvas.

Run: ``python -m benchmarks.latency [--repeats 2000]``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

import numpy as np

from benchmarks.canvas import MNIST_DIR, draw_on_canvas
from digitpad.core import Recognizer, preprocess_bitmap
from training.data import load_split


def canvas_bitmaps(count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` RGBA canvas arrays, each a different MNIST test digit."""
    rng = np.random.default_rng(seed)
    images = load_split(MNIST_DIR, "test").images
    return [
        np.asarray(draw_on_canvas(images[i], rng, "dark-on-light").convert("RGBA"))
        for i in range(count)
    ]


def time_calls(call: Callable[[np.ndarray], object], bitmaps: Sequence[np.ndarray], repeats: int):
    """Wall-clock seconds of ``repeats`` calls, cycling through ``bitmaps``, after a warm-up."""
    for bitmap in bitmaps[:20]:
        call(bitmap)
    seconds = np.empty(repeats)
    for i in range(repeats):
        bitmap = bitmaps[i % len(bitmaps)]
        start = time.perf_counter()
        call(bitmap)
        seconds[i] = time.perf_counter() - start
    return seconds


def _report(label: str, seconds: np.ndarray) -> None:
    median, p90 = np.percentile(seconds * 1000, [50, 90])
    print(f"{label:<32} median {median:6.3f} ms   p90 {p90:6.3f} ms")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__)
    parser.add_argument("--repeats", type=int, default=2000, help="timed calls (default 2000)")
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_default_locations()
    bitmaps = canvas_bitmaps(100)
    model_inputs = [preprocess_bitmap(bitmap) for bitmap in bitmaps]
    print(f"280x280 RGBA canvas bitmaps, {arguments.repeats} calls each")
    _report("preprocess_bitmap", time_calls(preprocess_bitmap, bitmaps, arguments.repeats))
    for model in recognizer.onnx_models:
        _report(
            f"{model.name} model (1 image)",
            time_calls(
                lambda x, m=model: m.predict_batch(x[np.newaxis]), model_inputs, arguments.repeats
            ),
        )
    _report(
        "Recognizer.predict (all models)",
        time_calls(recognizer.predict, bitmaps, arguments.repeats),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
