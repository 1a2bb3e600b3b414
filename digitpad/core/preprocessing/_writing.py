"""Find the writing on a photo of paper: even out the light, drop what is not writing.

A canvas, a screenshot, a clean scan or an MNIST digit has one background tone all round
its border, and ``_ink`` reads it as it always has (``looks_clean``). A phone photo has
none: the light falls off across the page, a hand casts a shadow, the desk shows beyond
the page's edge, the paper is ruled or squared, and the camera adds noise and JPEG
blocks. For those, on a copy at most ``WORK_SIDE`` pixels long:

1. the paper's brightness everywhere is the picture's grey closing (dark things thinner
   than a tenth of the picture filled in, the light's slow changes and a shadow's edge
   kept), taken on a small copy, and the writing is how much darker than it each pixel
   is, in the noise's units and as a share of the paper's brightness;
2. ruled and squared lines are the rows (columns) of the page, turned by its slant, that
   are dark along a good part of the picture: their pixels go unless a stroke crosses;
3. the dark parts left are kept when they are writing: not specks, not much fainter than
   the strongest writing, not touching the frame while writing lies elsewhere, and on
   the lit page when writing lies there: the dim part reaching the frame (the desk
   beyond the page's edge, with the edge itself) is searched only beside the lit
   writing (a digit crossing a shadow's edge) and along its line (a number's digits in
   the dim corner of the light, with the pieces a line cut off them), or wholly when
   the lit page holds none, or only a scrap or a smudge beside a digit there (the
   writing is in a shadow).

The result is bright ink on black on the working copy, which ``_ink`` reads as clean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitpad.core.preprocessing._components import grow_mask, label_parts, part_boxes
from digitpad.core.preprocessing._statistics import median, percentile

# The analysis runs on a copy at most this long: ten times the 20-pixel box MNIST fits
# digits into, for a digit a fifth of the picture tall.
WORK_SIDE = 640
# A clean picture: this share of it, or of its border, within this many grey levels of
# one tone, and no thin row or column off it along this share of it (ruled paper).
CLEAN_FLAT_SHARE = 0.5
CLEAN_BORDER_SHARE = 0.9
CLEAN_LEVELS = 4
CLEAN_LINE_SHARE = 0.9
# A drawing may cross the picture's edges a few times; ruled lines cross them this often.
CLEAN_CROSSINGS = 4
# One thin line across the picture is a printed line (a digit written on it, cropped)
# when the rest of what is off the paper leaves at least this share of the line free at
# each end: a digit's bar or stem cropped tight ends where its other strokes are (a 7's
# stem under its bar's end, a 1's flag), and a 1 alone is nothing else.
CLEAN_LINE_FREE_END = 0.2
# A shadow or the desk lies along this share of a side at a stretch and fills this share
# of the band this share of the picture deep inside it (looked for only when no one grey
# level holds half the picture: a drawing's background does, whatever it draws there).
CLEAN_EDGE_RUN = 0.25
CLEAN_EDGE_DEPTH = 0.08
CLEAN_EDGE_FILL = 0.8
# A page lying on a darker desk that fills the rest of the picture: lighter than the
# commonest tone (the desk's) in one part at least this share of the picture's longer
# side across both ways, filling this share of its box (a digit's strokes fill far less,
# even a marker's; a drawing's background is one exact level: never taken for a desk).
CLEAN_PAGE_SHARE = 0.25
CLEAN_PAGE_FILL = 0.7
# The paper's brightness is estimated on a copy this long, closed over this share of the
# picture's longer side: strokes thinner than that are filled in.
_BACKGROUND_SIDE = 160
CLOSING_SHARE = 0.06
# The dim part: the paper's brightness under this share of its lit part's (the 90th
# percentile), reaching the frame, widened by this share of the picture.
DIM_SHARE = 0.7
DIM_MARGIN = 0.02
# A part with this share of its pixels in the dim part is dim (desk grain straddles it).
DIM_PART_SHARE = 0.25
# Lit writing shorter than this share of the longest part inside the frame is a scrap,
# when that part stands at least this share as clear of the noise: the page's edge and
# the desk's grain beside it, far longer than a small digit on the page, barely clear it.
SCRAP_SHARE = 0.3
SCRAP_CLEAR = 0.5
# Dim parts whose boxes meet the lit writing's box widened by this share of its height
# are writing too (a digit crossing a shadow's edge).
BESIDE_SHARE = 0.25
# ... and no taller than this many times the writing (the page's dark edge along the
# frame is long; a digit's part in a shadow is no taller than the digits).
BESIDE_SIZE = 2.0
# A line of writing goes on into the dim part (a number's last digits in the dim corner
# of the light): a dim part at least this share of the writing's height, within this
# share of it of a writing part's box and beside it (sharing this share of its rows with
# the writing), and about as dark (this share of the writing's darkness: a desk's grain
# beyond the page's edge is fainter), is writing too, and so on along the line, up to
# this many digits. A digit deep in a shadow may be only this share as dark when its core
# stands this many noise deviations clear of the paper round it: a desk's grain barely
# clears the noise, a pen's stroke in a shadow is dark through.
IN_LINE_SIZE = 0.5
IN_LINE_DARKNESS = 0.85
IN_LINE_FAINT = 0.7
IN_LINE_CLEAR = 8.0
IN_LINE_GAP = 0.5
IN_LINE_ROWS = 0.5
MAX_IN_LINE = 12
# Darker than the paper by this many noise deviations and this share of its brightness.
NOISE_SIGMAS = 4.0
MIN_DARKNESS = 0.1
# Ruled lines: dark along at least this share of the picture's width (after the slant),
# at most this share of its height thick; slants up to this many degrees are tried.
LINE_SHARE = 0.3
LINE_THICKNESS = 0.025
MIN_LINE_THICKNESS = 4
# A piece of a line: at least this share of the picture wide, at most this share of its
# own width high.
LINE_PIECE_LONG = 0.2
LINE_PIECE_THIN = 0.08
# A line reaches within this share of the picture's width of one of its sides.
LINE_END_SHARE = 0.1
LINE_GAP = 0.05
MAX_SLANT = 8.0
# A page turned further, up to TURNED_SLANT degrees (a phone held crooked), is believed
# only when at least TURNED_LINES lines run along that slant: a ruled or squared page
# has many, a digit's long stroke (a 2's base in a tight picture) makes one.
TURNED_SLANT = 16.0
TURNED_LINES = 2
_SLANT_STEP = 0.5
_BAND = np.full(9, 1.0 / 9)
# A printed line has one tone along its length; a pixel of it this many times as dark
# as its line's core is a stroke written along the line (a 1's stem on a squared
# page's line), and stays.
LINE_TONE = 1.6
# Writing: its parts' peak darkness at least this share of the strongest writing's, and
# longer than this share of the biggest part.
FAINT_SHARE = 0.6
SPECK_SHARE = 0.25
# A part smaller than this share of the biggest is kept only within this many of its
# lengths of a bigger part.
ALONE_SHARE = 0.5
ALONE_DISTANCE = 1.5
# Nothing is writing that is shorter than this share of the picture's longer side, or
# whose darkest pixel is lighter than this share of the paper (noise, a smudge; faint
# pencil is a fifth darker than the paper).
MIN_EXTENT = 0.03
MIN_PEAK = 0.2
_MAD_PER_SIGMA = 1.4826
# The noise is measured in blocks of this share of the picture's longer side.
_NOISE_BLOCKS = 16
# Light writing on a dark board: four in five pixels darker than this.
DARK_BOARD = 110
# ... and its thin marks (up to this share of the small copy wide) darker than the board
# by less than this share of what they are lighter.
POLARITY_SHARE = 0.02
DARK_MARKS = 1.1
# ... unless a part of it as wide as the paper's closing is this bright (paper beside a
# deep shadow: a board's only light parts are the chalk's thin strokes).
LIT_PAPER = 80


def looks_clean(values: np.ndarray) -> bool:
    """Whether an 8-bit luminance picture is clean, so its ink is read as before: one
    flat tone over half of it (a canvas, a screenshot, MNIST) or all round its border (a
    clean scan), no printed line across it (``_ruled``) and no page lying on a desk of
    that tone (``_page_on_a_desk``). Photos of paper are not."""
    border = np.concatenate((values[0], values[-1], values[1:-1, 0], values[1:-1, -1]))
    mode, mostly_flat = _flat_tone(values, border)
    if not mostly_flat:
        mode = int(np.median(border))
    near = np.count_nonzero(np.abs(border.astype(np.int16) - mode) <= CLEAN_LEVELS)
    drawn = 2 * np.count_nonzero(values == mode) > values.size  # one exact level
    tiny = min(values.shape) < 8
    if near == border.size:
        # Lines on paper run off its edges; a drawing's border is one exact level, a
        # desk's all round a page is not.
        exact = int(border.max()) == int(border.min())
        return bool(exact or drawn or tiny or not _page_on_a_desk(values, mode))
    uneven = near < CLEAN_BORDER_SHARE * border.size and not mostly_flat
    if uneven and not _evenly_lit(values):
        return False
    if tiny:
        return True
    # Two comparisons on the 8-bit values, and shares from integer counts (the same
    # floats as a mean): a full-size int16 or float copy costs more than the test.
    off = (values < mode - 6 * CLEAN_LEVELS) | (values > mode + 6 * CLEAN_LEVELS)
    sides = (off[0], off[-1], off[:, 0], off[:, -1])
    if sum(_runs(side) for side in sides) >= CLEAN_CROSSINGS:
        return False  # lines (or a grid) run off the edges, slanted or not
    # A shadow or the desk along a side, or the desk all round a page (a drawing's
    # background is one exact level).
    if not drawn and (_shaded_side(off) or _page_on_a_desk(values, mode)):
        return False
    height, width = off.shape
    return not (
        _ruled(off, np.count_nonzero(off, axis=1) / width)
        or _ruled(off.T, np.count_nonzero(off, axis=0) / height)
    )


def _flat_tone(values: np.ndarray, border: np.ndarray) -> tuple[int, bool]:
    """The commonest grey level (the lowest of equals) and whether it and the levels
    within ``CLEAN_LEVELS`` of it cover ``CLEAN_FLAT_SHARE`` of ``values``.

    A canvas or an MNIST digit is mostly its background, the border's tone: when one
    level holds more than half the pixels it is the commonest beyond doubt, and one
    comparison answers both without counting all 256 levels (ten times the cost).
    """
    middle = border.size // 2
    candidate = int(np.partition(border, middle)[middle])
    count = np.count_nonzero(values == candidate)
    if 2 * count > values.size and count >= CLEAN_FLAT_SHARE * values.size:
        return candidate, True
    levels = _grey_histogram(values)
    mode = int(np.argmax(levels))
    flat = levels[max(0, mode - CLEAN_LEVELS) : mode + CLEAN_LEVELS + 1].sum()
    return mode, bool(flat >= CLEAN_FLAT_SHARE * values.size)


def _grey_histogram(values: np.ndarray) -> np.ndarray:
    """How many pixels of 8-bit ``values`` (2-D) hold each of the 256 grey levels.

    ``np.bincount``'s counts, from Pillow's histogram: bincount first widens a photo's
    3 megapixels to 64-bit integers (24 MB), three times the cost of the counting.
    """
    return np.array(Image.fromarray(values).histogram(), dtype=np.intp)


def _run_bounds(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of True ``flags`` starts, and where it stops (exclusive)."""
    padded = np.concatenate(([False], flags, [False]))
    return np.flatnonzero(~padded[:-1] & padded[1:]), np.flatnonzero(padded[:-1] & ~padded[1:])


