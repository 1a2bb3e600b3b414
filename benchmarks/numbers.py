"""Numbers written by people the models never saw: are the digits found and read?

Numbers of 2-6 digits are built from the pen-tablet digits of pendigits' held-out test
writers (``training.pendigits.TEST_WRITERS``), each number from one writer's own digits,
written left to right as people write: one digit height with a little size and
baseline jitter, gaps of a tenth to half a digit height, and about one pair in six
squeezed until the digits touch or overlap a little. Each number is read twice through
``digitpad.core.read_number``: from its strokes (as the canvas holds a drawing) and from
a rendered picture (dark ink on white, as a file would hold it).

Printed per source: how often the number of digits found is right, the per-digit
accuracy in numbers (a number with the wrong count counts all its digits wrong) beside
the same digits read alone, and how often a lone digit stays one digit.

    python -m benchmarks.numbers [--numbers 700] [--seed 14] [--worst 12 --show DIR]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from digitpad.core import Point, Recognizer, Stroke, rasterise_strokes
from digitpad.core.number import NumberReading, read_number
from training.pendigits import WRITER_SPLIT, PenDigit, load_pendigits, split_by_writer

SOURCES = ("strokes", "picture")
HEIGHT = 120.0  # digit height in canvas units (the canvas is 280 high)
TIGHT_SHARE = 0.17  # pairs squeezed until they touch or overlap
MARGIN = 30.0


@dataclass(frozen=True)
class WrittenNumber:
    """A number as a person wrote it: its digits' labels and strokes, and a picture size."""

    labels: tuple[int, ...]
    digits: tuple[tuple[Stroke, ...], ...]  # each digit's strokes, in writing order
    size: tuple[int, int]  # (height, width) of a picture holding it
    squeezed: bool = False  # some pair was written touching or overlapping

    @property
    def text(self) -> str:
        return "".join(map(str, self.labels))

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        return tuple(stroke for digit in self.digits for stroke in digit)

    def alone(self, index: int) -> WrittenNumber:
        """Digit ``index`` written alone, where it stands in the number."""
        return WrittenNumber((self.labels[index],), (self.digits[index],), self.size)


