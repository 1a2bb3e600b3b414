"""Explanations: how long they take, whether the heat maps are faithful, how apt the neighbours are.

- *Timing*: ``Explainer.explain`` for both models on MNIST test digits (wall-clock and CPU
  time of the whole process, both cores counted), neighbour indexes already built.
- *Deletion test*: per model, blank the 10 % of a digit's ink pixels that the heat map
  rates most salient, or the 10 % brightest, or 10 % picked at random, and measure how
  far the probability of the model's answer falls and how often the answer changes. A
  faithful heat map hurts the answer far more than the other two.
- *Neighbour agreement*: how often the nearest reference training digits in a model's
  feature space carry the test digit's true label.

Run: ``python -m benchmarks.explain [--digits 500] [--repeats 300] [--timing-only]``
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core import Explainer, OnnxModel, Recognizer, occlusion_saliency
from digitpad.core.explain import NeighbourIndex, compute_features
from training.data import MNIST_DIR, load_split

RANKINGS = ("salient", "brightest", "random")


@dataclass(frozen=True)
class Deletion:
    """What blanking a share of the ink did, averaged over digits, for one ranking."""

    probability_drop: float  # mean fall of the original answer's probability
    answer_changed: float  # share of digits whose answer changed


def blank_orders(
    image: np.ndarray, saliency: np.ndarray, count: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Flat indices of the ``count`` ink pixels to blank under each ranking.

    Ties (many pixels are exactly 255) are broken at random, never by position.
    """
    flat = image.ravel()
    ink = np.flatnonzero(flat > 0)
    tie_break = rng.random(ink.size)
    return {
        "salient": ink[np.lexsort((tie_break, -saliency.ravel()[ink]))][:count],
        "brightest": ink[np.lexsort((tie_break, -flat[ink]))][:count],
        "random": rng.choice(ink, count, replace=False),
    }


def deletion_test(
    model: OnnxModel, images: np.ndarray, fraction: float = 0.1, seed: int = 0
) -> dict[str, Deletion]:
    """Blank ``fraction`` of each digit's ink pixels by each ranking; see the module doc."""
    rng = np.random.default_rng(seed)
    drops: dict[str, list[float]] = {name: [] for name in RANKINGS}
    changed: dict[str, list[bool]] = {name: [] for name in RANKINGS}
    for image in images.astype(np.float32):
        before = model.predict_batch(image[None])[0]
        digit = int(before.argmax())
        saliency = occlusion_saliency(model, image, digit)
        count = max(1, round(fraction * np.count_nonzero(image)))
        orders = blank_orders(image, saliency, count, rng)
        variants = np.repeat(image.reshape(1, -1), len(RANKINGS), axis=0)
        for row, name in enumerate(RANKINGS):
            variants[row, orders[name]] = 0.0
        after = model.predict_batch(variants.reshape(-1, 28, 28))
        for row, name in enumerate(RANKINGS):
            drops[name].append(float(before[digit] - after[row, digit]))
            changed[name].append(int(after[row].argmax()) != digit)
    return {
        name: Deletion(float(np.mean(drops[name])), float(np.mean(changed[name])))
        for name in RANKINGS
    }


@dataclass(frozen=True)
class Agreement:
    """Share of test digits whose neighbours carry the true label."""

    nearest: float  # the nearest one
    majority: float  # the most common label among the five
    all_five: float  # mean share of the five


def neighbour_agreement(
    index: NeighbourIndex, model: OnnxModel, images: np.ndarray, labels: np.ndarray
) -> Agreement:
    """How often ``model``'s nearest reference digits to ``images`` have their ``labels``."""
    rows, _ = index.nearest_many(compute_features(model, images), 5)
    found = index.reference.labels[rows]
    majority = np.array([np.bincount(row, minlength=10).argmax() for row in found])
    return Agreement(
        nearest=float(np.mean(found[:, 0] == labels)),
        majority=float(np.mean(majority == labels)),
        all_five=float(np.mean(found == labels[:, None])),
    )


def time_explain(explainer: Explainer, images: np.ndarray, repeats: int) -> dict[str, np.ndarray]:
    """Wall-clock and process CPU seconds of ``repeats`` explanations of both models."""
    for image in images[:10]:
        explainer.explain(image)
    wall, cpu = np.empty(repeats), np.empty(repeats)
    for i in range(repeats):
        image = images[i % len(images)]
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        explainer.explain(image)
        wall[i], cpu[i] = time.perf_counter() - start_wall, time.process_time() - start_cpu
    return {"wall": wall, "cpu": cpu}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=500, help="digits in the deletion test")
    parser.add_argument("--repeats", type=int, default=300, help="timed explanations")
    parser.add_argument("--fraction", type=float, default=0.1, help="share of ink to blank")
    parser.add_argument("--timing-only", action="store_true", help="skip the quality figures")
    arguments = parser.parse_args(argv)

    test = load_split(MNIST_DIR, "test")
    images = test.images.astype(np.float32)
    recognizer = Recognizer.from_default_locations()
    models = recognizer.loaded_models
    cache = Path(os.environ.get("DIGITPAD_BENCH_CACHE", "/tmp/digitpad-bench-neighbours"))
    explainer = Explainer(models, cache_dir=cache)
    started = time.perf_counter()
    explainer.prepare()
    print(f"neighbour indexes ready in {time.perf_counter() - started:.2f} s (cache: {cache})")

    times = time_explain(explainer, images, arguments.repeats)
    print(
        f"\nexplain(), both models, {arguments.repeats} MNIST test digits, {os.cpu_count()} CPUs:"
    )
    for kind, values in times.items():
        median, p90 = np.median(values) * 1000, np.percentile(values, 90) * 1000
        print(f"  {kind:<5} median {median:6.1f} ms   p90 {p90:6.1f} ms")

    if arguments.timing_only:
        return
    percent = f"{arguments.fraction:.0%}"
    print(f"\ndeletion test: blank {percent} of the ink of {arguments.digits} MNIST test digits")
    print("model   ranking     P(answer) falls by   answer changed")
    seeded = np.random.default_rng(1).permutation(len(images))[: arguments.digits]
    for model in models:
        for name, result in deletion_test(model, images[seeded], arguments.fraction).items():
            print(
                f"{model.name:<7} {name:<11} {result.probability_drop:18.3f}"
                f"   {result.answer_changed:14.1%}"
            )

    print(f"\nneighbour label agreement on all {len(images):,} MNIST test digits")
    print("model   nearest   majority of 5   all 5")
    for model in models:
        index = explainer.neighbour_index(model.name)
        if index is None:
            print(f"{model.name:<7} (no features output)")
            continue
        found = neighbour_agreement(index, model, images, test.labels.astype(np.int64))
        print(
            f"{model.name:<7} {found.nearest:7.2%}   {found.majority:13.2%}   {found.all_five:6.2%}"
        )


if __name__ == "__main__":
    main()
