"""Find the ink in any bitmap: how much pen is at each pixel, cropped to where it is.

Pictures arrive in every Pillow mode and as numpy arrays, dark ink on paper or light ink
on a dark screen, often with a transparent background. This module settles all of that
so the MNIST normalisation downstream only ever sees one thing: bright ink on zero,
cropped to its bounding box.

Everything up to the crop runs on 8-bit values, because a 280x280 canvas arrives
several times a second while a person draws and numpy float arithmetic over the whole
canvas would dominate the latency. 8 bits is MNIST's own depth, so nothing the models
can see is lost.
"""

from __future__ import annotations

import math
import sys
from functools import lru_cache

import numpy as np
from PIL import Image

from digitpad.core.files import to_uint8
from digitpad.core.preprocessing._pillow_buffers import grey_values, rgb_image_grey_values
from digitpad.core.preprocessing._writing import paper_writing, resize_values

# Below this contrast against the background (fraction of full range) nothing was drawn:
# it is paper texture, JPEG noise or an empty canvas.
MIN_INK_CONTRAST = 0.12
# Ink fainter than this fraction of the strongest stroke is noise (JPEG ringing, smudges).
NOISE_FRACTION = 0.1
# A pixel must stand this many standard deviations of the border's noise above the
# background to count as ink; 5 sigma leaves no false ink in a 280x280 canvas.
_NOISE_SIGMAS = 5.0
# Crops longer than twice this are area-averaged (by Pillow, in C) by a whole factor down
# to between DETAIL and 2 * DETAIL pixels: still over three times the 20-pixel box MNIST
# fits digits into, and the float work after the crop stays small for any picture size.
DETAIL = 64
_MAD_PER_SIGMA = 1.4826  # Gaussian noise: standard deviation per median absolute deviation
_LEVELS = np.arange(256, dtype=np.float32)
# _DISTANCES[a][b] is |a - b| for two grey levels.
_DISTANCES = np.abs(np.subtract.outer(np.arange(256), np.arange(256))).astype(np.uint8)


def _array_to_image(array: np.ndarray) -> tuple[Image.Image, Image.Image | None]:
    """A numpy bitmap ``(H, W)`` or ``(H, W, 1-4)`` as 8-bit luminance and alpha images.

    Alpha is ``None`` when every pixel is opaque; numpy answers that faster than Pillow.
    """
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (2, 3, 4)):
        raise ValueError(f"expected an (H, W) or (H, W, 1-4) image, got shape {array.shape}")
    array = np.ascontiguousarray(to_uint8(array))
    alpha = None
    if array.ndim == 3 and array.shape[2] in (2, 4) and not _fully_opaque(array):
        alpha = Image.fromarray(np.ascontiguousarray(array[..., -1]))
    image = Image.fromarray(array)
    return (image if image.mode == "L" else image.convert("L")), alpha


def _fully_opaque(array: np.ndarray) -> bool:
    """Whether the last channel of a contiguous uint8 RGBA / LA array is 255 everywhere.

    Read as whole pixels (one uint32 or uint16 each), the alpha byte is the most
    significant on a little-endian machine, so one contiguous ``min`` answers it; that is
    several times faster than ``array[..., 3].min()`` on a strided view. An empty
    array has no pixel that is not opaque.
    """
    if array.size == 0:
        return True
    if sys.byteorder == "little":
        if array.shape[2] == 4:
            return int(array.view(np.uint32).min()) >= 0xFF000000
        return int(array.view(np.uint16).min()) >= 0xFF00
    return int(array[..., -1].min()) == 255


