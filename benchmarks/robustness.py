"""How long the Robustness window's sweep takes: every transform and amount, every model.

``sweep_robustness`` on MNIST test digits through the app's preprocessing (wall-clock,
and CPU time of the whole process, both cores counted). The window runs it on a worker
thread after each drawing; it should stay well under a second.

Run: ``python -m benchmarks.robustness [--digits 50]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from digitpad.core import TRANSFORMS, Recognizer, preprocess_bitmap, sweep_robustness
from training.data import MNIST_DIR, load_split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=50)
    args = parser.parse_args()
    recognizer = Recognizer.from_default_locations()
    test = load_split(MNIST_DIR, "test").head(args.digits)
    inputs = [preprocess_bitmap(image) for image in test.images]
    sweep_robustness(recognizer, next(i for i in inputs if i is not None))  # warm up
    walls, cpus = [], []
    for model_input in inputs:
        if model_input is None:
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        sweep_robustness(recognizer, model_input)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    variants = sum(len(t.amounts) for t in TRANSFORMS)
    print(
        f"sweep of {variants} changed inputs x {len(recognizer.loaded_models)} models, "
        f"{len(walls)} digits: wall median {np.median(walls) * 1000:.0f} ms, "
        f"max {max(walls) * 1000:.0f} ms; CPU median {np.median(cpus) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
