"""How much five drawings per digit teach the models about one new writer.

For each held-out pen-tablet writer (``training.pendigits``'s ``test`` writers, never
trained on; ``--writers validation`` for the writers the fine-tuning recipe was chosen
on), five of their drawings per digit go into a fresh ``SampleStore`` as the window
stores them (strokes plus a canvas picture), ``digitpad.core.fine_tune`` runs exactly
as in the app, and the writer's other digits are read by the bundled and by the personal
models through the app's stroke path (``Recognizer.predict_strokes``). It prints each
writer's before/after per model, the time each fine-tune took (wall and CPU, cross-
validation included), and each personal model's accuracy on the MNIST test set. The
"not a digit" rules are measured too, before and after: the share of the writer's other
digits and of MNIST test they call "not a digit" (the issue's limit: 2 %), and of 300
held-out letters, scribbles and shapes they refuse.

Which five drawings a person happens to give matters: a writer has ~250 digits, so one
error more or less is half a point. Each writer is therefore adapted ``--draws`` times,
on as many different random draws of five per digit (seeds ``--seed`` onwards), and the
figures are each writer's mean and worst over the draws.

Run: ``python -m benchmarks.personalise [--writers test|validation] [--draws N] [--json]``
"""

from __future__ import annotations

import os

# Before numpy loads (digitpad's own import does the same for the app).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from digitpad.core import Recognizer, bundled_models_dir, rasterise_strokes
from digitpad.core.personal import SampleStore, fine_tune
from digitpad.core.recognition import user_model_folders
from training.data import MNIST_DIR, Split, load_split
from training.drawn import CANVAS_SIZE
from training.drawn_eval import DrawnFigures, read_made
from training.drawn_eval import _mnist as mnist_figures
from training.non_digits import HELD_OUT_KINDS, makers
from training.pendigits import WRITER_SPLIT, PenDigit, load_pendigits

PER_DIGIT = 5
DRAWS = 3
NON_DIGITS = 300  # held-out letters, scribbles and shapes: does "not a digit" still work?


def _accuracy(
    recognizer: Recognizer, digits: Sequence[PenDigit]
) -> tuple[dict[str, float], dict[str, float]]:
    """Each model's accuracy on ``digits``, and the share it calls "not a digit"."""
    right = {m.name: 0 for m in recognizer.loaded_models}
    refused = dict(right)
    for digit in digits:
        for name, answer in recognizer.predict_strokes(digit.canvas_strokes()).answers.items():
            right[name] += answer.digit == digit.label
            refused[name] += not answer.is_digit
    count = len(digits)
    return (
        {name: n / count for name, n in right.items()},
        {name: n / count for name, n in refused.items()},
    )


def _refused_non_digits(recognizer: Recognizer, seed: int) -> dict[str, float]:
    """Each model's share of held-out non-digits it calls "not a digit" (same set each time)."""
    rng = np.random.default_rng(seed)
    refused = {m.name: 0 for m in recognizer.loaded_models}
    for make in makers(HELD_OUT_KINDS, NON_DIGITS, rng):
        for name, answer in read_made(recognizer, make(rng)).answers.items():
            refused[name] += not answer.is_digit
    return {name: count / NON_DIGITS for name, count in refused.items()}


def _mnist(recognizer: Recognizer, test: Split) -> tuple[dict[str, float], dict[str, float]]:
    """Each model's accuracy on MNIST test, and the share it calls "not a digit"."""
    figures = {m.name: DrawnFigures(m.name) for m in recognizer.loaded_models}
    for name, result in figures.items():
        mnist_figures(recognizer, name, test, result)
    return (
        {name: f.mnist_accuracy for name, f in figures.items()},
        {name: f.mnist_false_rejection for name, f in figures.items()},
    )


@dataclass
class WriterResult:
    """One writer's figures: accuracies by model name, fine-tune times in seconds."""

    writer: int
    adapted_on: int
    tested_on: int
    before: dict[str, float]
    after: dict[str, float]
    refused_before: dict[str, float]
    refused_after: dict[str, float]
    non_digits_refused_after: dict[str, float]
    mnist_after: dict[str, float]
    mnist_refused_after: dict[str, float]
    wall_seconds: float
    cpu_seconds: float


def personalise_writer(
    digits: Sequence[PenDigit],
    writer: int,
    per_digit: int,
    seed: int,
    work: Path,
    mnist: Split,
) -> WriterResult:
    """Adapt on ``per_digit`` of each digit of ``writer``, test on the rest."""
    rng = np.random.default_rng(seed + writer)
    mine = [d for d in digits if d.writer == writer]
    chosen: list[PenDigit] = []
    for label in range(10):
        of_label = [d for d in mine if d.label == label]
        picks = rng.choice(len(of_label), size=min(per_digit, len(of_label)), replace=False)
        chosen += [of_label[i] for i in picks]
    rest = [d for d in mine if all(d is not c for c in chosen)]
    store = SampleStore(work / f"writer-{writer}" / "samples")
    side = int(CANVAS_SIZE)
    for digit in chosen:
        strokes = digit.canvas_strokes()
        store.add_drawing(digit.label, strokes, 255 - rasterise_strokes(strokes, (side, side)))
    models_dir = work / f"writer-{writer}" / "models"
    wall, cpu = time.perf_counter(), time.process_time()
    fine_tune(store, models_dir=models_dir, seed=seed)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    bundled = Recognizer.from_folders([bundled_models_dir()])
    folders, _ = user_model_folders(models_dir)  # the set fine_tune just saved
    personal = Recognizer.from_folders([bundled_models_dir(), *folders])
    before, refused_before = _accuracy(bundled, rest)
    after, refused_after = _accuracy(personal, rest)
    mnist_after, mnist_refused_after = _mnist(personal, mnist)
    return WriterResult(
        writer=writer,
        adapted_on=len(chosen),
        tested_on=len(rest),
        before=before,
        after=after,
        refused_before=refused_before,
        refused_after=refused_after,
        non_digits_refused_after=_refused_non_digits(personal, seed),
        mnist_after=mnist_after,
        mnist_refused_after=mnist_refused_after,
        wall_seconds=round(wall, 2),
        cpu_seconds=round(cpu, 2),
    )