def _luminance_and_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """8-bit luminance ("L") and, when some pixel is not fully opaque, alpha ("L")."""
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        return _array_to_image(
            np.asarray(image.convert("I") if image.mode.startswith("I;16") else image)
        )
    if image.mode == "LAB":  # its first channel is lightness already
        return image.getchannel("L"), None
    if (image.mode == "P" and "transparency" in image.info) or image.mode in ("PA", "RGBa"):
        image = image.convert("RGBA")  # also un-premultiplies RGBa
    elif image.mode == "La":
        image = image.convert("LA")
    has_alpha = image.mode in ("RGBA", "LA")
    alpha = image.getchannel("A") if has_alpha else None
    if alpha is not None and alpha.getextrema()[0] == 255:
        alpha = None  # fully opaque: the alpha channel carries nothing
    luminance = image if image.mode == "L" else image.convert("L")
    return luminance, alpha


def _flatten_transparency(luminance: Image.Image, alpha: Image.Image) -> Image.Image:
    """Composite onto a backdrop that makes the transparent part read as background.

    The border decides, as it does for the background level: when it is mostly
    transparent, the transparent part is the background and the opaque part is the
    drawing (canvas exports: strokes on transparent), so the backdrop contrasts with the
    strokes. When the border is mostly opaque, that is the paper, and the backdrop takes
    its tone (a scan with transparent corners).
    """
    opaque = np.asarray(alpha) > 127
    tones = np.asarray(luminance)
    border_opaque = _border(opaque)
    if np.count_nonzero(border_opaque) * 2 > border_opaque.size:
        backdrop = int(np.median(_border(tones)[border_opaque]))
    elif opaque.any():
        backdrop = 255 if np.median(tones[opaque]) < 128 else 0
    else:
        return Image.new("L", luminance.size, 0)
    return Image.composite(luminance, Image.new("L", luminance.size, backdrop), alpha)


def _border(values: np.ndarray) -> np.ndarray:
    return np.concatenate((values[0], values[-1], values[1:-1, 0], values[1:-1, -1]))


def _luminance_values(luminance: Image.Image) -> np.ndarray:
    # Read-only view of Pillow's bytes; cheaper than np.asarray's array-interface detour.
    return np.frombuffer(luminance.tobytes(), np.uint8).reshape(luminance.height, -1)


def _background_level(border: np.ndarray) -> int:
    """The paper's grey level: the median of the border, where people rarely write."""
    middle = len(border) // 2
    return int(np.partition(border, middle)[middle])


# A paper between these grey levels is neither clearly light nor clearly dark: a dim
# photo's paper (evenly lit, so read as a clean picture) can be 125 with its ink at 60.
MID_GREY = (64, 192)


def _paper_is_dark(values: np.ndarray, background: int) -> bool:
    """Whether the paper of ``values`` (background level ``background``) is dark, so its
    ink is what is lighter than it. A mid-grey paper (``MID_GREY``) is dark only when its
    lightest pixel stands farther from it than its darkest: ink is what stands out most.
    Every other paper is dark below the middle grey, as a canvas, MNIST and a scan are.
    """
    if not MID_GREY[0] <= background < MID_GREY[1]:
        return background < 128
    darkest, lightest = int(np.min(values)), int(np.max(values))
    return lightest - background > background - darkest


def as_luminance(image: np.ndarray | Image.Image) -> Image.Image:
    """Any picture as 8-bit luminance, transparent parts flattened into the background."""
    if isinstance(image, Image.Image):
        luminance, alpha = _luminance_and_alpha(image)
    else:
        luminance, alpha = _array_to_image(np.asarray(image))
    return luminance if alpha is None else _flatten_transparency(luminance, alpha)


def has_dark_background(image: np.ndarray | Image.Image) -> bool:
    """True when the picture's paper is dark, so its ink is read as the light strokes.

    Whatever adds ink to a picture (the app's canvas drawing over an opened image) asks
    this, so the strokes it adds have the polarity ``crop_to_ink`` will look for.
    """
    luminance = as_luminance(image)
    if luminance.width == 0 or luminance.height == 0:
        return False
    return paper_level(luminance)[1]