def place_digit(
    digit: PenDigit, height: float, left: float, baseline: float, pen: float
) -> tuple[Stroke, ...]:
    """``digit``'s strokes scaled to ``height``, its left edge at ``left``, bottom at
    ``baseline``, y pointing down as on the canvas."""
    points = np.concatenate(digit.strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = height / max(float(high[1] - low[1]), 1.0)
    strokes = []
    for stroke in digit.strokes:
        x = left + (stroke[:, 0] - low[0]) * scale
        y = baseline - (stroke[:, 1] - low[1]) * scale
        strokes.append(
            Stroke(tuple(Point(float(a), float(b)) for a, b in zip(x, y, strict=True)), pen)
        )
    return tuple(strokes)


def write_number(digits: Sequence[PenDigit], rng: np.random.Generator) -> WrittenNumber:
    """Write ``digits`` side by side as one person would."""
    pen = HEIGHT * float(rng.uniform(0.06, 0.13))
    written = []
    squeezed = False
    right = MARGIN
    left = MARGIN
    for digit in digits:
        height = HEIGHT * float(rng.normal(1.0, 0.05))
        baseline = MARGIN + HEIGHT * 1.15 + HEIGHT * float(rng.normal(0.0, 0.04))
        placed = place_digit(digit, height, left, baseline, pen)
        xy = np.array([(p.x, p.y) for s in placed for p in s.points])
        written.append(placed)
        right = max(right, float(xy[:, 0].max()))
        tight = rng.random() < TIGHT_SHARE
        squeezed = squeezed or (tight and len(written) < len(digits))
        gap = rng.uniform(-0.1, 0.02) if tight else rng.uniform(0.1, 0.5)
        left = float(xy[:, 0].max()) + HEIGHT * float(gap)
    size = (int(HEIGHT * 1.3 + 2 * MARGIN), int(np.ceil(right + MARGIN)))
    return WrittenNumber(tuple(d.label for d in digits), tuple(written), size, squeezed)


def numbers_of(
    pen_digits: Sequence[PenDigit],
    count: int,
    rng: np.random.Generator,
    lengths: tuple[int, int] = (2, 6),
) -> list[WrittenNumber]:
    """``count`` numbers of ``lengths`` digits, each from one writer's digits."""
    by_writer: dict[int, list[PenDigit]] = {}
    for digit in pen_digits:
        by_writer.setdefault(digit.writer, []).append(digit)
    writers = sorted(by_writer)
    numbers = []
    for _ in range(count):
        own = by_writer[writers[int(rng.integers(len(writers)))]]
        length = int(rng.integers(lengths[0], lengths[1] + 1))
        chosen = [own[int(i)] for i in rng.choice(len(own), size=length, replace=False)]
        numbers.append(write_number(chosen, rng))
    return numbers


def picture(number: WrittenNumber) -> np.ndarray:
    """The number as a file would hold it: dark ink on white paper, uint8."""
    return 255 - rasterise_strokes(number.strokes, number.size)


# Per source, the numbers split into the wrong count, with what was found.
Failures = dict[str, list[tuple[WrittenNumber, NumberReading]]]


@dataclass
class Tally:
    count_right: int = 0
    numbers: int = 0
    digits_right: int = 0
    digits: int = 0
    lone_right: int = 0
    lone_whole: int = 0
    lone: int = 0
    spaced_right: int = 0
    spaced: int = 0
    # The digits of numbers whose count was right: read in the number, and alone.
    found: int = 0
    found_right: int = 0
    found_right_alone: int = 0


def score(number: WrittenNumber, reading: NumberReading, model: str, tally: Tally) -> bool:
    """Add one number to ``tally``; True when its digit count was right."""
    tally.numbers += 1
    tally.digits += len(number.labels)
    tally.spaced += not number.squeezed
    if len(reading.digits) != len(number.labels):
        return False
    tally.count_right += 1
    tally.spaced_right += not number.squeezed
    read = reading.number(model)
    tally.digits_right += sum(a == str(b) for a, b in zip(read, number.labels, strict=True))
    return True


def run(
    count: int,
    seed: int,
    worst: int,
    show: Path | None,
    writers: str = "test",
    sources: Sequence[str] = SOURCES,
) -> None:
    recognizer = Recognizer.from_default_locations()
    models = [m.name for m in recognizer.loaded_models]
    rng = np.random.default_rng(seed)
    held_out = split_by_writer(load_pendigits(), writers)
    numbers = numbers_of(held_out, count, rng)
    print(
        f"{count} numbers of 2-6 digits ({sum(len(n.labels) for n in numbers)} digits) "
        f"from the {len(WRITER_SPLIT[writers])} {writers} pendigits writers, seed {seed}"
    )
    failures: Failures = {}
    for source in sources:
        tallies = {m: Tally() for m in models}
        started = time.perf_counter()
        failures[source] = []
        for number in numbers:
            given = number.strokes if source == "strokes" else picture(number)
            reading = read_number(recognizer, given)
            counted = [score(number, reading, model, tallies[model]) for model in models]
            if not counted[0]:
                failures[source].append((number, reading))
            for index, label in enumerate(number.labels):
                lone = number.alone(index)
                lone_given = lone.strokes if source == "strokes" else picture(lone)
                lone_reading = read_number(recognizer, lone_given)
                whole = (
                    recognizer.predict_strokes(lone.strokes)
                    if source == "strokes"
                    else (recognizer.predict(picture(lone)))
                )
                for model in models:
                    tally = tallies[model]
                    tally.lone += 1
                    tally.lone_whole += len(lone_reading.digits) == 1
                    answer = whole.answers.get(model)
                    right_alone = answer is not None and answer.digit == label
                    tally.lone_right += right_alone
                    if counted[0]:
                        tally.found += 1
                        tally.found_right += reading.number(model)[index] == str(label)
                        tally.found_right_alone += right_alone
        elapsed = time.perf_counter() - started
        _print_source(source, tallies, elapsed)
    if show is not None:
        _save_worst(failures, worst, show)


def _print_source(source: str, tallies: dict[str, Tally], elapsed: float) -> None:
    any_tally = next(iter(tallies.values()))
    print(f"\nfrom {source} ({elapsed:.1f} s)")
    t = any_tally
    print(f"  digit count right       {t.count_right / t.numbers:8.2%}")
    print(
        f"    no pair touching      {t.spaced_right / max(t.spaced, 1):8.2%} of {t.spaced}\n"
        f"    some pair touching    "
        f"{(t.count_right - t.spaced_right) / max(t.numbers - t.spaced, 1):8.2%}"
        f" of {t.numbers - t.spaced}"
    )
    print(f"  lone digit kept whole   {any_tally.lone_whole / any_tally.lone:8.2%}")
    for model, t in tallies.items():
        in_numbers = t.digits_right / t.digits
        alone = t.lone_right / t.lone
        print(
            f"  {model:<6} per digit in numbers {in_numbers:7.2%}   alone {alone:7.2%}   "
            f"difference {100 * (in_numbers - alone):+.2f} points"
        )
        found, found_alone = t.found_right / max(t.found, 1), t.found_right_alone / max(t.found, 1)
        print(
            f"  {model:<6} digits of numbers found whole {found:7.2%}   the same alone "
            f"{found_alone:7.2%}   difference {100 * (found - found_alone):+.2f} points"
        )


def _save_worst(failures: Failures, worst: int, show: Path) -> None:
    show.mkdir(parents=True, exist_ok=True)
    for source, cases in failures.items():
        for index, (number, reading) in enumerate(cases[:worst]):
            image = Image.fromarray(picture(number)).convert("RGB")
            from PIL import ImageDraw

            draw = ImageDraw.Draw(image)
            for digit in reading.digits:
                draw.rectangle(digit.box, outline=(220, 0, 0))
            name = f"{source}-{index:02d}-{number.text}-read-{len(reading.digits)}.png"
            image.save(show / name)
        print(f"{len(cases)} {source} count failures; pictures of up to {worst} in {show}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numbers", type=int, default=700)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--worst", type=int, default=12)
    parser.add_argument("--show", type=Path, help="save pictures of count failures here")
    parser.add_argument(
        "--writers",
        choices=sorted(WRITER_SPLIT),
        default="test",
        help="whose digits: the held-out test writers (default) or the validation ones",
    )
    parser.add_argument("--source", choices=SOURCES, help="read only from strokes or pictures")
    arguments = parser.parse_args(argv)
    sources = (arguments.source,) if arguments.source else SOURCES
    run(
        arguments.numbers,
        arguments.seed,
        arguments.worst,
        arguments.show,
        arguments.writers,
        sources,
    )


if __name__ == "__main__":
    main()
