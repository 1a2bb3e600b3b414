"""How well digitpad reads writing on paper: ``python -m training.paper_eval``.

Generates photos and scans (``training.paper_photos``) of one writer split, reads each
as the app and ``digitpad predict`` do (``digitpad.core.read_number``: one reading for a
lone digit and a number), and reports per paper kind, for every model: single digits
read right, real digits called "not a digit", and numbers of 2-5 digits read exactly.
The figures are written to ``reports/paper/metrics.json``. Thresholds are chosen on
``--split validation``; ``--split test`` (the default) only reports.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from digitpad.core import NumberReading, Recognizer, bundled_models_dir, read_number
from training.paper_photos import KINDS, NUMBER_SEEDS, PHOTO_KINDS, PaperPhoto, photos

REPORT = Path(__file__).resolve().parents[1] / "reports" / "paper" / "metrics.json"


@dataclass
class Tally:
    """One model's counts on one kind of paper."""

    singles: int = 0
    singles_right: int = 0
    singles_refused: int = 0
    numbers: int = 0
    numbers_exact: int = 0
    touching: int = 0
    touching_exact: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, float | int]:
        return {
            "singles": self.singles,
            "single_accuracy": self.singles_right / max(1, self.singles),
            "not_a_digit": self.singles_refused / max(1, self.singles),
            "numbers": self.numbers,
            "numbers_exact": self.numbers_exact / max(1, self.numbers),
            "touching": self.touching,
            "touching_exact": self.touching_exact / max(1, self.touching),
        }


@dataclass
class Failure:
    """A picture some model read wrong, for looking at."""

    kind: str
    seed: int
    truth: str
    read: dict[str, str] = field(default_factory=dict)


def _single(reading: NumberReading, model: str, label: int) -> tuple[bool, bool]:
    """(read right, called not a digit) for a picture of one digit."""
    if len(reading.digits) != 1:
        return False, False
    answer = reading.digits[0].answer(model)
    if answer is None:
        return False, False
    return answer.digit == label, not answer.is_digit


def _touching(photo: PaperPhoto) -> bool:
    """Whether some two neighbouring digits of a number touch or overlap."""
    return any(left[2] >= right[0] for left, right in itertools.pairwise(photo.boxes))


def evaluate(
    recognizer: Recognizer,
    split: str,
    singles: int,
    numbers: int,
    kinds: Sequence[str] = KINDS,
) -> tuple[dict[str, dict[str, Tally]], list[Failure]]:
    """Per kind, per model: the tallies; and the pictures read wrong."""
    models = [m.name for m in recognizer.loaded_models]
    tallies = {kind: {model: Tally() for model in models} for kind in kinds}
    failures = []
    for kind in kinds:
        batches: list[tuple[int, PaperPhoto]] = list(enumerate(photos(split, kind, singles)))
        batches += [
            (seed, photo)
            for seed, photo in enumerate(
                photos(split, kind, numbers, (2, 5), NUMBER_SEEDS), NUMBER_SEEDS
            )
        ]
        for seed, photo in batches:
            reading = read_number(recognizer, photo.image)
            wrong = Failure(kind, seed, photo.text)
            for model in models:
                tally = tallies[kind][model]
                said = reading.number(model)
                if len(photo.labels) == 1:
                    right, refused = _single(reading, model, photo.labels[0])
                    tally.singles += 1
                    tally.singles_right += right
                    tally.singles_refused += refused
                else:
                    right = said == photo.text
                    tally.numbers += 1
                    tally.numbers_exact += right
                    if _touching(photo):
                        tally.touching += 1
                        tally.touching_exact += right
                if not right:
                    wrong.read[model] = said or "(nothing)"
            if wrong.read:
                failures.append(wrong)
    return tallies, failures


def summary(tallies: dict[str, dict[str, Tally]]) -> dict[str, dict[str, dict[str, float | int]]]:
    """Per kind and for all photos together (every kind but scans), per model."""
    models = next(iter(tallies.values())).keys()
    result = {
        kind: {model: tally.as_dict() for model, tally in by_model.items()}
        for kind, by_model in tallies.items()
    }
    for group, members in (("photos", PHOTO_KINDS), ("all", KINDS)):
        present = [kind for kind in members if kind in tallies]
        if not present:
            continue
        result[group] = {}
        for model in models:
            total = Tally()
            for kind in present:
                total.add(tallies[kind][model])
            result[group][model] = total.as_dict()
    return result


def table(figures: dict[str, dict[str, dict[str, float | int]]]) -> str:
    """A plain-text table: kind, then per model single accuracy / not-a-digit / numbers
    (all, and those whose digits touch)."""
    models = list(next(iter(figures.values())).keys())
    head = f"{'kind':10}" + "".join(
        f"  {m + ' digit':>11} {m + ' refused':>13} {m + ' number':>12} {m + ' touching':>14}"
        for m in models
    )
    lines = [head]
    for kind, by_model in figures.items():
        cells = [f"{kind:10}"]
        for model in models:
            f = by_model[model]
            right, refused = f["single_accuracy"], f["not_a_digit"]
            cells.append(
                f"  {right:11.1%} {refused:13.1%} {f['numbers_exact']:12.1%}"
                f" {f['touching_exact']:14.1%}"
            )
        lines.append("".join(cells))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.paper_eval", description=__doc__)
    parser.add_argument("--split", default="test", choices=("validation", "test"))
    parser.add_argument("--singles", type=int, default=300, help="single digits per kind")
    parser.add_argument("--numbers", type=int, default=80, help="numbers per kind")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument("--out", type=Path, default=REPORT, help="where the JSON goes")
    parser.add_argument("--worst", type=int, default=15, help="failures to list")
    arguments = parser.parse_args(argv)
    kinds = [kind for kind in arguments.kinds.split(",") if kind]
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    started = time.perf_counter()
    tallies, failures = evaluate(
        recognizer, arguments.split, arguments.singles, arguments.numbers, kinds
    )
    figures = summary(tallies)
    print(table(figures))
    print(f"({time.perf_counter() - started:.0f} s)")
    for failure in failures[: arguments.worst]:
        print(f"  {failure.kind} seed {failure.seed}: {failure.truth} read {failure.read}")
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "split": arguments.split,
        "singles_per_kind": arguments.singles,
        "numbers_per_kind": arguments.numbers,
        "figures": figures,
        "failures": [vars(f) for f in failures],
    }
    arguments.out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
