"""How models read people they never saw: held-out pen writers, non-digits, calibration.

Every drawn digit goes through ``Recognizer.predict_strokes``, exactly as the app reads a
drawing made on its canvas (the digit at 70 % of the canvas, the default brush); every
non-digit through ``predict_strokes`` or, for typed letters, ``predict``. The non-digits
are the held-out kinds and fonts of ``training.non_digits``, never trained on. MNIST test
figures use the raw test images, as the training report does. No TensorFlow: the
``benchmarks.drawn`` command and the training reports share this code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitpad.core import ModelMetadata, ModelPrediction, OnnxModel, Prediction, Recognizer, Stroke
from training.calibrate import expected_calibration_error, softmax
from training.data import Split
from training.non_digits import HELD_OUT_KINDS, cross, dot, letter_strokes, scribble
from training.pendigits import DEFAULT_PENDIGITS, load_pendigits, split_by_writer

HELD_OUT_NON_DIGITS = 1000
NON_DIGIT_SEED = 2026
_BATCH = 1000


@dataclass
class DrawnFigures:
    """One model's figures on drawn digits and non-digits."""

    model: str
    by_writer: dict[int, tuple[int, int]] = field(default_factory=dict)  # right, total
    drawn_false_rejection: float = 0.0
    mnist_accuracy: float = 0.0
    mnist_false_rejection: float = 0.0
    rejection_by_kind: dict[str, float] = field(default_factory=dict)
    obvious_cases: dict[str, float] = field(default_factory=dict)  # case -> share rejected
    ece: dict[str, tuple[float, float]] = field(default_factory=dict)  # before, after T
    temperature: float = 1.0

    @property
    def drawn_accuracy(self) -> float:
        right = sum(r for r, _ in self.by_writer.values())
        return right / max(1, sum(t for _, t in self.by_writer.values()))

    @property
    def rejection(self) -> float:
        """Held-out non-digits called "not a digit", all kinds together (weighted by count)."""
        return self.rejection_by_kind.get("all", 0.0)

    def as_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "drawn_accuracy": round(self.drawn_accuracy, 5),
            "by_writer": {str(w): round(r / t, 5) for w, (r, t) in self.by_writer.items()},
            "drawn_digits": sum(t for _, t in self.by_writer.values()),
            "drawn_false_rejection": round(self.drawn_false_rejection, 5),
            "mnist_test_accuracy": round(self.mnist_accuracy, 5),
            "mnist_test_false_rejection": round(self.mnist_false_rejection, 5),
            "non_digit_rejection": {k: round(v, 5) for k, v in self.rejection_by_kind.items()},
            "obvious_cases_rejected": {k: round(v, 5) for k, v in self.obvious_cases.items()},
            "ece_15_bins": {
                k: {"before": round(b, 5), "after": round(a, 5)} for k, (b, a) in self.ece.items()
            },
            "temperature": self.temperature,
        }


def temperature_of(recognizer: Recognizer, name: str) -> float:
    """The temperature folded into a model (1 for a model trained before calibration)."""
    for model in recognizer.loaded_models:
        if model.name == name and model.metadata is not None:
            return float((model.metadata.raw.get("calibration") or {}).get("temperature", 1.0))
    return 1.0


