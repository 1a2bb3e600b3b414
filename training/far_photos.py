"""Photos taken from further away: ``python -m training.far_photos``.

``training.paper_photos`` makes the picture 2.2 to 5 times as tall as the writing, a
phone held close. A person photographing a digit on a notepad often stands back: the
writing is small in the frame and the page round it, its edge and the desk beyond take
the rest. This makes ``--count`` photos of every photo kind with the picture ``--frame``
times as tall as the writing (8 to 14 by default), lone digits or ``--digits`` long
numbers, by ``--split``'s writers (validation by default; seeds from ``FAR_SEEDS``, so
none repeats a photo of ``training.paper_eval``), and counts how many each model reads
right (``read_number``, as the app and ``digitpad predict`` read them).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from digitpad.core import Recognizer, bundled_models_dir, read_number
from training.paper_photos import PHOTO_KINDS, make_photo

FAR_SEEDS = 50_000


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.far_photos", description=__doc__)
    parser.add_argument("--split", default="validation", choices=("train", "validation"))
    parser.add_argument("--count", type=int, default=40, help="photos per kind")
    parser.add_argument("--digits", type=int, default=1, help="digits per photo")
    parser.add_argument(
        "--frame", type=float, nargs=2, default=(8.0, 14.0), metavar=("LOW", "HIGH")
    )
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    right: Counter[tuple[str, str]] = Counter()
    models: set[str] = set()
    frame = (arguments.frame[0], arguments.frame[1])
    for kind in PHOTO_KINDS:
        for seed in range(FAR_SEEDS, FAR_SEEDS + arguments.count):
            photo = make_photo(arguments.split, kind, seed, arguments.digits, frame)
            for model, number in read_number(recognizer, photo.image).numbers().items():
                models.add(model)
                right[(kind, model)] += number == photo.text
    names = sorted(models)
    print(f"{'kind':<10} " + " ".join(f"{name:>8}" for name in names))
    for kind in PHOTO_KINDS:
        counts = " ".join(f"{right[(kind, name)]:>8}" for name in names)
        print(f"{kind:<10} {counts}   of {arguments.count}")
    totals = " ".join(f"{sum(right[(k, name)] for k in PHOTO_KINDS):>8}" for name in names)
    print(f"{'all':<10} {totals}   of {arguments.count * len(PHOTO_KINDS)}")


if __name__ == "__main__":
    main()
