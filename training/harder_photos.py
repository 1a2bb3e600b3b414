"""Photos harder than the generator's own: ``python -m training.harder_photos``.

``training.paper_photos`` makes the picture 2.2 to 5 times as tall as the writing and
turns the page by up to 6 degrees: a phone held close and nearly square to the page.
People also stand back, so that the writing is small in the frame and the page round
it, its edge and the desk beyond take the rest (``--frame 8 14``: the picture 8 to 14
times as tall as the writing), and hold the phone crooked (``--turn 10 16``: the page
turned by 10 to 16 degrees, half of the photos one way and half the other), and lay a
sticky note or a small sheet on a desk and photograph it from above (``--on-desk 0.3
0.8``: the desk all round the page, 0.3 to 0.8 of the page's longer side wide each
side). This makes
``--count`` photos of every photo kind so, lone digits or ``--digits`` long numbers, by
``--split``'s writers (validation by default; seeds from ``HARDER_SEEDS``, so none
repeats a photo of ``training.paper_eval``), and counts how many each model reads right
(``read_number``, as the app and ``digitpad predict`` read them).
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from digitpad.core import Recognizer, bundled_models_dir, read_number
from training.paper_photos import PHOTO_KINDS, make_photo

HARDER_SEEDS = 50_000


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.harder_photos", description=__doc__)
    parser.add_argument("--split", default="validation", choices=("train", "validation"))
    parser.add_argument("--count", type=int, default=40, help="photos per kind")
    parser.add_argument("--digits", type=int, default=1, help="digits per photo")
    parser.add_argument("--frame", type=float, nargs=2, metavar=("LOW", "HIGH"))
    parser.add_argument("--turn", type=float, nargs=2, metavar=("LOW", "HIGH"), help="degrees")
    parser.add_argument(
        "--on-desk", type=float, nargs=2, metavar=("LOW", "HIGH"), help="desk each side"
    )
    arguments = parser.parse_args(argv)
    frame = None if arguments.frame is None else (arguments.frame[0], arguments.frame[1])
    desk = None if arguments.on_desk is None else (arguments.on_desk[0], arguments.on_desk[1])
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    right: Counter[tuple[str, str]] = Counter()
    models: set[str] = set()
    for kind in PHOTO_KINDS:
        for seed in range(HARDER_SEEDS, HARDER_SEEDS + arguments.count):
            turn = None
            if arguments.turn is not None:
                low, high = arguments.turn
                turn = (low, high) if seed % 2 else (-high, -low)
            photo = make_photo(arguments.split, kind, seed, arguments.digits, frame, turn, desk)
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