def paper_level(luminance: Image.Image) -> tuple[int, bool]:
    """The paper's grey level in a non-empty luminance picture (its border's median) and
    whether that paper is dark (``_paper_is_dark``), as the ink reading finds them."""
    values = _luminance_values(luminance)
    level = _background_level(_border(values))
    return level, _paper_is_dark(values, level)


def _grey_values(array: np.ndarray) -> np.ndarray | None:
    """An array ``(H, W)`` or ``(H, W, 1)`` as its 8-bit values, an opaque 8-bit colour
    array as its luminance (``_opaque_colour_values``); None for other arrays.

    A grey array (what the stroke layer renders) is its own luminance: reading it needs
    no round trip through a Pillow image, which costs more than the rest of a small
    picture's reading.
    """
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim == 3 and array.dtype == np.uint8 and array.shape[2] in (3, 4):
        return _opaque_colour_values(array)
    if array.ndim != 2:
        return None
    return np.ascontiguousarray(to_uint8(array))


def _opaque_colour_values(array: np.ndarray) -> np.ndarray | None:
    """An 8-bit RGB or fully opaque RGBA array (a canvas as Qt hands it over) as its
    luminance, Pillow's conversion written straight into a numpy array; None when some
    pixel is not fully opaque (``as_luminance`` flattens it first).

    The same conversion as ``as_luminance``'s, without the Pillow image it returns and
    the copy out of it: a full-size copy is a good share of a canvas's reading. Pillow's
    own Tk bridge converts into a given image the same way (``convert_into``).
    """
    array = np.ascontiguousarray(array)
    height, width, channels = array.shape
    rgba = channels == 4
    if height == 0 or width == 0 or (rgba and not _fully_opaque(array)):
        return None
    return grey_values(array, "RGBA" if rgba else "RGB", (width, height))


def _reading_values(
    image: np.ndarray | Image.Image, photo: bool = False
) -> tuple[np.ndarray | None, _Found | None]:
    """The values the ink is read from (None for an empty picture) and the ink found in
    them (``_find_ink``; None when there is none).

    A photo of paper is replaced by the writing found on it (``paper_writing``), bright
    on black; a clean picture is read as it is. A picture whose border is all white or
    all black (a canvas, the stroke layer's render, MNIST) takes ``_plain_canvas_ink``.
    A ``photo`` (a part of a photo of paper, looked at closer) is never clean: round a
    few digits, paper is mostly one tone.
    """
    if isinstance(image, Image.Image):
        values = rgb_image_grey_values(image)
    else:
        values = _grey_values(np.asarray(image))
    if values is None:
        luminance = as_luminance(image)
        if luminance.width == 0 or luminance.height == 0:
            return None, None
        values = _luminance_values(luminance)
    if values.size == 0:
        return None, None
    settled, found = (False, None) if photo else _plain_canvas_ink(values)
    if settled:
        return values, found
    writing = paper_writing(values, photo)
    if writing is None:
        return values, _find_ink(values)
    return writing, _find_ink(writing)


def ink_map(image: np.ndarray | Image.Image) -> np.ndarray | None:
    """The ink of the whole picture at full size, float32 (0 none, 1 the strongest
    stroke), read exactly as ``crop_to_ink`` reads it; ``None`` when there is none.

    For laying the reading over the picture; ``picture_ink`` is cheaper for a photo.
    """
    found = picture_ink(image)
    if found is None:
        return None
    ink, _ = found
    height, width = _size(image)
    return ink if ink.shape == (height, width) else resize_values(ink, (height, width))


