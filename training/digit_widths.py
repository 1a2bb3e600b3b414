"""How wide each digit is for its height, from the train writers:
``python -m training.digit_widths``.

The number reader (``digitpad.core.number``) weighs a candidate digit's reading by how
usual its width is for the digit read (an "84" read as one wide 8 is unlikely). This
prints the table it keeps (``DIGIT_WIDTHS``): per digit, the mean and spread of the log
of width / height of the train writers' digits, MNIST's and pendigits' alike, rendered
as the paper photos render them.
"""

from __future__ import annotations

import numpy as np

from training.paper_photos import mnist_glyph, pen_glyph, writers

_HEIGHT = 60
_PEN = 0.08


def log_aspects() -> dict[int, np.ndarray]:
    """Per digit: the log of width / height of every train writer's rendered digit."""
    source = writers("train")
    found: dict[int, list[float]] = {digit: [] for digit in range(10)}
    glyphs = [
        (mnist_glyph(image, _HEIGHT), int(label))
        for image, label in zip(source.mnist_images[::6], source.mnist_labels[::6], strict=True)
    ]
    glyphs += [
        (pen_glyph(digit, _HEIGHT, _PEN * _HEIGHT), digit.label) for digit in source.pen[::2]
    ]
    for glyph, label in glyphs:
        cols = np.flatnonzero(glyph.max(axis=0) > 0.3)
        rows = np.flatnonzero(glyph.max(axis=1) > 0.3)
        if cols.size and rows.size:
            aspect = (cols[-1] - cols[0] + 1) / (rows[-1] - rows[0] + 1)
            found[label].append(float(np.log(aspect)))
    return {digit: np.asarray(values) for digit, values in found.items()}


def main() -> None:
    for digit, values in log_aspects().items():
        print(f"    ({values.mean():.3f}, {values.std():.3f}),  # {digit}: {values.size} digits")


if __name__ == "__main__":
    main()