def _runs(flags: np.ndarray) -> int:
    """How many thin runs of True ``flags`` holds (a line's width, not a stroke's)."""
    starts, ends = _run_bounds(flags)
    return int(np.count_nonzero(ends - starts <= max(2.0, LINE_THICKNESS * flags.size)))


def _shaded_side(off: np.ndarray) -> bool:
    """Whether a shadow or the desk lies along a side of the picture: off the paper's
    tone along ``CLEAN_EDGE_RUN`` of the side at a stretch, and through the band
    ``CLEAN_EDGE_DEPTH`` of the picture deep inside it (a stroke drawn along the edge
    is a stroke's width deep)."""
    height, width = off.shape
    rows = max(1, round(CLEAN_EDGE_DEPTH * height))
    cols = max(1, round(CLEAN_EDGE_DEPTH * width))
    # Each side's band, turned so that its first row lies along the side.
    bands = (off[:rows], off[-rows:][::-1], off[:, :cols].T, off[:, -cols:][:, ::-1].T)
    for band in bands:
        for start, stop in zip(*_run_bounds(band[0]), strict=True):
            stretch = band[:, start:stop]
            long = stop - start > CLEAN_EDGE_RUN * band.shape[1]
            if long and np.count_nonzero(stretch) >= CLEAN_EDGE_FILL * stretch.size:
                return True
    return False


