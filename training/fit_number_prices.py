"""Fit the split chooser's prices on the train writers: ``python -m training.fit_number_prices``.

A picture's number is read by over-cutting its ink and choosing, among the candidate
digits, the reading with the best sum of log sureness less some prices
(``digitpad.core.number.Prices``). As segmentation-recognition readers are trained, the
prices are fitted jointly: every candidate of every train photo is read once
(``ink_candidates``), then a coordinate search re-runs only the choice with other prices
and keeps what reads more photos exactly (numbers of 2-5 digits, and single digits,
which must stay single). Only the train writers are used; the prices are judged on the
validation writers (``python -m training.paper_eval --split validation``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

from digitpad.core import Recognizer, bundled_models_dir
from digitpad.core.number import PRICES, InkCandidates, Prices, ink_candidates, ink_reader
from digitpad.core.preprocessing import picture_ink
from training.paper_photos import KINDS, NUMBER_SEEDS, photos

# Each price is tried at these multiples of its value, and these steps added to it.
_SCALES = (0.0, 0.5, 0.75, 1.25, 1.5, 2.0)
_STEPS = (-0.2, -0.1, 0.1, 0.2, 0.5)


@dataclass(frozen=True)
class Example:
    """One train photo's candidates, read once, and the number written on it."""

    candidates: InkCandidates
    truth: str


def examples(
    recognizer: Recognizer, kinds: Sequence[str], singles: int, numbers: int
) -> list[Example]:
    """Every photo's candidates, read by the models once."""
    reader = ink_reader(recognizer)
    found = []
    for kind in kinds:
        batch = [*photos("train", kind, singles)]
        batch += photos("train", kind, numbers, (2, 5), NUMBER_SEEDS)
        for photo in batch:
            ink = picture_ink(photo.image)
            if ink is not None:
                found.append(Example(ink_candidates(ink[0], reader), photo.text))
    return found


def exact(found: Sequence[Example], prices: Prices) -> int:
    """How many photos ``prices`` read exactly."""
    return sum(example.candidates.digits(prices) == example.truth for example in found)


def tries(value: float) -> list[float]:
    """The values tried for one price: multiples of it and small steps from it."""
    near = {round(value * scale, 4) for scale in _SCALES}
    near |= {round(value + step, 4) for step in _STEPS}
    return sorted(v for v in near if v >= 0.0 and v != value)


def fit(found: Sequence[Example], start: Prices, rounds: int) -> tuple[Prices, int]:
    """A coordinate search from ``start``: each price in turn moved to whichever tried
    value reads the most photos exactly (only a strict gain moves it), until a round
    changes nothing."""
    best, score = start, exact(found, start)
    for round_number in range(rounds):
        moved = False
        for name in Prices._fields:
            for value in tries(getattr(best, name)):
                trial = best._replace(**{name: value})
                trial_score = exact(found, trial)
                if trial_score > score:
                    best, score, moved = trial, trial_score, True
            print(f"  round {round_number + 1}, {name}: {score}/{len(found)}", flush=True)
        if not moved:
            break
    return best, score


def _prices(text: str) -> dict[str, float]:
    """``name=value,...`` as prices by name."""
    pairs = [item.split("=", 1) for item in text.split(",") if item]
    return {name.strip(): float(value) for name, value in pairs}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m training.fit_number_prices", description=__doc__
    )
    parser.add_argument("--singles", type=int, default=40, help="single digits per kind")
    parser.add_argument("--numbers", type=int, default=80, help="numbers per kind")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument("--rounds", type=int, default=4, help="coordinate-search rounds")
    parser.add_argument(
        "--start",
        default="",
        help="prices to start from instead of those in use, e.g. cut=0.3,join=0.1",
    )
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    started = time.perf_counter()
    kinds = [kind for kind in arguments.kinds.split(",") if kind]
    found = examples(recognizer, kinds, arguments.singles, arguments.numbers)
    print(f"{len(found)} train photos read ({time.perf_counter() - started:.0f} s)", flush=True)
    start = PRICES._replace(**_prices(arguments.start))
    print(f"current prices: {exact(found, start)}/{len(found)} exact", flush=True)
    prices, score = fit(found, start, arguments.rounds)
    print(f"fitted prices: {score}/{len(found)} exact ({time.perf_counter() - started:.0f} s)")
    for name, value in zip(Prices._fields, prices, strict=True):
        print(f"  {name} = {value:g}")


if __name__ == "__main__":
    main()