def picture_ink(
    image: np.ndarray | Image.Image, photo: bool = False
) -> tuple[np.ndarray, tuple[float, float]] | None:
    """The ink of the whole picture (as ``ink_map``) and how many of the picture's pixels
    one of its pixels is, across and down; ``None`` when there is none.

    A photo of paper's ink is on its working copy (``paper_writing``), so finding the
    digits in a 12 MP photo never handles 12 million pixels; a clean picture's is at full
    size (scale 1). For finding several digits in one picture; a ``photo`` is read as
    paper however clean it looks (``_reading_values``).
    """
    values, found = _reading_values(image, photo)
    if values is None or found is None:
        return None
    height, width = _size(image)
    ink = np.take(found[0], values)
    return ink, (width / ink.shape[1], height / ink.shape[0])


def _size(image: np.ndarray | Image.Image) -> tuple[int, int]:
    """(height, width) of a picture or array."""
    if isinstance(image, Image.Image):
        return image.height, image.width
    shape = np.shape(image)
    return int(shape[0]), int(shape[1])


_Found = tuple[np.ndarray, tuple[int, int, int, int]]


def _find_ink(values: np.ndarray) -> _Found | None:
    """The table from grey level to ink and the ink's box ``(x0, y0, x1, y1)``, or None.

    The background level is the border's median and the noise floor comes from the
    border's spread (see ``crop_to_ink``). Every numpy call here costs microseconds on
    each reading, so the border's spread is read from a table of distances and the ink
    table is made once per background, contrast and floor.
    """
    return _find_ink_in(values, _border(values))


def _find_ink_in(values: np.ndarray, border: np.ndarray) -> _Found | None:
    """``_find_ink`` of a picture with this ``border``, of which ``values`` holds all
    pixels unlike the background (the box found counts from ``values``' corner)."""
    middle = len(border) // 2
    ordered = np.partition(border, middle)
    background = int(ordered[middle])
    # Median absolute deviation: strokes crossing up to half the border do not inflate it.
    sigma = _MAD_PER_SIGMA * _median_distance(border, ordered, background)
    dark_ink = not _paper_is_dark(values, background)
    reduce = np.minimum.reduce if dark_ink else np.maximum.reduce
    return _ink_against(values, background, sigma, reduce(values, 0), dark_ink)


def _median_distance(border: np.ndarray, ordered: np.ndarray, background: int) -> float:
    """The median of the ``border``'s distances from ``background``, its median;
    ``ordered`` is ``border`` partitioned at its middle.

    From white (black) the distance falls (grows) with the level, so the median
    distance is that of the level in the mirrored place of the order: the largest
    before the middle for an even border (the middle itself for an odd one), read off
    the one partition. Any other background partitions the distances.
    """
    middle = len(border) // 2
    if background == 0:
        return 0.0  # the middle level is 0, and so its distance
    if background != 255:
        return float(np.partition(_DISTANCES[background][border], middle)[middle])
    mirrored = ordered[middle] if len(border) % 2 else np.maximum.reduce(ordered[:middle])
    return float(255 - int(mirrored))


def _plain_canvas_ink(values: np.ndarray) -> tuple[bool, _Found | None]:
    """Whether the picture is clean with a border all white (255) or all black (0),
    and if so, its ``_find_ink`` (``(False, None)`` for any other picture).

    A drawing canvas, the stroke layer's render and an MNIST digit are such pictures,
    and they are most readings. Their border's median is its one level and its spread 0;
    the per-column extremes ``_find_ink`` reads anyway show how many columns hold
    nothing but that level, which mostly answers ``looks_clean`` (that level covers
    more than half the picture: clean) without its passes over the picture.
    """
    border = _border(values)
    background = int(border[0])
    if background not in (0, 255) or np.count_nonzero(border != background):
        return False, None
    return _plain_inside(values, background, values.shape)


