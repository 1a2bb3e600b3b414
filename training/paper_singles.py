"""Lone digits on paper read as several: ``python -m training.paper_singles``.

Over-cutting a picture's ink lets touching digits of a number be read apart, but it
may cut a lone wide digit in two (a 5 whose hat stands apart, a 0 read as "10"). This
counts, on photos of one digit each (``training.paper_photos``, one writer split), how
many are read as more than one digit, as the app and ``digitpad predict`` read them
(``read_number``), and lists them. The split chooser is judged on ``--split
validation`` (the default); the test writers stay for ``training.paper_eval``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from digitpad.core import Recognizer, bundled_models_dir, read_number
from training.paper_photos import KINDS, photos

# The kinds where lone digits were cut in two most (plain, scan, squared and dark paper).
DEFAULT_KINDS = ("plain", "scan", "squared", "dark")


def over_split(
    recognizer: Recognizer, split: str, kinds: Sequence[str], count: int
) -> tuple[int, list[tuple[str, int, str, str]]]:
    """How many lone digits were read, and each read as several: (kind, seed, digit,
    the CNN's or first model's number)."""
    names = [m.name for m in recognizer.loaded_models]
    model = "cnn" if "cnn" in names else names[0]
    found = []
    read = 0
    for kind in kinds:
        for seed, photo in enumerate(photos(split, kind, count)):
            reading = read_number(recognizer, photo.image)
            read += 1
            if len(reading.digits) > 1:
                found.append((kind, seed, photo.text, reading.number(model)))
    return read, found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.paper_singles", description=__doc__)
    parser.add_argument("--split", default="validation", choices=("train", "validation"))
    parser.add_argument("--count", type=int, default=300, help="lone digits per kind")
    parser.add_argument("--kinds", default=",".join(DEFAULT_KINDS), help="comma-separated kinds")
    arguments = parser.parse_args(argv)
    kinds = [kind for kind in arguments.kinds.split(",") if kind]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)}")
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    started = time.perf_counter()
    read, found = over_split(recognizer, arguments.split, kinds, arguments.count)
    elapsed = time.perf_counter() - started
    print(f"{len(found)} of {read} lone digits read as several ({elapsed:.0f} s)")
    for kind, seed, text, number in found:
        print(f"  {kind} seed {seed}: {text} read {number}")


if __name__ == "__main__":
    main()
