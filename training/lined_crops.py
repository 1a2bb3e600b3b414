"""Digits written on a printed line, cropped clean: ``python -m training.lined_crops``.

A scan or a screenshot cropped round one digit is a clean picture, read as it is; when
the digit was written on a ruled line, the crop keeps one line under it, running off both
sides. This draws each lone digit of ``training.paper_photos`` (its pen's own ink, dark on
even paper), crops it with half a digit height of paper each side and a third above and
below, lays a thin grey line across the crop just under the digit, and counts how many
both models read right with the line and without it (``read_number``, as the app and
``digitpad predict`` read them). Judged on ``--split validation`` (the default).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from digitpad.core import Recognizer, bundled_models_dir, read_number
from training.paper_photos import make_photo

PAPER, INK, LINE = 240, 40, 150


def lined_crop(split: str, seed: int) -> tuple[np.ndarray, np.ndarray, str]:
    """Photo ``seed``'s digit cropped clean without and with a line under it, and its
    label."""
    photo = make_photo(split, "plain", seed, 1)
    rows = np.flatnonzero(photo.ink.any(axis=1))
    cols = np.flatnonzero(photo.ink.any(axis=0))
    top, bottom, left, right = int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])
    tall = bottom - top
    page = np.where(photo.ink, INK, PAPER).astype(np.uint8)
    y0, x0 = max(0, top - tall // 3), max(0, left - tall // 2)
    crop = page[y0 : bottom + tall // 3, x0 : right + tall // 2]
    lined = crop.copy()
    line = min(lined.shape[0] - 2, bottom - y0 + 2)
    lined[line : line + 2] = np.minimum(lined[line : line + 2], LINE)
    return crop, lined, photo.text


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.lined_crops", description=__doc__)
    parser.add_argument("--split", default="validation", choices=("train", "validation"))
    parser.add_argument("--count", type=int, default=40, help="digits")
    arguments = parser.parse_args(argv)
    recognizer = Recognizer.from_folders([bundled_models_dir()])
    right = {"without the line": 0, "with the line": 0}
    for seed in range(arguments.count):
        crop, lined, text = lined_crop(arguments.split, seed)
        for name, picture in (("without the line", crop), ("with the line", lined)):
            numbers = read_number(recognizer, picture).numbers().values()
            right[name] += all(number == text for number in numbers)
    for name, count in right.items():
        print(f"{name}: {count} of {arguments.count} read right by every model")


if __name__ == "__main__":
    main()
