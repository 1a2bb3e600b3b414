"""Letters on paper, alone and beside a digit: ``python -m training.paper_letters``.

A number's touching digits are often refused as a whole and must be cut to be read, so
the split chooser cuts a refused part freely when a digit stands beside it. A letter
written beside a digit ("A4", "4b") is such a part too. This counts, on photos and scans
of paper (``training.paper_photos``), how often each model accepts a handwritten letter
(``training.letters``, drawn by the split's hands) as one or more digits: alone, before
a digit and after one, the digits written by the split's writers. Read as the app and
``digitpad predict`` read a picture (``read_number``). Choose on ``--split validation``
(the default); the test hands and writers only report.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator, Sequence

import numpy as np

from digitpad.core import NumberReading, Recognizer, bundled_models_dir, read_number
from training.letters import CAPITALS, LOWERCASE, TEST_SEED, VALIDATION_SEED, drawn_letter
from training.paper_photos import (
    KINDS,
    PaperPhoto,
    paper_photo,
    pen_glyph,
    strokes_glyph,
    writers,
)

CASES = ("alone", "before a digit", "after a digit")
_HANDS = {"validation": VALIDATION_SEED, "test": TEST_SEED}


def letter_glyph(name: str, rng: np.random.Generator, height: int, pen: float) -> np.ndarray:
    """Letter ``name`` drawn once by a random hand, written ``height`` pixels tall."""
    strokes = drawn_letter(name, rng)
    return strokes_glyph(
        [np.array([(p.x, p.y) for p in stroke.points]) for stroke in strokes], height, pen
    )


def accepted(reading: NumberReading, model: str) -> int:
    """How many digits ``model`` reads and accepts (calls a digit) on the picture."""
    answers = [digit.answer(model) for digit in reading.digits]
    return sum(1 for answer in answers if answer is not None and answer.is_digit)


def letter_photos(split: str, count: int) -> Iterator[tuple[str, PaperPhoto]]:
    """``count`` rounds of (case, photo): each round draws one letter (capitals and
    lowercase in turn) and one digit by a writer of ``split``, at one height and pen, on
    one paper kind (the kinds in turn), and writes the letter alone, before the digit and
    after it. The photo's labels are the digit's alone."""
    rng = np.random.default_rng(_HANDS[split])
    grouped = writers(split).by_writer()
    names = [*sorted(CAPITALS), *sorted(LOWERCASE)]
    for round_ in range(count):
        kind = KINDS[round_ % len(KINDS)]
        height = int(rng.integers(40, 120))
        pen = max(1.5, height * float(rng.uniform(0.05, 0.12)))
        letter = letter_glyph(names[round_ % len(names)], rng, height, pen)
        own = grouped[sorted(grouped)[int(rng.integers(len(grouped)))]]
        digit = own[int(rng.integers(len(own)))]
        written = pen_glyph(digit, height, pen)
        pictures = ([letter], [letter, written], [written, letter])
        for case, glyphs in zip(CASES, pictures, strict=True):
            labels = [digit.label] * (len(glyphs) - 1)  # the letter has no label
            yield case, paper_photo(rng, glyphs, labels, kind)


def letters_read(
    recognizer: Recognizer, split: str, count: int
) -> dict[str, dict[str, tuple[int, int]]]:
    """Per case, per model: (pictures, pictures where a letter was accepted as digits),
    over ``letter_photos(split, count)``."""
    models = [model.name for model in recognizer.loaded_models]
    tally = {case: {model: [0, 0] for model in models} for case in CASES}
    for case, photo in letter_photos(split, count):
        reading = read_number(recognizer, photo.image)
        for model in models:
            tally[case][model][0] += 1
            tally[case][model][1] += accepted(reading, model) > len(photo.labels)
    return {case: {m: (n, bad) for m, (n, bad) in row.items()} for case, row in tally.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.paper_letters", description=__doc__)
    parser.add_argument("--split", default="validation", choices=tuple(_HANDS))
    parser.add_argument("--count", type=int, default=208, help="letters (each in three cases)")
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    started = time.perf_counter()
    found = letters_read(recognizer, arguments.split, arguments.count)
    elapsed = time.perf_counter() - started
    print(f"letters read as digits on paper, {arguments.split} ({elapsed:.0f} s)")
    for case, row in found.items():
        shares = ", ".join(f"{m} {100 * bad / n:.1f} % ({bad}/{n})" for m, (n, bad) in row.items())
        print(f"  {case:15s} {shares}")


if __name__ == "__main__":
    main()