def _page_on_a_desk(values: np.ndarray, mode: int) -> bool:
    """Whether 8-bit ``values`` hold a solid block lighter than the picture's commonest
    tone ``mode``, ``CLEAN_PAGE_SHARE`` of its longer side across both ways and filling
    ``CLEAN_PAGE_FILL`` of its box (the writing on it leaves holes): a page or a sticky
    note photographed lying on a darker desk that shows all round it (read as a clean
    picture, the page itself was the "ink": a "0"). A bar drawn in ink is darker than
    its paper."""
    lighter = values > mode + 6 * CLEAN_LEVELS
    # Shrunk by Pillow on 8-bit levels: a photo's float copy would cost more than this.
    shrunk = _shrink(lighter.view(np.uint8) * np.uint8(255), _BACKGROUND_SIDE) >= 128
    labels, count = label_parts(shrunk)
    if count == 0:
        return False
    left, top, right, bottom = part_boxes(labels, count).T
    wide, tall = right - left, bottom - top
    sizes = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    least = CLEAN_PAGE_SHARE * max(shrunk.shape)
    solid = sizes >= CLEAN_PAGE_FILL * wide * tall
    return bool(np.any((wide >= least) & (tall >= least) & solid))


def _evenly_lit(values: np.ndarray) -> bool:
    """Whether the picture's border has one tone all round, however noisy: the
    medians of its eight half-sides agree (a photo's light falls off, a shadow or the
    desk darkens a side)."""
    halves = []
    for side in (values[0], values[-1], values[:, 0], values[:, -1]):
        middle = side.size // 2
        halves += [side[:middle], side[middle:]]
    medians = [float(np.median(half)) for half in halves if half.size]
    return max(medians) - min(medians) <= 2 * CLEAN_LEVELS


