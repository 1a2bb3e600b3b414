"""Re-fit each shipped model's "not a digit" detector with handwritten letters and shapes.

The detectors (``training.feature_detector``) were fitted on typed letters, 15 drawn
capitals and scribbles; people's lowercase letters and round capitals (a, d, e, f, u, P,
R) and drawings of several strokes (a smiley, a heart, a tick) still passed as digits.
This adds the letters and shapes of ``training.letters`` (``TRAINING_SEED``) to the
training non-digits and fits both models' detectors on their penultimate ``features``:
the dense model's top probability could only refuse what its softmax learnt to flatten,
and one direction in its features tells more. No weight of either model changes: only
the ``not_a_digit`` entry of each ``<name>.json``.

The threshold is chosen on validation digits only (MNIST's held-out training images and
the validation writers, ``MAX_FALSE_REJECTION`` of each at most); the validation letters
(``VALIDATION_SEED``) and non-digits are reported in the entry. Test letters, the test
writers and MNIST test are read only by ``python -m benchmarks.letters``.

Run: ``python -m training.refit_not_a_digit [--models assets/models]``
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from digitpad.core import OnnxModel, bundled_model_names
from digitpad.core.recognition import METADATA_KEY
from training.data import MNIST_DIR, load_mnist
from training.drawn_data import VALIDATION_NON_DIGITS, render_validation_non_digits
from training.feature_detector import FEATURES, choose_detector_rule, training_images
from training.fit import split_validation
from training.interpolate import validation_sets
from training.letters import TRAINING_SEED, VALIDATION_SEED, render_letters
from training.pendigits import DEFAULT_PENDIGITS
from training.recipe import DEFAULT_SEED, Recipe

# Drawn letters and shapes added to the training non-digits, and to the validation ones.
TRAINING_LETTERS, VALIDATION_LETTERS = 12_000, 2000
# At most this share of each validation set of digits is called "not a digit": below the
# 1 % allowed, as new people's digits are refused a little more often than validation's.
MAX_FALSE_REJECTION = 0.007
COMMAND = "python -m training.refit_not_a_digit"


def refit_rules(
    models_dir: Path,
    data_dir: Path | None,
    pendigits_dir: Path,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = print,
) -> dict[str, dict[str, object]]:
    """The new ``not_a_digit`` entry of each model in ``models_dir`` with a ``features``
    output, by model name (nothing is written)."""
    mnist = load_mnist(data_dir)
    validation_size = Recipe(epochs=1).validation_size
    validation = validation_sets(mnist, pendigits_dir, validation_size)
    images = training_images(split_validation(mnist.train, validation_size)[0], pendigits_dir, seed)
    letters = render_letters(TRAINING_LETTERS, TRAINING_SEED, randomise=True)
    log(f"{len(images.non_digits)} training non-digits and {len(letters)} letters and shapes")
    non_digits = np.concatenate([images.non_digits, letters])
    validation_non_digits = np.concatenate(
        [
            render_validation_non_digits(VALIDATION_NON_DIGITS, seed),
            render_letters(VALIDATION_LETTERS, VALIDATION_SEED, randomise=False),
        ]
    )
    rules = {}
    for name in bundled_model_names(models_dir):
        model = OnnxModel.load(models_dir / f"{name}.onnx")
        if FEATURES not in model.output_names:
            log(f"{name}: no {FEATURES!r} output, its rule stays")
            continue
        rule = choose_detector_rule(
            model,
            images.digits,
            non_digits,
            validation,
            validation_non_digits,
            MAX_FALSE_REJECTION,
        )
        rule["method"] = f"{rule['method']}; re-fitted by {COMMAND} (training.letters added)"
        rules[name] = rule
        log(f"{name}: {json.dumps(rule['validation'])}")
    return rules


def write_rules(models_dir: Path, rules: dict[str, dict[str, object]]) -> None:
    """Put each rule into its model's metadata, every other entry as it was."""
    for name, rule in rules.items():
        path = models_dir / f"{name}.json"
        metadata = json.loads(path.read_text(encoding="utf-8"))
        metadata[METADATA_KEY] = rule
        path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument("--models", type=Path, default=Path("assets/models"))
    parser.add_argument("--data-dir", type=Path, default=MNIST_DIR)
    parser.add_argument("--pendigits-dir", type=Path, default=DEFAULT_PENDIGITS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    write_rules(args.models, refit_rules(args.models, args.data_dir, args.pendigits_dir, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
