"""How often each model calls a handwritten letter "not a digit", and a real digit too.

Letters and shapes are those of ``training.letters`` drawn by test hands (``TEST_SEED``,
never trained or chosen on), each put on the canvas and read through
``Recognizer.predict_strokes`` as the window reads a drawing. Real digits: MNIST test
(raw images, the rule applied as the window applies it) and the pendigits test writers
drawn on the canvas. The drawings of several strokes (B, K, #, a smiley, a heart, a tick)
are also read as a number (``read_number``), as the window and ``predict --number`` do:
none should come out as a number.

Run: ``python -m benchmarks.letters [--models DIR] [--per-letter N]``; the figures go to
``reports/letters.json`` (``--out``) and a table is printed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.drawn import recognizer_for
from digitpad.core import Recognizer, read_number
from training.data import MNIST_DIR, load_split
from training.letters import CAPITALS, LOWERCASE, SHAPES, TEST_SEED, VALIDATION_SEED, drawn_letter
from training.pendigits import DEFAULT_PENDIGITS, load_pendigits, split_by_writer

NUMBER_CASES = ("B", "K", "hash", "smiley", "heart", "tick")
_BATCH = 1000


def letter_refusal(recognizer: Recognizer, per_letter: int, seed: int) -> dict[str, object]:
    """Per model: the share of each letter and shape refused, and by group."""
    rng = np.random.default_rng(seed)
    names = [m.name for m in recognizer.loaded_models]
    refused: dict[str, dict[str, float]] = {name: {} for name in names}
    groups = {"lowercase": LOWERCASE, "capitals": CAPITALS, "shapes": SHAPES}
    for table in groups.values():
        for letter in sorted(table):
            answers = [
                recognizer.predict_strokes(drawn_letter(letter, rng)).answers
                for _ in range(per_letter)
            ]
            for name in names:
                refused[name][letter] = float(np.mean([not a[name].is_digit for a in answers]))
    result: dict[str, object] = {}
    for name in names:
        by_group = {
            group: float(np.mean([refused[name][letter] for letter in table]))
            for group, table in groups.items()
        }
        letters = [*LOWERCASE, *CAPITALS]
        by_group["letters"] = float(np.mean([refused[name][letter] for letter in letters]))
        result[name] = {"by_group": by_group, "by_letter": refused[name]}
    return result


def mnist_false_rejection(recognizer: Recognizer, mnist_dir: Path) -> dict[str, float]:
    """Per model: the share of MNIST test digits its rule refuses."""
    images = load_split(mnist_dir, "test").images.astype(np.float32)
    result = {}
    for model in recognizer.loaded_models:
        rule = recognizer.digit_rule(model.name)
        if rule is None:
            result[model.name] = 0.0
            continue
        refused = 0
        for start in range(0, len(images), _BATCH):
            probabilities, outputs = model.predict_with(
                images[start : start + _BATCH], rule.outputs
            )
            refused += int((rule.scores(probabilities, outputs) < rule.threshold).sum())
        result[model.name] = refused / len(images)
    return result


def pen_false_rejection(recognizer: Recognizer, pendigits_dir: Path) -> dict[str, float]:
    """Per model: the share of the test writers' digits, drawn on the canvas, refused."""
    digits = split_by_writer(load_pendigits(pendigits_dir), "test")
    answers = [recognizer.predict_strokes(d.canvas_strokes()).answers for d in digits]
    return {
        m.name: float(np.mean([not a[m.name].is_digit for a in answers]))
        for m in recognizer.loaded_models
    }


def number_cases(recognizer: Recognizer, per_case: int, seed: int) -> dict[str, dict[str, float]]:
    """Per drawing of several strokes: the share read as a number of two digits or more."""
    rng = np.random.default_rng(seed)
    return {
        case: {
            "read_as_a_number": float(
                np.mean(
                    [
                        len(read_number(recognizer, drawn_letter(case, rng)).digits) > 1
                        for _ in range(per_case)
                    ]
                )
            )
        }
        for case in NUMBER_CASES
    }


def table(figures: dict[str, object]) -> str:
    """The figures as a Markdown table, one column per model."""
    letters = figures["letters_test"]
    assert isinstance(letters, dict)
    names = list(letters)
    rows = [f"| | {' | '.join(names)} |", f"| --- |{' --- |' * len(names)}"]

    def row(label: str, values: Sequence[float]) -> None:
        rows.append(f"| {label} | {' | '.join(f'{v:.1%}' for v in values)} |")

    for group in ("letters", "lowercase", "capitals", "shapes"):
        row(f"test {group} refused", [letters[n]["by_group"][group] for n in names])
    validation = figures["letters_validation"]
    assert isinstance(validation, dict)
    row("validation letters refused", [validation[n]["by_group"]["letters"] for n in names])
    for key, label in (
        ("mnist_test", "MNIST test digits refused"),
        ("pen_test", "test writers' digits refused"),
    ):
        values = figures[key]
        assert isinstance(values, dict)
        row(label, [values[n] for n in names])
    numbers = figures["number_cases"]
    assert isinstance(numbers, dict)
    for case, value in numbers.items():
        rows.append(f"| {case} read as a number | {value['read_as_a_number']:.0%} (all models) |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.letters", description=__doc__)
    parser.add_argument("--models", type=Path, help="a folder of models (default: the bundled)")
    parser.add_argument("--per-letter", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("reports/letters.json"))
    parser.add_argument("--pendigits-dir", type=Path, default=DEFAULT_PENDIGITS)
    args = parser.parse_args(argv)
    recognizer = recognizer_for(args.models)
    figures: dict[str, object] = {
        "command": "python -m benchmarks.letters"
        + (f" --models {args.models}" if args.models else "")
        + f" --per-letter {args.per_letter}",
        "per_letter": args.per_letter,
        "letters_test": letter_refusal(recognizer, args.per_letter, TEST_SEED),
        "letters_validation": letter_refusal(recognizer, args.per_letter // 2, VALIDATION_SEED),
        "mnist_test": mnist_false_rejection(recognizer, MNIST_DIR),
        "pen_test": pen_false_rejection(recognizer, args.pendigits_dir),
        "number_cases": number_cases(recognizer, args.per_letter, TEST_SEED),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
