"""Why photos' numbers are misread: ``python -m training.number_misreads``.

A number read wrong either lost on the split chooser's prices (its right digits were
among the candidates, and another reading scored higher: ``InkCandidates.score_of``),
or no split of the candidates reads it (the over-cut never offered its digits). The
first is for the prices and the models' sureness, the second for the cutting; this
tells how many of each and by how much the right reading lost. Readings are the models'
consensus digits, as the split chooser sees them. Choose on ``--split validation`` or
``train``, never on the test writers.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digitpad.core import Recognizer, bundled_models_dir
from digitpad.core.number import ink_candidates, ink_reader
from digitpad.core.preprocessing import picture_ink
from training.paper_photos import NUMBER_SEEDS, PHOTO_KINDS, make_photo


@dataclass(frozen=True)
class Misread:
    """A number read wrong: what was read, and by how much the right reading lost on
    the prices (``None``: no split of the candidates reads it)."""

    kind: str
    seed: int
    text: str
    read: str
    lost_by: float | None


def misread(
    recognizer: Recognizer, split: str, kind: str, seed: int, digits: int
) -> Misread | None:
    """Why the photo ``make_photo(split, kind, seed, digits)`` is misread; None when its
    number is read right."""
    photo = make_photo(split, kind, seed, digits)
    found = picture_ink(photo.image)
    if found is None:
        return Misread(kind, seed, photo.text, "", None)
    candidates = ink_candidates(found[0], ink_reader(recognizer))
    read = candidates.digits()
    if read == photo.text:
        return None
    right = candidates.score_of(photo.text)
    lost_by = None if right is None else candidates.score() - right
    return Misread(kind, seed, photo.text, read, lost_by)


def misreads(
    recognizer: Recognizer, split: str, kinds: Iterable[str], numbers: int
) -> list[Misread]:
    """Every misread of ``numbers`` numbers of 2-5 digits per kind of paper, with the
    seeds and lengths ``training.paper_eval`` uses."""
    found = []
    for kind in kinds:
        for seed in range(NUMBER_SEEDS, NUMBER_SEEDS + numbers):
            wrong = misread(recognizer, split, kind, seed, 2 + seed % 4)
            if wrong is not None:
                found.append(wrong)
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "validation"), default="validation")
    parser.add_argument("--numbers", type=int, default=60, help="numbers per kind of paper")
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    found = misreads(recognizer, arguments.split, PHOTO_KINDS, arguments.numbers)
    lost = sorted((m for m in found if m.lost_by is not None), key=lambda m: m.lost_by or 0.0)
    print(f"{len(found)} of {arguments.numbers * len(PHOTO_KINDS)} photos' numbers misread")
    print(f"lost on the prices: {len(lost)}; no split reads them: {len(found) - len(lost)}")
    for m in lost:
        print(f"  {m.kind} {m.seed}: {m.text} read {m.read}, lost by {m.lost_by:.2f}")
    for m in found:
        if m.lost_by is None:
            print(f"  {m.kind} {m.seed}: {m.text} read {m.read}, no split")


if __name__ == "__main__":
    main()