def _spread(values: Sequence[float], digits: int = 1) -> str:
    """Mean and worst of some accuracies, as "99.4% (98.8%)"."""
    return f"{np.mean(values):6.{digits}%} ({min(values):6.{digits}%})"


def _writer_line(rows: Sequence[WriterResult]) -> str:
    """One writer over its draws: before -> after, mean (worst), per model."""
    names = sorted(rows[0].after)
    cells = "  ".join(
        f"{name} {np.mean([r.before[name] for r in rows]):6.1%} -> "
        f"{_spread([r.after[name] for r in rows])}"
        for name in names
    )
    mnist = "  ".join(f"{name} {_spread([r.mnist_after[name] for r in rows], 2)}" for name in names)
    return (
        f"writer {rows[0].writer:2d} ({rows[0].tested_on} digits, {len(rows)} draws): {cells}  "
        f"fine-tune {np.median([r.wall_seconds for r in rows]):.1f} s wall, "
        f"{np.median([r.cpu_seconds for r in rows]):.1f} s CPU (worst "
        f"{max(r.wall_seconds for r in rows):.1f} s)  MNIST test: {mnist}"
    )


def _summary(
    by_writer: Sequence[Sequence[WriterResult]],
    mnist_before: tuple[dict[str, float], dict[str, float]],
    non_digits: dict[str, float],
) -> list[str]:
    rows = [row for draws in by_writer for row in draws]
    lines = []
    accuracy_before, refused_before = mnist_before
    for name in sorted(accuracy_before):
        means = [np.mean([r.after[name] for r in draws]) for draws in by_writer]
        afters = [r.after[name] for r in rows]
        mnist_after = [r.mnist_after[name] for r in rows]
        lines.append(
            f"{name}: writers {np.mean([r.before[name] for r in rows]):.2%} -> "
            f"{np.mean(afters):.2%} (worst writer's mean {min(means):.2%}, worst draw "
            f"{min(afters):.2%}); MNIST test "
            f"{accuracy_before[name]:.2%} -> {np.mean(mnist_after):.2%} "
            f"(worst {min(mnist_after):.2%}); called not a digit: the writers' other digits "
            f"{np.mean([r.refused_before[name] for r in rows]):.2%} -> "
            f"{np.mean([r.refused_after[name] for r in rows]):.2%} (worst "
            f"{max(r.refused_after[name] for r in rows):.2%}), MNIST test "
            f"{refused_before[name]:.2%} -> "
            f"{np.mean([r.mnist_refused_after[name] for r in rows]):.2%} (worst "
            f"{max(r.mnist_refused_after[name] for r in rows):.2%}); held-out non-digits "
            f"refused {non_digits[name]:.1%} -> "
            f"{np.mean([r.non_digits_refused_after[name] for r in rows]):.1%}"
        )
    lines.append(
        "fine-tune time per writer and draw (both models, cross-validation included): "
        f"median {np.median([r.wall_seconds for r in rows]):.1f} s wall, "
        f"{np.median([r.cpu_seconds for r in rows]):.1f} s CPU; worst "
        f"{max(r.wall_seconds for r in rows):.1f} s wall"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.personalise")
    parser.add_argument("--writers", choices=sorted(WRITER_SPLIT), default="test")
    parser.add_argument("--per-digit", type=int, default=PER_DIGIT)
    parser.add_argument("--draws", type=int, default=DRAWS, help="draws of samples per writer")
    parser.add_argument("--seed", type=int, default=0, help="the first draw's seed")
    parser.add_argument("--json", action="store_true", help="one JSON object per writer and draw")
    arguments = parser.parse_args(argv)
    if arguments.draws < 1:
        parser.error("--draws must be at least 1")
    digits = load_pendigits()
    mnist = load_split(MNIST_DIR, "test")
    mnist_before = _mnist(Recognizer.from_folders([bundled_models_dir()]), mnist)
    if not arguments.json:
        print(
            "MNIST test, bundled: "
            + "  ".join(
                f"{k} {v:.2%} ({mnist_before[1][k]:.2%} not a digit)"
                for k, v in mnist_before[0].items()
            )
        )
    by_writer = []
    with tempfile.TemporaryDirectory(prefix="digitpad-personalise-") as folder:
        for writer in WRITER_SPLIT[arguments.writers]:
            draws = []
            for seed in range(arguments.seed, arguments.seed + arguments.draws):
                row = personalise_writer(
                    digits, writer, arguments.per_digit, seed, Path(folder) / f"draw-{seed}", mnist
                )
                draws.append(row)
                if arguments.json:
                    print(json.dumps({"seed": seed, **asdict(row)}), flush=True)
            by_writer.append(draws)
            if not arguments.json:
                print(_writer_line(draws), flush=True)
    if not arguments.json:
        bundled = Recognizer.from_folders([bundled_models_dir()])
        print(
            "\n".join(
                _summary(by_writer, mnist_before, _refused_non_digits(bundled, arguments.seed))
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
