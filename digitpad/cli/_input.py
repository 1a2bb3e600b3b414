"""Where the subcommands' pictures come from: a file, or ``-`` for standard input.

Both go through the core's loading rules (size cap, format sniffing, one-line errors),
so ``cat seven.png | digitpad predict -`` reads exactly what ``digitpad predict
seven.png`` does.
"""

from __future__ import annotations

import sys

from PIL import Image

from digitpad.core import load_image, load_image_stream
from digitpad.core.files import MAX_SIDE

STDIN = "-"


def read_picture(path: str, max_side: int = MAX_SIDE, max_pixels: int | None = None) -> Image.Image:
    """The picture named by a command-line argument (``-``: standard input), reduced
    to fit ``max_side`` and ``max_pixels`` (see ``load_image``).

    Raises
    ------
    ImageLoadError
        Whatever ``load_image`` / ``load_image_stream`` refuse.
    """
    if path == STDIN:
        return load_image_stream(sys.stdin.buffer, max_side=max_side, max_pixels=max_pixels)
    return load_image(path, max_side, max_pixels)
