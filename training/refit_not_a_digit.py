"""Re-fit each shipped model's "not a digit" detector with handwritten letters and shapes.

The detectors (``training.feature_detector``) were fitted on typed letters, 15 drawn
capitals and scribbles; people's lowercase letters and round capitals (a, d, e, f, u, P,
R) and drawings of several strokes (a smiley, a heart, a tick) still passed as digits.
This adds the letters and shapes of ``training.letters`` (``TRAINING_SEED``) to the
training non-digits and fits both models' detectors on their penultimate ``features``:
the dense model's top probability could only refuse what its softmax learnt to flatten,
and one direction in its features tells more. No weight of either model changes: only
the ``not_a_digit`` entry of each ``<name>.json``.

Digits on photos of paper (``training.paper_photos``, as reading a photo turns them into
model inputs) come out bolder or thinner than MNIST's and are refused 1-3 % of the time.
``--paper`` (not how the shipped rules were fitted: the CNN then refused 3 points fewer
held-out non-digits) adds the training writers' photos to the training digits
(``PAPER_REPEATS`` times, so a thousand weigh against MNIST's fifty thousand) and the
validation writers' as one more validation set the threshold must pass.

The threshold is chosen on validation digits only (MNIST's held-out training images, the
validation writers and with ``--paper`` their photos, ``MAX_FALSE_REJECTION`` of each at most); the
validation letters (``VALIDATION_SEED``) and non-digits are reported in the entry. Test
letters, the test writers and MNIST test are read only by ``python -m benchmarks.letters``.

Run: ``python -m training.refit_not_a_digit [--models assets/models]``
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from digitpad.core import OnnxModel, Recognizer, bundled_model_names, read_number
from digitpad.core.recognition import METADATA_KEY
from training.data import MNIST_DIR, Split, load_mnist
from training.drawn_data import VALIDATION_NON_DIGITS, render_validation_non_digits
from training.feature_detector import FEATURES, choose_detector_rule, training_images
from training.fit import split_validation
from training.interpolate import validation_sets
from training.letters import TRAINING_SEED, VALIDATION_SEED, render_letters
from training.paper_photos import KINDS, photos
from training.pendigits import DEFAULT_PENDIGITS
from training.recipe import DEFAULT_SEED, Recipe

# Drawn letters and shapes added to the training non-digits, and to the validation ones.
TRAINING_LETTERS, VALIDATION_LETTERS = 12_000, 2000
# At most this share of each validation set of digits is called "not a digit": below the
# 1 % allowed, as new people's digits are refused a little more often than validation's.
MAX_FALSE_REJECTION = 0.007
COMMAND = "python -m training.refit_not_a_digit"
# One-digit photos of paper per kind (``training.paper_photos``): the training writers'
# join the training digits, the validation writers' are a validation set of their own.
PAPER_TRAINING, PAPER_VALIDATION = 200, 150
PAPER_VALIDATION_SET = "paper_photos_validation"
# Each training paper digit counts this many times among the training digits: chosen on
# validation (1, 10, 40: the CNN's validation non-digits refused 95.3, 95.8, 96.2 %).
PAPER_REPEATS = 40


def paper_digits(recognizer: Recognizer, split: str, per_kind: int) -> Split:
    """The model inputs of ``per_kind`` one-digit photos of each kind by ``split``'s
    writers, made as reading a photo makes them (``read_number``); a photo where the
    writing finder sees no digit or several is left out."""
    images, labels = [], []
    for kind in KINDS:
        for photo in photos(split, kind, per_kind):
            digits = read_number(recognizer, photo.image).digits
            if len(digits) == 1 and digits[0].prediction.model_input is not None:
                images.append(digits[0].prediction.model_input)
                labels.append(photo.labels[0])
    return Split(np.array(images, dtype=np.float32), np.array(labels, dtype=np.uint8))


def refit_rules(
    models_dir: Path,
    data_dir: Path | None,
    pendigits_dir: Path,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = print,
    paper: bool = False,
) -> dict[str, dict[str, object]]:
    """The new ``not_a_digit`` entry of each model in ``models_dir`` with a ``features``
    output, by model name (nothing is written). ``paper``: paper photos' digits added (not
    shipped: the CNN's held-out non-digits were refused 3 points less)."""
    mnist = load_mnist(data_dir)
    validation_size = Recipe(epochs=1).validation_size
    validation = validation_sets(mnist, pendigits_dir, validation_size)
    images = training_images(split_validation(mnist.train, validation_size)[0], pendigits_dir, seed)
    letters = render_letters(TRAINING_LETTERS, TRAINING_SEED, randomise=True)
    log(f"{len(images.non_digits)} training non-digits and {len(letters)} letters and shapes")
    digits = images.digits
    if paper:
        reader = Recognizer.from_folders([models_dir])
        photos_read = paper_digits(reader, "train", PAPER_TRAINING)
        validation[PAPER_VALIDATION_SET] = paper_digits(reader, "validation", PAPER_VALIDATION)
        log(f"{len(photos_read)} and {len(validation[PAPER_VALIDATION_SET])} paper digits")
        repeated = np.tile(photos_read.images, (PAPER_REPEATS, 1, 1))
        digits = np.concatenate([digits, repeated])
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
            digits,
            non_digits,
            validation,
            validation_non_digits,
            MAX_FALSE_REJECTION,
        )
        added = "training.letters and paper photos added" if paper else "training.letters added"
        rule["method"] = f"{rule['method']}; re-fitted by {COMMAND} ({added})"
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
    parser.add_argument("--paper", action="store_true", help="add paper photos' digits")
    args = parser.parse_args(argv)
    rules = refit_rules(args.models, args.data_dir, args.pendigits_dir, args.seed, paper=args.paper)
    write_rules(args.models, rules)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
