"""Build the reference digits the app ships: a fixed, stratified subset of MNIST training.

The app shows the training digits a model finds closest to a drawing (explanations) and
replays some while fine-tuning on a person's samples (so the models do not forget MNIST).
Both need real training digits at run time, without the 47 MB of the full set: 1,000
per class, drawn with a fixed seed, kept with their MNIST training indices.

``python -m training.reference_set --data-dir ../shared/data/mnist`` rewrites
``assets/reference/mnist-train-subset.npz``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digitpad.core import REFERENCE_FILE
from training.data import NUM_CLASSES, load_split

PER_CLASS = 1000
SEED = 20261201


def stratified_indices(labels: np.ndarray, per_class: int, seed: int) -> np.ndarray:
    """``per_class`` indices of each label, drawn without replacement, sorted."""
    rng = np.random.default_rng(seed)
    chosen = [
        rng.choice(np.flatnonzero(labels == digit), size=per_class, replace=False)
        for digit in range(NUM_CLASSES)
    ]
    return np.sort(np.concatenate(chosen))


def write_reference_set(data_dir: Path, out: Path, per_class: int = PER_CLASS) -> Path:
    """Write images (uint8, ink bright), labels and MNIST training indices to ``out``."""
    train = load_split(data_dir, "train")
    indices = stratified_indices(train.labels, per_class, SEED)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        images=train.images[indices],
        labels=train.labels[indices],
        indices=indices.astype(np.int32),
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.reference_set", description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="folder with MNIST IDX files")
    parser.add_argument("--out", type=Path, default=Path("assets") / REFERENCE_FILE)
    arguments = parser.parse_args(argv)
    path = write_reference_set(arguments.data_dir, arguments.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