def _uncalibrated(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """The probabilities before the temperature was folded in: softmax(T * log p)."""
    return softmax(temperature * np.log(np.maximum(probabilities, 1e-30)))


def _answers(predictions: Sequence[Prediction], name: str) -> list[ModelPrediction | None]:
    return [p.answers.get(name) for p in predictions]


def read_non_digits(
    recognizer: Recognizer, count: int = HELD_OUT_NON_DIGITS, seed: int = NON_DIGIT_SEED
) -> dict[str, list[Prediction]]:
    """Held-out non-digits by kind, read as the app reads them (pictures as pictures)."""
    rng = np.random.default_rng(seed)
    names = sorted(HELD_OUT_KINDS)
    weights = np.array([HELD_OUT_KINDS[name][1] for name in names])
    chosen = rng.choice(len(names), size=count, p=weights / weights.sum())
    read: dict[str, list[Prediction]] = {name: [] for name in names}
    for index in chosen:
        made = HELD_OUT_KINDS[names[index]][0](rng)
        read[names[index]].append(read_made(recognizer, made))
    return read


def read_made(recognizer: Recognizer, made: tuple[Stroke, ...] | np.ndarray) -> Prediction:
    """A made non-digit read as the app would: a picture as a picture, strokes as strokes."""
    if isinstance(made, np.ndarray):
        return recognizer.predict(made)
    return recognizer.predict_strokes(made)


# The cases the issue names: each must come out "not a digit".
OBVIOUS_CASES: dict[str, Callable[[np.random.Generator], tuple[Stroke, ...]]] = {
    "a lone dot": dot,
    "a line of scribble": scribble,
    "a letter (drawn)": letter_strokes,
    "an X or a plus": cross,
}


def evaluate_drawn(
    recognizer: Recognizer,
    mnist_test: Split | None,
    pendigits_dir: str = str(DEFAULT_PENDIGITS),
    non_digits: int = HELD_OUT_NON_DIGITS,
    obvious_repeats: int = 50,
    every: int = 1,
) -> dict[str, DrawnFigures]:
    """Every loaded model's figures; the pen digits are the held-out test writers'
    (every ``every``-th of them: smoke runs read fewer)."""
    digits = split_by_writer(load_pendigits(pendigits_dir), "test")[::every]
    drawn = [recognizer.predict_strokes(digit.canvas_strokes()) for digit in digits]
    labels = np.array([digit.label for digit in digits])
    writers = np.array([digit.writer for digit in digits])
    others = read_non_digits(recognizer, non_digits)
    rng = np.random.default_rng(NON_DIGIT_SEED + 1)
    obvious = {
        case: [recognizer.predict_strokes(make(rng)) for _ in range(obvious_repeats)]
        for case, make in OBVIOUS_CASES.items()
    }
    figures = {}
    for model in recognizer.loaded_models:
        name = model.name
        result = DrawnFigures(name, temperature=temperature_of(recognizer, name))
        answers = _answers(drawn, name)
        probabilities = np.array([a.probabilities if a else [0.1] * 10 for a in answers])
        right = probabilities.argmax(axis=1) == labels
        for writer in sorted(set(writers.tolist())):
            mine = writers == writer
            result.by_writer[writer] = (int(right[mine].sum()), int(mine.sum()))
        result.drawn_false_rejection = float(np.mean([not (a and a.is_digit) for a in answers]))
        result.ece["drawn held-out writers"] = (
            expected_calibration_error(_uncalibrated(probabilities, result.temperature), labels),
            expected_calibration_error(probabilities, labels),
        )
        total = rejected = 0
        for kind, predictions in others.items():
            said = [a is None or not a.is_digit for a in _answers(predictions, name)]
            result.rejection_by_kind[kind] = float(np.mean(said)) if said else 0.0
            total, rejected = total + len(said), rejected + sum(said)
        result.rejection_by_kind["all"] = rejected / max(1, total)
        for case, predictions in obvious.items():
            said = [a is None or not a.is_digit for a in _answers(predictions, name)]
            result.obvious_cases[case] = float(np.mean(said))
        if mnist_test is not None:
            _mnist(recognizer, model.name, mnist_test, result)
        figures[name] = result
    return figures


def evaluate_model_file(
    onnx_path: Path, mnist_test: Split | None, pendigits_dir: Path, quick: bool = False
) -> DrawnFigures:
    """One exported model's figures, with its metadata's rule and temperature when its
    ``.json`` is beside it; ``quick`` reads a sample (smoke runs)."""
    json_path = onnx_path.with_suffix(".json")
    metadata = ModelMetadata.read(json_path) if json_path.is_file() else None
    model = OnnxModel.load(onnx_path, metadata)
    sizes = {"non_digits": 50, "obvious_repeats": 5, "every": 20} if quick else {}
    figures = evaluate_drawn(Recognizer([model]), mnist_test, str(pendigits_dir), **sizes)
    return figures[model.name]


def _mnist(recognizer: Recognizer, name: str, test: Split, result: DrawnFigures) -> None:
    model = next(m for m in recognizer.loaded_models if m.name == name)
    images = test.images.astype(np.float32)
    rule = recognizer.digit_rule(name)
    wanted = () if rule is None else rule.outputs
    runs = [
        model.predict_with(images[i : i + _BATCH], wanted) for i in range(0, len(images), _BATCH)
    ]
    probabilities = np.concatenate([found for found, _ in runs])
    outputs = {key: np.concatenate([extra[key] for _, extra in runs]) for key in wanted}
    labels = test.labels.astype(np.int64)
    result.mnist_accuracy = float((probabilities.argmax(axis=1) == labels).mean())
    if rule is not None:
        result.mnist_false_rejection = float(
            np.mean(rule.scores(probabilities, outputs) < rule.threshold)
        )
    result.ece["MNIST test"] = (
        expected_calibration_error(_uncalibrated(probabilities, result.temperature), labels),
        expected_calibration_error(probabilities, labels),
    )


def drawn_table(figures: dict[str, DrawnFigures]) -> str:
    """The figures of one or more models as a Markdown table, a column per model."""
    names = list(figures)
    first = figures[names[0]]
    lines = ["| | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]

    def row(label: str, values: Sequence[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    drawn = sum(t for _, t in first.by_writer.values())
    row(
        f"held-out pen writers, {drawn} digits",
        [f"{f.drawn_accuracy:.2%}" for f in figures.values()],
    )
    for writer in sorted(first.by_writer):
        count = first.by_writer[writer][1]
        row(
            f"&nbsp;&nbsp;writer {writer} ({count})",
            [f"{f.by_writer[writer][0] / f.by_writer[writer][1]:.2%}" for f in figures.values()],
        )
    row("MNIST test (raw)", [f"{f.mnist_accuracy:.2%}" for f in figures.values()])
    row("non-digits called not a digit", [f"{f.rejection:.1%}" for f in figures.values()])
    for kind in first.rejection_by_kind:
        if kind != "all":
            row(
                f"&nbsp;&nbsp;{kind}",
                [f"{f.rejection_by_kind[kind]:.1%}" for f in figures.values()],
            )
    row("the issue's cases, each drawn 50 times:", ["" for _ in figures])
    for case in first.obvious_cases:
        row(f"&nbsp;&nbsp;{case}", [f"{f.obvious_cases[case]:.0%}" for f in figures.values()])
    row(
        "digits called not a digit, pen writers",
        [f"{f.drawn_false_rejection:.2%}" for f in figures.values()],
    )
    row(
        "digits called not a digit, MNIST test",
        [f"{f.mnist_false_rejection:.2%}" for f in figures.values()],
    )
    for where in first.ece:
        row(
            f"ECE {where}, before / after T",
            [
                f"{f.ece[where][0]:.4f} / {f.ece[where][1]:.4f} (T={f.temperature:g})"
                for f in figures.values()
            ],
        )
    return "\n".join(lines)


def drawn_markdown(figures: DrawnFigures) -> str:
    """The report section of one model's drawn figures."""
    return "\n".join(
        [
            "## Drawn digits of new people, non-digits, calibration",
            "",
            "Pen digits of the held-out writers (never trained on), put on the canvas as a"
            " person draws them and read through `Recognizer.predict_strokes`; held-out"
            " non-digit kinds and fonts; ECE with 15 bins (`python -m benchmarks.drawn`).",
            "",
            drawn_table({figures.model: figures}),
            "",
        ]
    )
