"""Time from a 280x280 canvas bitmap to both models' probabilities.

The app calls ``Recognizer.predict`` while a person draws, so this is the latency they
feel. The bitmap is an RGBA numpy array as the canvas hands it over: an MNIST test digit
drawn in black on a white canvas.

Run: ``python -m benchmarks.latency [--repeats 2000]``
"""

from __future__ import annotations

import os

# Before numpy loads (digitpad's own import does the same for the app).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import time
from collections.abc import Callable, Sequence

import numpy as np

from benchmarks.canvas import draw_on_canvas
from digitpad.core import Recognizer, preprocess_bitmap
from training.data import MNIST_DIR, load_split


def canvas_bitmaps(count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` RGBA canvas arrays, each a different MNIST test digit."""
    rng = np.random.default_rng(seed)
    images = load_split(MNIST_DIR, "test").images
    return [
        np.asarray(draw_on_canvas(images[i], rng, "dark-on-light").convert("RGBA"))
        for i in range(count)
    ]


def time_calls(
    call: Callable[[np.ndarray], object], inputs: Sequence[np.ndarray], repeats: int
) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU seconds of ``repeats`` calls cycling through ``inputs``.

    CPU time (this thread only) leaves out the time the thread waited for a core, so on
    a busy machine it shows what the code itself costs; wall-clock is what a person feels.
    Each input is copied just before its call, untimed, as the app copies the canvas out
    of Qt just before predicting: the bitmap is as fresh in the CPU caches as it is there.
    """
    for item in inputs[:20]:
        call(item)
    wall, cpu = np.empty(repeats), np.empty(repeats)
    for i in range(repeats):
        item = inputs[i % len(inputs)].copy()
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        call(item)
        wall[i] = time.perf_counter() - start_wall
        cpu[i] = time.thread_time() - start_cpu
    return wall, cpu


def _report(label: str, timings: tuple[np.ndarray, np.ndarray]) -> None:
    wall, cpu = (seconds * 1000 for seconds in timings)
    median, p90 = np.percentile(wall, [50, 90])
    print(
        f"{label:<32} median {median:6.3f} ms   p90 {p90:6.3f} ms   "
        f"CPU median {np.median(cpu):6.3f} ms"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency", description=__doc__)
    parser.add_argument("--repeats", type=int, default=2000, help="timed calls (default 2000)")
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_default_locations()
    bitmaps = canvas_bitmaps(100)
    model_inputs = [preprocess_bitmap(bitmap) for bitmap in bitmaps]
    print(
        f"280x280 RGBA canvas bitmaps, {arguments.repeats} calls each, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    _report("preprocess_bitmap", time_calls(preprocess_bitmap, bitmaps, arguments.repeats))
    for model in recognizer.loaded_models:
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
    # The same drawings as (H, W) grayscale, for a caller that has no colour to pass.
    grays = [np.ascontiguousarray(bitmap[..., 1]) for bitmap in bitmaps]
    _report(
        "  same, grayscale (H, W) input", time_calls(recognizer.predict, grays, arguments.repeats)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