def _plain_inside(
    values: np.ndarray, background: int, shape: tuple[int, ...]
) -> tuple[bool, _Found | None]:
    """``_plain_canvas_ink`` of a picture of ``shape`` whose border is all
    ``background`` (0 or 255), as are its pixels outside ``values`` (a box of it, or all
    of it); the box found counts from ``values``' corner.

    Columns and pixels outside the box hold only the background, so they count as plain
    without being read, and the ink's columns and rows are all inside.
    """
    # Nothing is lighter than white or darker than black: a column whose darkest
    # (lightest) pixel is the background holds only the background.
    reduce = np.minimum.reduce if background == 255 else np.maximum.reduce
    height, width = shape[0], shape[1]
    size = height * width
    col_extremes = reduce(values, 0)
    # Plain if either its plain columns or its plain pixels make more than half of it;
    # a box smaller than half the picture leaves more than half plain around it.
    if 2 * (size - values.size) <= size:
        plain_columns = np.count_nonzero(col_extremes == background) + width - values.shape[1]
        plain = plain_columns * height
        if 2 * plain <= size:  # too few plain columns to tell: count the pixels
            plain = np.count_nonzero(values == background) + size - values.size
        if 2 * plain <= size:
            return False, None  # looks_clean counts the levels
    dark_ink = not _paper_is_dark(values, background)  # white or black: no pass
    return True, _ink_against(values, background, 0.0, col_extremes, dark_ink)


def _ink_against(
    values: np.ndarray, background: int, sigma: float, col_extremes: np.ndarray, dark_ink: bool
) -> _Found | None:
    """``_find_ink``'s answer from the background level, the border's noise (standard
    deviation), the per-column extremes in the ink's direction and that direction.

    Per-column extremes answer "how strong is the ink" and "which columns hold it" in
    one vectorised pass over the 8-bit values, without a full-size float; the rows
    holding ink come from ``_ink_rows``.
    """
    reduce = np.minimum.reduce if dark_ink else np.maximum.reduce
    strongest = int(reduce(col_extremes))
    contrast = background - strongest if dark_ink else strongest - background
    if contrast < MIN_INK_CONTRAST * 255:
        return None
    floor = max(NOISE_FRACTION * contrast, _NOISE_SIGMAS * sigma, 1.0)
    # The 8-bit values past the float limit are those past its integer part (rounded
    # towards the background): integer comparisons, the same pixels.
    if dark_ink:
        limit = math.floor(background - floor)
        cols = (col_extremes <= limit).nonzero()[0]
    else:
        limit = math.ceil(background + floor)
        cols = (col_extremes >= limit).nonzero()[0]
    if cols.size == 0:  # nothing rises above the noise
        return None
    top, bottom = _ink_rows(values, limit, dark_ink)
    box = (int(cols[0]), top, int(cols[-1]) + 1, bottom)
    return _ink_table(background, contrast, floor, dark_ink), box


def _ink_rows(values: np.ndarray, limit: int, dark_ink: bool) -> tuple[int, int]:
    """The first row holding ink (a value at or past ``limit``) and the one after the last.

    A box cut round what stands out from the paper mostly starts and ends with rows of
    ink: their two extremes say so without flagging every pixel. Otherwise the ink's
    first and last pixel in reading order give its top and bottom rows.
    """
    height, width = values.shape
    reduce = np.minimum.reduce if dark_ink else np.maximum.reduce
    first, last = int(reduce(values[0])), int(reduce(values[-1]))
    if (max(first, last) <= limit) if dark_ink else (min(first, last) >= limit):
        return 0, height
    ink = values <= limit if dark_ink else values >= limit
    return int(ink.argmax()) // width, ink.tobytes().rfind(1) // width + 1


@lru_cache(maxsize=256)
def _ink_table(background: int, contrast: int, floor: float, dark_ink: bool) -> np.ndarray:
    """One lookup table turns luminance into ink: distance from the background over the
    contrast, noise zeroed, so the strongest stroke is 1. Read-only: it is shared."""
    direction = -1.0 if dark_ink else 1.0
    table = (_LEVELS - np.float32(background)) * np.float32(direction / contrast)
    table[table < floor / contrast] = 0.0
    table = np.minimum(table, 1.0, out=table)
    table.flags.writeable = False
    return table
