"""How the models read new people's handwriting, and whether they say "not a digit".

Digits written on a tablet by the pendigits writers no model trained on
(``training.pendigits.TEST_WRITERS``) are put on the canvas as a person draws them and
read through ``Recognizer.predict_strokes``, the app's own stroke path. Non-digits are
the held-out kinds and fonts of ``training.non_digits``. Calibration error (ECE, 15
bins) is shown before and after the temperature folded into each model.

Run: ``python -m benchmarks.drawn [--models DIR] [--json]``
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from digitpad.core import Recognizer, bundled_model_names
from training.data import MNIST_DIR, load_split
from training.drawn_eval import drawn_table, evaluate_drawn
from training.pendigits import DEFAULT_PENDIGITS


def recognizer_for(models: Path | None) -> Recognizer:
    """The models of folder ``models`` (None: the bundled ones, with the user's), each
    one that failed to load printed."""
    if models is None:
        recognizer = Recognizer.from_default_locations()
    else:
        recognizer = Recognizer.from_folders([models], bundled_model_names(models))
    for failure in recognizer.failures:
        print(f"model not loaded: {failure}")
    return recognizer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.drawn", description=__doc__)
    parser.add_argument(
        "--models", type=Path, help="a folder of models (default: the bundled ones)"
    )
    parser.add_argument("--pendigits-dir", type=Path, default=DEFAULT_PENDIGITS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    recognizer = recognizer_for(args.models)
    figures = evaluate_drawn(recognizer, load_split(MNIST_DIR, "test"), str(args.pendigits_dir))
    if args.json:
        print(json.dumps({name: f.as_dict() for name, f in figures.items()}, indent=2))
    else:
        print(drawn_table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