def _thin_lines(shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where thin runs of rows (of ``shares``: each row's share of off-paper pixels) that
    are off the paper nearly all along start and stop: printed lines, or a digit's bar.
    A run at the picture's edge is a margin."""
    across = np.concatenate(([False], shares >= CLEAN_LINE_SHARE, [False]))
    starts = np.flatnonzero(~across[:-1] & across[1:])
    ends = np.flatnonzero(across[:-1] & ~across[1:])
    thin = max(2.0, LINE_THICKNESS * shares.size)
    inside = (starts > 0) & (ends < shares.size)
    chosen = ((ends - starts) <= thin) & inside
    return starts[chosen], ends[chosen]


def _ruled(off: np.ndarray, shares: np.ndarray) -> bool:
    """Whether the rows of ``off`` (off-paper pixels; ``shares`` per row) hold printed
    lines: two thin lines across (ruled paper one above another), or one that runs on
    beyond the rest of the picture's marks at both ends (``CLEAN_LINE_FREE_END``: a digit
    written on a line, cropped). A digit cropped tight may have one bar across it."""
    starts, ends = _thin_lines(shares)
    if starts.size != 1:
        return starts.size >= 2
    # The line and its soft edges, as far as a line may be thick each side.
    edge = round(max(2.0, LINE_THICKNESS * off.shape[0]))
    rest = np.ones(off.shape[0], bool)
    rest[max(0, starts[0] - edge) : ends[0] + edge] = False
    along = np.flatnonzero(off[rest].any(axis=0))
    free = CLEAN_LINE_FREE_END * off.shape[1]
    return bool(along.size) and along[0] >= free and along[-1] < off.shape[1] - free


def _shrink(values: np.ndarray, side: int) -> np.ndarray:
    """``values`` (float32) area-averaged so the longer side is at most ``side``."""
    height, width = values.shape
    if max(height, width) <= side:
        return values.astype(np.float32)
    scale = side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if values.dtype == np.uint8:  # a photo's grey levels: floats made once, by Pillow
        image = Image.fromarray(values).convert("F")
    else:
        image = Image.fromarray(values.astype(np.float32), mode="F")
    return np.asarray(image.resize(size, Image.Resampling.BOX), dtype=np.float32)


def resize_values(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``values`` as float32 resized to ``shape`` (bilinear)."""
    image = Image.fromarray(values.astype(np.float32), mode="F")
    resized = image.resize((shape[1], shape[0]), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float32)


def _sliding(values: np.ndarray, radius: int, reduce: np.ufunc) -> np.ndarray:
    """Max or min over a (2r+1)-square window, edges repeated (separable)."""
    out = values
    for axis in (0, 1):
        padded = np.pad(out, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], "edge")
        length = out.shape[axis]
        # Each shift is a view of the padded rows (columns), reduced into one array.
        shifted = padded if axis == 0 else padded.T
        result = shifted[:length].copy()
        for shift in range(1, 2 * radius + 1):
            reduce(result, shifted[shift : shift + length], out=result)
        out = result if axis == 0 else result.T
    return out


def _closing(values: np.ndarray, radius: int) -> np.ndarray:
    """Max then min over (2r+1)-square windows: dark marks narrower than the window
    filled with what is round them."""
    return _sliding(_sliding(values, radius, np.maximum), radius, np.minimum)


def _opening(values: np.ndarray, radius: int) -> np.ndarray:
    """Min then max over (2r+1)-square windows: light marks narrower than the window
    taken away."""
    return _sliding(_sliding(values, radius, np.minimum), radius, np.maximum)


def _radius(small: np.ndarray, share: float) -> int:
    """``share`` of the small copy's longer side, in whole pixels, at least one."""
    return max(1, round(share * max(small.shape)))


def paper_brightness(work: np.ndarray) -> np.ndarray:
    """The paper's brightness at each pixel of ``work`` (dark ink on light paper)."""
    return _brightness_and_dim(work)[0]


def _brightness_and_dim(work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The paper's brightness at each pixel of ``work`` and where the picture is dim:
    far darker than the page's lit part and reaching the frame (the desk beyond the
    page's edge, a deep shadow), widened over the page's own border."""
    small = _shrink(work, _BACKGROUND_SIDE)
    radius = _radius(small, CLOSING_SHARE)
    closed = _closing(small, radius)
    # Near the picture's edge a closing fills the light falling off towards it like a
    # stroke; there a closing a third as wide follows the light, and writing is rare.
    near = max(1, radius // 3)
    tight = _closing(small, near)
    rows, cols = np.arange(small.shape[0]), np.arange(small.shape[1])
    edge = np.minimum.outer(np.minimum(rows, rows[::-1]), np.minimum(cols, cols[::-1]))
    weight = np.clip(edge / radius, 0.0, 1.0).astype(np.float32)
    blended = weight * closed + (1.0 - weight) * tight
    brightness = np.maximum(resize_values(blended, work.shape), 1.0)
    return brightness, _dim(blended, work.shape)


def _dim(brightness: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Where the paper's ``brightness`` (on the small copy; near the frame it follows a
    narrow strip of desk) is under ``DIM_SHARE`` of its lit part's, in parts that reach
    the frame, grown by ``DIM_MARGIN`` of the picture; as a mask of ``shape``."""
    dim = brightness < DIM_SHARE * percentile(brightness, 90)
    labels, count = label_parts(dim)
    if count == 0:
        return np.zeros(shape, bool)
    frame = np.concatenate((labels[0], labels[-1], labels[:, 0], labels[:, -1]))
    reach = np.zeros(count + 1, bool)
    reach[frame] = True
    reach[0] = False
    dim = reach[labels]
    for _ in range(max(1, round(DIM_MARGIN * max(dim.shape)))):
        dim = grow_mask(dim)
    rows = np.minimum(np.arange(shape[0]) * dim.shape[0] // shape[0], dim.shape[0] - 1)
    cols = np.minimum(np.arange(shape[1]) * dim.shape[1] // shape[1], dim.shape[1] - 1)
    return dim[np.ix_(rows, cols)]


def _slants(ys: np.ndarray, xs: np.ndarray, rows: int) -> tuple[float, float]:
    """The slants (tangents) along which the dark pixels pile up into the sharpest rows:
    up to ``TURNED_SLANT`` degrees, and up to ``MAX_SLANT`` (rows after the slant are
    offset by ``rows``, which must exceed the widest shift a slant makes)."""
    turned = (-1.0, 0.0)
    usual = (-1.0, 0.0)
    columns = np.arange(int(xs.max()) + 1)
    for degrees in np.arange(-TURNED_SLANT, TURNED_SLANT + 1e-9, _SLANT_STEP):
        tangent = float(np.tan(np.radians(degrees)))
        # A column's pixels all shift alike: each column's shift is worked out once.
        sheared = ys + (rows - np.round(columns * tangent).astype(np.int64))[xs]
        counts = np.bincount(sheared, minlength=3 * rows).astype(np.float64)
        # Thin lines make sharp peaks; a wide dark band (a shadow's edge, noise along
        # the picture's edge) is taken out by its own running mean.
        around = np.convolve(np.pad(counts, _BAND.size // 2, "edge"), _BAND, mode="valid")
        sharp = np.maximum(counts - around, 0.0)
        score = float(sharp @ sharp)
        if score > turned[0]:
            turned = (score, tangent)
        if abs(degrees) <= MAX_SLANT + 1e-9 and score > usual[0]:
            usual = (score, tangent)
    return turned[1], usual[1]


@dataclass(frozen=True)
class _Lines:
    """The dark pixels of a mask on long straight lines along its rows (slant allowed):
    their rows ``y`` and columns ``x``, the rows just above and below their band there
    (``above``, ``below``), which line (``band``, one number per line), the lines'
    thickness at most (``thick``) and slant."""

    shape: tuple[int, int]
    tangent: float
    thick: int
    y: np.ndarray
    x: np.ndarray
    above: np.ndarray
    below: np.ndarray
    band: np.ndarray


def _find_lines(dark: np.ndarray, across: int, page: tuple[int, int]) -> _Lines:
    """The pixels of ``dark`` on long straight lines along the rows, running off the
    ``page`` (its first and last column), and the lines' slant: up to ``MAX_SLANT``, or
    up to ``TURNED_SLANT`` along ``TURNED_LINES``."""
    height = dark.shape[0]
    thick = max(MIN_LINE_THICKNESS, round(LINE_THICKNESS * height))
    ys, xs = np.nonzero(dark)
    if ys.size == 0:
        return _no_lines(dark.shape, 0.0, thick)
    # Rows after the slant are counted from this offset, so none is negative.
    offset = height + int(np.ceil(dark.shape[1] * np.tan(np.radians(TURNED_SLANT)))) + 1
    # A wide picture's slant is found on a sample; a few thousand pixels decide it.
    step = max(1, ys.size // 20000)
    turned, usual = _slants(ys[::step], xs[::step], offset)
    if turned != usual:
        lines = _lines_along(dark, across, ys, xs, thick, offset, turned, page)
        # How many lines: their bands' first rows are told apart (np.unique imports numpy.ma).
        if np.count_nonzero(np.bincount(lines.band)) >= TURNED_LINES:
            return lines
    return _lines_along(dark, across, ys, xs, thick, offset, usual, page)


def _lines_along(
    dark: np.ndarray,
    across: int,
    ys: np.ndarray,
    xs: np.ndarray,
    thick: int,
    offset: int,
    tangent: float,
    page: tuple[int, int],
) -> _Lines:
    """The pixels ``ys``, ``xs`` of ``dark`` on long straight lines along the slant
    ``tangent`` (``_find_lines``)."""
    sheared_all = ys - np.round(xs * tangent).astype(np.int64) + offset
    counts = np.bincount(sheared_all, minlength=3 * offset).astype(np.float64)
    # A line is a sharp peak of dark rows over what lies around it (a digit a line
    # crosses raises the rows round the line as much as the line's own).
    reach = thick + 2
    around = np.lib.stride_tricks.sliding_window_view(
        np.pad(counts, reach, "edge"), 2 * reach + 1
    ).min(axis=1)
    line_rows = counts - around >= LINE_SHARE * across
    if not line_rows.any():
        return _no_lines(dark.shape, tangent, thick)
    # Bands: runs of line rows widened by one row each side (antialiased edges).
    starts, ends = _run_bounds(line_rows)
    top = np.full(counts.size, -1)
    bottom = np.full(counts.size, -1)
    for start, end in zip(starts, ends, strict=True):
        if 2 * (end - start) > 3 * thick:
            continue  # a thick dark band is no printed line (a shadow's edge, the desk)
        top[max(0, start - 1) : end + 1] = max(0, start - 1)
        bottom[max(0, start - 1) : end + 1] = end
    band = top[sheared_all] >= 0
    if band.any():
        # A printed line runs off the page (or to its edge); a digit's long stroke does
        # not. Each band's columns at once: its pixels grouped by band.
        bands = top[sheared_all[band]]
        order = np.argsort(bands, kind="stable")
        grouped, columns = bands[order], xs[band][order]
        cuts = np.flatnonzero(np.diff(grouped)) + 1
        runs_off = np.zeros(counts.size, bool)
        for first, stop in zip((0, *cuts), (*cuts, grouped.size), strict=True):
            runs_off[grouped[first]] = _runs_off(columns[first:stop], dark.shape[1], page)
        band[band] = runs_off[bands]
    y, x, shear = ys[band], xs[band], sheared_all[band]
    above = y - (shear - top[shear]) - 2
    below = y + (bottom[shear] - shear) + 2
    return _Lines(dark.shape, tangent, thick, y, x, above, below, top[shear])


def _no_lines(shape: tuple[int, int], tangent: float, thick: int) -> _Lines:
    nothing = np.zeros(0, np.int64)
    return _Lines(shape, tangent, thick, nothing, nothing, nothing, nothing, nothing)


def _line_pixels(lines: _Lines, strokes: np.ndarray | None = None) -> np.ndarray:
    """The lines' pixels as a mask, but where a stroke crosses the line (``strokes``
    just above and below its band; none when ``strokes`` is None)."""
    on_line = np.zeros(lines.shape, bool)
    if strokes is None or lines.y.size == 0:
        on_line[lines.y, lines.x] = True
        return on_line
    height, width = lines.shape
    inside = (lines.above >= 0) & (lines.below < height)
    # A stroke crosses at a slant too: dark above on one side and below on the other,
    # as far to each side as the band is high; above and below the line where it runs
    # at those columns (a page turned 15 degrees rises a row every four columns).
    flat = np.ascontiguousarray(strokes).ravel()
    above, below = lines.above[inside], lines.below[inside]
    column, last = lines.x[inside], width - 1
    hit = np.zeros(column.size, bool)
    for shift in range(-lines.thick, lines.thick + 1, 2):  # strokes are 2+ pixels wide
        left, right = np.clip(column - shift, 0, last), np.clip(column + shift, 0, last)
        up = np.clip(above + np.round((left - column) * lines.tangent).astype(np.int64), 0, None)
        down = np.minimum(
            below + np.round((right - column) * lines.tangent).astype(np.int64), height - 1
        )
        hit |= flat[up * width + left] & flat[down * width + right]
    crossed = np.zeros(lines.y.size, bool)
    crossed[inside] = hit
    on_line[lines.y[~crossed], lines.x[~crossed]] = True
    return on_line


def _runs_off(xs: np.ndarray, width: int, page: tuple[int, int]) -> bool:
    """Whether the columns ``xs`` of a band's dark pixels hold a stretch at least
    ``LINE_SHARE`` of ``width`` long, with gaps under ``LINE_GAP`` of it, that reaches
    within ``LINE_END_SHARE`` of ``width`` of the ``page``'s first or last column
    (lines across it only dot a digit's band)."""
    covered = np.zeros(width, bool)
    covered[xs] = True
    columns = np.flatnonzero(covered)
    breaks = np.flatnonzero(np.diff(columns) > LINE_GAP * width)
    firsts = columns[np.concatenate(([0], breaks + 1))]
    lasts = columns[np.concatenate((breaks, [columns.size - 1]))]
    long = lasts - firsts >= LINE_SHARE * width
    reach = LINE_END_SHARE * width
    edge = (firsts <= page[0] + reach) | (lasts >= page[1] - reach - 1)
    return bool(np.any(long & edge))


def _drop_lines(
    dark: np.ndarray, darkness: np.ndarray, dim: np.ndarray
) -> tuple[np.ndarray, float]:
    """``dark`` without ruled or squared lines (rows, then columns), and the slant
    (tangent) of the rows' lines, 0 when there are none. A line runs off the page: to
    the picture's sides, or to the lit page's when the desk shows all round it (``dim``
    along the whole frame; a shadow's dim side is no page's edge). Where a squared
    page's lines cross, neither is a stroke crossing the other: a line's crossings are
    looked for once the whole lines across it are gone. A stroke written along a line
    stays where it is darker than the line (``_darker_than_its_line``)."""
    turned = dark.T.copy()
    page_rows, page_columns = (0, dark.shape[0]), (0, dark.shape[1])
    if dim[0].all() and dim[-1].all() and dim[:, 0].all() and dim[:, -1].all():
        lit_rows, lit_columns = np.flatnonzero(~dim.all(axis=1)), np.flatnonzero(~dim.all(axis=0))
        if lit_rows.size and lit_columns.size:
            page_rows = (int(lit_rows[0]), int(lit_rows[-1]) + 1)
            page_columns = (int(lit_columns[0]), int(lit_columns[-1]) + 1)
    row_lines = _find_lines(dark, dark.shape[1], page_columns)
    column_lines = _find_lines(turned, dark.shape[0], page_rows)
    rows = _line_pixels(row_lines, dark & ~_line_pixels(column_lines).T)
    columns = _line_pixels(column_lines, turned & ~rows.T)
    lines = rows | columns.T
    along = (
        _darker_than_its_line(row_lines, darkness)
        | _darker_than_its_line(column_lines, darkness.T).T
    )
    kept = dark & ~lines
    slant = row_lines.tangent if row_lines.y.size else 0.0
    return kept | _strokes_along_lines(lines & along, kept, row_lines.thick), slant


def _strokes_along_lines(darker: np.ndarray, kept: np.ndarray, thick: int) -> np.ndarray:
    """The parts of ``darker`` (line pixels darker than their line) that are strokes: at
    least a line's ``thick`` long and touching the writing off the lines (a 1's stem
    under its flag). A speck of a line by a stroke's soft edge is no stroke."""
    labels, count = label_parts(darker)
    if not count:
        return darker
    boxes = part_boxes(labels, count)
    long = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) >= thick
    touching = np.zeros(count + 1, bool)
    touching[labels[grow_mask(kept) & darker]] = True
    keep = np.concatenate(([False], long)) & touching
    return keep[labels]


def _darker_than_its_line(lines: _Lines, darkness: np.ndarray) -> np.ndarray:
    """The pixels of ``lines`` at least ``LINE_TONE`` times as dark as their line: a
    printed line has one tone along its length, so they are a stroke written along it.
    A line's tone is the median, along it, of its darkest pixel across it (its core:
    the antialiased edges are lighter); a stroke along less than half its length leaves
    that as it was."""
    darker = np.zeros(lines.shape, bool)
    if lines.y.size == 0:
        return darker
    values = darkness[lines.y, lines.x]
    # The core at each place along each line: the darkest pixel of (band, column).
    place = lines.band.astype(np.int64) * lines.shape[1] + lines.x
    places, index = np.unique(place, return_inverse=True)
    core = np.zeros(places.size)
    np.maximum.at(core, index, values)
    bands, band_of_place = np.unique(places // lines.shape[1], return_inverse=True)
    tone = np.array([np.median(core[band_of_place == b]) for b in range(bands.size)])
    strong = values >= LINE_TONE * tone[band_of_place[index]]
    darker[lines.y[strong], lines.x[strong]] = True
    return darker


@dataclass(frozen=True)
class _Parts:
    """The connected parts of the dark pixels and what tells writing from the rest:
    ``labels``, the flat indices of the parts' ``pixels`` and their ``owners`` (labels),
    then arrays indexed by part (label ``i + 1`` at ``i``): ``means`` is how dark a part's
    core is, ``clear`` by how many noise deviations it stands clear of the paper."""

    labels: np.ndarray
    pixels: np.ndarray
    owners: np.ndarray
    means: np.ndarray
    clear: np.ndarray
    extent: np.ndarray
    touches: np.ndarray
    centres: np.ndarray
    boxes: np.ndarray


def _measure_parts(
    dark: np.ndarray, darkness: np.ndarray, contrast: np.ndarray, slant: float = 0.0
) -> tuple[_Parts, np.ndarray]:
    """The parts of ``dark`` and which are long and dark enough to be writing
    (``darkness`` as a share of the paper's brightness, ``contrast`` in noise units; the
    page's lines run along ``slant``)."""
    labels, count = label_parts(dark)
    # Only the parts' pixels are measured: a tenth of the picture or less.
    pixels = np.flatnonzero(labels)
    owners = labels.ravel()[pixels]
    values = darkness.ravel()[pixels]
    peaks = np.zeros(count + 1, np.float32)
    np.maximum.at(peaks, owners, values)
    peaks = peaks[1:]
    # How dark a part's core is (its pixels at least half as dark as its darkest): a
    # pen's stroke is dark through, however thin; the grain of a desk or of paper at a
    # shadow's edge is grey with a few darker pixels.
    core = values >= 0.5 * peaks.astype(np.float64)[owners - 1]
    sizes = np.bincount(owners[core], minlength=count + 1)[1:]
    means = np.bincount(owners[core], values[core], minlength=count + 1)[1:] / np.maximum(sizes, 1)
    clearance = contrast.ravel()[pixels][core]
    clear = np.bincount(owners[core], clearance, minlength=count + 1)[1:] / np.maximum(sizes, 1)
    left, top, right, bottom = part_boxes(labels, count).T
    extent = np.maximum(bottom - top, right - left).astype(np.float64)
    touches = (top == 0) | (left == 0) | (bottom == dark.shape[0]) | (right == dark.shape[1])
    centres = np.stack(((left + right) / 2.0, (top + bottom) / 2.0), axis=1)
    keep = (extent >= max(3.0, MIN_EXTENT * max(dark.shape))) & (peaks >= MIN_PEAK)
    # What is left of a ruled line the line search missed (cut short by a shadow, broken
    # by the light): long, and thin along the page's lines, as no digit's part is.
    wide = (right - left).astype(np.float64)
    long = wide >= LINE_PIECE_LONG * dark.shape[1]
    thick = _thickness_along(pixels, owners, long, dark.shape[1], slant, bottom - top)
    keep &= ~(long & (thick <= LINE_PIECE_THIN * wide))
    boxes = np.stack((left, top, right, bottom), axis=1)
    return _Parts(labels, pixels, owners, means, clear, extent, touches, centres, boxes), keep


def _thickness_along(
    pixels: np.ndarray,
    owners: np.ndarray,
    chosen: np.ndarray,
    width: int,
    slant: float,
    heights: np.ndarray,
) -> np.ndarray:
    """How thick each part is across lines of ``slant`` (tangent): the spread of its
    rows once the slant is taken out; ``heights`` (its box's) where not ``chosen``."""
    if slant == 0.0 or not chosen.any():
        return heights
    mine = chosen[owners - 1]
    rows, columns = np.divmod(pixels[mine], width)
    sheared = rows - np.round(columns * slant).astype(np.int64)
    low = np.full(chosen.size + 1, np.iinfo(np.int64).max)
    high = np.full(chosen.size + 1, np.iinfo(np.int64).min)
    np.minimum.at(low, owners[mine], sheared)
    np.maximum.at(high, owners[mine], sheared)
    return np.where(chosen, high[1:] - low[1:] + 1, heights)


def _keep_writing(
    dark: np.ndarray,
    darkness: np.ndarray,
    contrast: np.ndarray,
    dim: np.ndarray,
    slant: float = 0.0,
) -> np.ndarray:
    """The parts of ``dark`` that are writing (see the module's step 3): those on the
    lit page when some writing is found there (the desk beyond the page's edge, the edge
    itself and a shadow's rim are dim), else those anywhere (the page's lines run along
    ``slant``)."""
    if not dark.any():
        return dark
    parts, keep = _measure_parts(dark, darkness, contrast, slant)
    owners = parts.owners
    in_dim = np.bincount(owners, dim.ravel()[parts.pixels], minlength=keep.size + 1)[1:]
    lit = in_dim < DIM_PART_SHARE * np.bincount(owners, minlength=keep.size + 1)[1:]
    inside = keep & ~parts.touches
    # Writing is inside the frame wherever some part is: the lit rim of a deep shadow
    # along the frame is no writing beside a digit in the shadow.
    chosen = _writing_among(parts, (inside if inside.any() else keep) & lit)
    if chosen.any() and _outdone(parts, chosen, inside & ~lit):
        chosen[:] = False
    if chosen.any():
        chosen = _grow_into_dim(parts, keep, lit, chosen)
    else:
        chosen = _writing_among(parts, keep)
    return np.concatenate(([False], chosen))[parts.labels]


def _outdone(parts: _Parts, chosen: np.ndarray, dim: np.ndarray) -> bool:
    """Whether the lit writing ``chosen`` is a scrap or a smudge beside writing in the
    ``dim`` parts: some dim part at least ``FAINT_SHARE`` as dark and ``SCRAP_CLEAR`` as
    clear of the noise is over ``1 / SCRAP_SHARE`` times longer, or one at least
    ``SPECK_SHARE`` as long and not thin (as wide as ``SPECK_SHARE`` of its length) is so
    much darker that the lit writing would be too faint beside it. (The desk beyond the
    page's edge is long but faint, and the page's dark edge thin or barely clear of the
    noise: neither outdoes a digit on the page, however small; nor does a dim part all
    round the writing: the page's edge, the page lying on a desk.)"""
    size = float(parts.extent[chosen].max())
    strength = float(parts.means[chosen].max())
    clear = float(parts.clear[chosen].max())
    extent, means = parts.extent[dim], parts.means[dim]
    boxes = parts.boxes[dim]
    narrow = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    longer = (extent * SCRAP_SHARE > size) & (means >= FAINT_SHARE * strength)
    longer &= parts.clear[dim] >= SCRAP_CLEAR * clear
    darker = (narrow >= SPECK_SHARE * extent) & (extent >= SPECK_SHARE * size)
    darker &= FAINT_SHARE * means > strength
    # A dim part all round the lit writing is the page's edge with the desk beyond it.
    x0, y0 = parts.boxes[chosen, :2].min(axis=0)
    x1, y1 = parts.boxes[chosen, 2:].max(axis=0)
    around = (boxes[:, 0] <= x0) & (boxes[:, 1] <= y0) & (boxes[:, 2] >= x1) & (boxes[:, 3] >= y1)
    return bool(np.any((longer | darker) & ~around))


def _grow_into_dim(
    parts: _Parts, keep: np.ndarray, lit: np.ndarray, chosen: np.ndarray
) -> np.ndarray:
    """The lit writing ``chosen`` with the dim parts that go on from it: those beside it
    (a digit crossing into a shadow), then digit-sized ones in line with it, one after
    another (a number whose last digits lie in the dim corner of the light), with the
    pieces of each such dim digit (a line may cut one in two)."""
    heights = parts.boxes[:, 3] - parts.boxes[:, 1]
    beside = _beside(parts.boxes, chosen) & (heights <= BESIDE_SIZE * _height(parts, chosen))
    chosen = _writing_among(parts, keep & (lit | beside))
    for _ in range(MAX_IN_LINE):
        if not chosen.any():
            break
        near = _in_line(parts, chosen) | _on_digits(parts.boxes, chosen & ~lit)
        grown = _writing_among(parts, keep & (lit | chosen | near))
        if np.array_equal(grown, chosen):
            break
        chosen = grown
    return chosen


def _height(parts: _Parts, chosen: np.ndarray) -> float:
    """How tall the ``chosen`` parts' box is."""
    return float(parts.boxes[chosen, 3].max() - parts.boxes[chosen, 1].min())


def _beside(boxes: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Which parts' boxes meet the box of the ``chosen`` parts widened by
    ``BESIDE_SHARE`` of its height (of a digit's, however long the number)."""
    x0, y0 = boxes[chosen, 0].min(), boxes[chosen, 1].min()
    x1, y1 = boxes[chosen, 2].max(), boxes[chosen, 3].max()
    return np.asarray(_meeting(boxes, np.array([[x0, y0, x1, y1]])).any(axis=1))


def _on_digits(boxes: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """Which parts are no taller than one of the ``digits`` and meet its box widened by
    ``BESIDE_SHARE`` of its height: the rest of a digit in a shadow that a line broke."""
    own = boxes[digits]
    heights = boxes[:, 3] - boxes[:, 1]
    shorter = heights[:, None] <= (own[:, 3] - own[:, 1])[None, :]
    return np.asarray((_meeting(boxes, own) & shorter).any(axis=1))


def _meeting(boxes: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Whether each of ``boxes`` meets each of the ``targets`` boxes widened by
    ``BESIDE_SHARE`` of its height (boxes by targets)."""
    x0, y0, x1, y1 = (targets[None, :, side] for side in range(4))
    margin = BESIDE_SHARE * (y1 - y0)
    return np.asarray(
        (boxes[:, 0:1] < x1 + margin)
        & (boxes[:, 2:3] > x0 - margin)
        & (boxes[:, 1:2] < y1 + margin)
        & (boxes[:, 3:4] > y0 - margin)
    )


def _in_line(parts: _Parts, chosen: np.ndarray) -> np.ndarray:
    """Which digit-sized parts lie in line with the ``chosen`` writing: sideways within
    ``IN_LINE_GAP`` of its height of one of its parts, sharing its rows, as dark (or
    nearly, and clear of the noise)."""
    boxes = parts.boxes.astype(np.float64)
    near = boxes[chosen]
    tall = float((near[:, 3] - near[:, 1]).max())
    top, bottom = near[:, 1].min(), near[:, 3].max()
    heights = boxes[:, 3] - boxes[:, 1]
    shared = np.minimum(boxes[:, 3], bottom) - np.maximum(boxes[:, 1], top)
    gap = IN_LINE_GAP * tall
    meets = (
        (boxes[:, 0:1] < near[None, :, 2] + gap)
        & (boxes[:, 2:3] > near[None, :, 0] - gap)
        & (boxes[:, 1:2] < near[None, :, 3])
        & (boxes[:, 3:4] > near[None, :, 1])
    ).any(axis=1)
    strength = float(median(parts.means[chosen]))
    dark = parts.means >= IN_LINE_DARKNESS * strength
    dark |= (parts.means >= IN_LINE_FAINT * strength) & (parts.clear >= IN_LINE_CLEAR)
    sized = parts.extent >= IN_LINE_SIZE * tall
    return np.asarray(meets & sized & dark & (shared >= IN_LINE_ROWS * heights))


def _writing_among(parts: _Parts, keep: np.ndarray) -> np.ndarray:
    """Which of the ``keep`` parts are writing: inside the frame, not much fainter than
    the strongest, not specks, not alone."""
    if (keep & ~parts.touches).any():
        keep = keep & ~parts.touches  # the desk, a shadow's band: writing is inside
    if not keep.any():
        return keep
    extent, means = parts.extent, parts.means
    # The strongest writing: the darkest of the biggest parts (a speck can be black).
    big = keep & (extent >= 0.5 * extent[keep].max())
    strongest = float(means[big].max()) if big.any() else float(means[keep].max())
    keep = keep & (means >= FAINT_SHARE * strongest)
    if keep.any():
        tallest = extent[keep].max()
        keep &= extent >= SPECK_SHARE * tallest
        # Small parts far from every big one are no part of the writing (a desk's
        # grain, a mark on the paper): writing's small parts sit beside its digits.
        big = keep & (extent >= ALONE_SHARE * tallest)
        offsets = parts.centres[:, None, :] - parts.centres[big][None, :, :]
        gap = np.hypot(offsets[..., 0], offsets[..., 1]).min(axis=1)
        keep &= big | (gap <= ALONE_DISTANCE * tallest)
    return keep


def _noise(drop: np.ndarray) -> np.ndarray:
    """The noise's deviation around each pixel: the median absolute deviation of
    ``drop`` in blocks, the least of each block and its neighbours (a block full of
    writing borrows its neighbour's paper), never below the picture's own."""
    side = max(8, round(max(drop.shape) / _NOISE_BLOCKS))
    rows, cols = -(-drop.shape[0] // side), -(-drop.shape[1] // side)
    padded = np.pad(
        drop, ((0, rows * side - drop.shape[0]), (0, cols * side - drop.shape[1])), "edge"
    )
    blocks = padded.reshape(rows, side, cols, side).transpose(0, 2, 1, 3).reshape(rows, cols, -1)
    middle = median(blocks, axis=2)[..., np.newaxis]
    spread = (_MAD_PER_SIGMA * median(np.abs(blocks - middle), axis=2)).astype(np.float32)
    whole = max(_MAD_PER_SIGMA * float(median(np.abs(drop - median(drop)))), 0.5)
    local = np.maximum(_sliding(spread, 1, np.minimum), whole)
    return np.repeat(np.repeat(local, side, axis=0), side, axis=1)[: drop.shape[0], : drop.shape[1]]


def _light_on_dark(work: np.ndarray) -> bool:
    """Whether ``work`` is light writing on a dark board: even its lighter part is dark
    (paper in a shadow still has its lit part), and its thin marks stand out lighter
    than the board more than darker (paper wholly in a shadow has dark writing)."""
    if percentile(work[::4, ::4], 80) >= DARK_BOARD:
        return False
    small = _shrink(work, _BACKGROUND_SIDE)
    if percentile(_opening(small, _radius(small, CLOSING_SHARE)), 99) >= LIT_PAPER:
        return False
    radius = _radius(small, POLARITY_SHARE)
    closed = _closing(small, radius)
    opened = _opening(small, radius)
    darker = percentile(closed - small, 99)
    lighter = percentile(small - opened, 99)
    return darker < DARK_MARKS * lighter


def paper_writing(values: np.ndarray, photo: bool = False) -> np.ndarray | None:
    """The writing on a photo of paper as uint8 bright ink on black, ``values`` (8-bit
    luminance) shrunk to at most ``WORK_SIDE`` long; ``None`` when it looks clean (never
    for a ``photo``: a part of one)."""
    if values.size == 0 or (not photo and looks_clean(values)):
        return None
    work = _shrink(values, WORK_SIDE)
    # Light writing on a dark board: even the lighter part of the picture is dark (paper
    # in a shadow still has its lit part).
    if _light_on_dark(work):
        work = 255.0 - work
    paper, dim = _brightness_and_dim(work)
    drop = paper - work
    darkness = np.maximum(drop, 0.0) / paper
    noise = _noise(drop)
    dark = (drop > NOISE_SIGMAS * noise) & (darkness > MIN_DARKNESS)
    contrast = drop / noise
    dark, slant = _drop_lines(dark, darkness, dim)
    dark = _keep_writing(dark, darkness, contrast, dim, slant)
    if not dark.any():
        return np.zeros(work.shape, np.uint8)
    strong = percentile(darkness[dark], 90)
    # One pixel round the found strokes keeps their soft edges, as a scan has them.
    dark = grow_mask(dark) & (darkness > 0.5 * MIN_DARKNESS)
    ink = np.where(dark, np.minimum(darkness / max(strong, 1e-3), 1.0), 0.0)
    return np.clip(ink * 255.0 + 0.5, 0, 255).astype(np.uint8)
