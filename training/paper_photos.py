"""Synthetic photos and scans of digits written on paper, for choosing and checking how
digitpad finds writing on paper.

Nobody here can photograph thousands of notepads, and the writers of a real set would
have to stay apart from the tuning anyway. So real handwriting (MNIST's and pendigits'
writers) is put onto paper the way a phone sees it: the light falls off across the page,
a hand or phone casts a soft shadow, the page's edge and the desk beyond it enter the
frame, the paper is ruled or squared (the lines sometimes the same blue as the ink), the
ink is blue, black or pencil on tinted paper, the page is turned a little, and the camera
blurs, adds noise and saves a JPEG. Clean scans and light chalk on a dark board too.

Writers are split as everywhere else in training: pendigits by ``WRITER_SPLIT``; MNIST's
test set's first half (NIST's SD-3 writers) is the validation half and its second half
(SD-1 writers, disjoint from SD-3) the test half, so no photo shows a digit the models
trained on. Every photo is a pure function of its seed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from digitpad.core import Point, Stroke, rasterise_strokes
from training.data import MNIST_DIR, load_split
from training.pendigits import PenDigit, load_pendigits, split_by_writer

# What the evaluation reports per kind: every photo kind has falloff, blur, noise, JPEG
# and a slight turn; "shadow" and "page_edge" add their own trouble on any paper.
PHOTO_KINDS = ("plain", "ruled", "squared", "shadow", "page_edge", "dark")
KINDS = (*PHOTO_KINDS, "scan")
# The photos of numbers are numbered from here, so none repeats a lone digit's seed.
NUMBER_SEEDS = 100_000
SPLITS = ("train", "validation", "test")
# How many times the writing's height a photo is, and by how many degrees the page is
# turned, drawn uniformly: a phone held close and nearly square to the page
# (``training.harder_photos`` holds it further away, or more crooked).
FRAME = (2.2, 5.0)
SCAN_FRAME = (2.2, 4.5)
TURN = (-6.0, 6.0)
SCAN_TURN = (-1.5, 1.5)
_MNIST_HALF = 5000

_INKS = {
    "blue": ((25, 45, 150), (0.85, 1.0)),
    "black": ((25, 25, 35), (0.85, 1.0)),
    "pencil": ((70, 70, 75), (0.45, 0.75)),
}
_PRINTED_LINES = ((140, 175, 225), (165, 165, 170), (150, 200, 170))
_PAPERS = ((250, 250, 248), (246, 240, 220), (252, 243, 160), (236, 238, 240), (240, 246, 255))
_DESKS = ((95, 62, 40), (60, 60, 62), (25, 25, 28), (150, 120, 90), (120, 125, 130))
_BOARDS = ((40, 60, 50), (45, 45, 50), (25, 30, 35))


@dataclass(frozen=True)
class PaperPhoto:
    """One synthetic picture and what is written on it.

    ``image`` is (H, W, 3) uint8 as a file would hold it (after JPEG where the camera
    saved one); ``ink`` is the writing's own mask (True where the pen went), ``boxes``
    each digit's ``(x0, y0, x1, y1)`` in pixels, left to right like ``labels``.
    """

    image: np.ndarray
    labels: tuple[int, ...]
    kind: str
    ink: np.ndarray
    boxes: tuple[tuple[int, int, int, int], ...]

    @property
    def text(self) -> str:
        return "".join(str(label) for label in self.labels)


@dataclass(frozen=True)
class Writers:
    """One split's handwriting: MNIST digits (bright on dark) and pendigits' digits."""

    mnist_images: np.ndarray
    mnist_labels: np.ndarray
    pen: tuple[PenDigit, ...]

    def by_writer(self) -> dict[int, list[PenDigit]]:
        grouped: dict[int, list[PenDigit]] = {}
        for digit in self.pen:
            grouped.setdefault(digit.writer, []).append(digit)
        return grouped


@cache
def writers(split: str) -> Writers:
    """The handwriting of ``split`` (``train``, ``validation`` or ``test``)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: one of {', '.join(SPLITS)}")
    if split == "train":
        train = load_split(MNIST_DIR, "train")
        images, labels = train.images, train.labels
    else:
        test = load_split(MNIST_DIR, "test")
        half = slice(0, _MNIST_HALF) if split == "validation" else slice(_MNIST_HALF, None)
        images, labels = test.images[half], test.labels[half]
    return Writers(images, labels, tuple(split_by_writer(load_pendigits(), split)))


# ----- glyphs: one digit's ink (float32 0..1) at a given height ------------------------


def mnist_glyph(image: np.ndarray, height: int) -> np.ndarray:
    """An MNIST digit enlarged to ``height`` pixels, its soft edges sharpened a little
    as a pen's are at that size."""
    rows, cols = np.flatnonzero(image.max(axis=1)), np.flatnonzero(image.max(axis=0))
    crop = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    width = max(1, round(crop.shape[1] * height / crop.shape[0]))
    big = np.asarray(Image.fromarray(crop).resize((width, height), Image.Resampling.BICUBIC))
    return np.clip((big.astype(np.float32) / 255.0 - 0.2) / 0.5, 0.0, 1.0)


def pen_glyph(digit: PenDigit, height: int, pen: float) -> np.ndarray:
    """A pendigits digit written ``height`` pixels tall with a pen ``pen`` pixels wide."""
    return strokes_glyph(digit.screen_strokes(), height, pen)


def strokes_glyph(screen_strokes: Sequence[np.ndarray], height: int, pen: float) -> np.ndarray:
    """Strokes (arrays of x, y points, y pointing down) written ``height`` pixels tall
    with a pen ``pen`` pixels wide."""
    points = np.concatenate(screen_strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = (height - pen) / max(float(high[1] - low[1]), 1.0)
    width = max(1, round((high[0] - low[0]) * scale + pen))
    offset = low - pen / 2.0 / scale
    strokes = [
        Stroke(tuple(Point(float(x), float(y)) for x, y in (s - offset) * scale), pen)
        for s in screen_strokes
    ]
    return rasterise_strokes(strokes, (height, width)).astype(np.float32) / 255.0


def _glyphs(
    source: Writers, rng: np.random.Generator, count: int, height: int
) -> tuple[list[np.ndarray], list[int]]:
    """``count`` digits by one writer (a pendigits writer, or MNIST digits)."""
    if rng.random() < 0.5:
        picks = rng.choice(len(source.mnist_labels), size=count, replace=False)
        glyphs = [mnist_glyph(source.mnist_images[i], height) for i in picks]
        return glyphs, [int(source.mnist_labels[i]) for i in picks]
    grouped = source.by_writer()
    own = grouped[sorted(grouped)[int(rng.integers(len(grouped)))]]
    pen = height * float(rng.uniform(0.05, 0.12))
    picks = rng.choice(len(own), size=count, replace=False)
    chosen = [own[int(i)] for i in picks]
    return [pen_glyph(d, height, max(pen, 1.5)) for d in chosen], [d.label for d in chosen]


# ----- the page -----------------------------------------------------------------------


def _noise_field(rng: np.random.Generator, shape: tuple[int, int], blur: float) -> np.ndarray:
    """Smooth random texture, zero mean, unit-ish spread."""
    small = (max(2, int(shape[0] / blur)), max(2, int(shape[1] / blur)))
    field = Image.fromarray(rng.normal(0.0, 1.0, small).astype(np.float32))
    return np.asarray(field.resize((shape[1], shape[0]), Image.Resampling.BICUBIC))


def _draw_lines(
    size: tuple[int, int],
    spacing: float,
    width: float,
    phase: float,
    vertical: bool,
) -> np.ndarray:
    """Lines every ``spacing`` pixels as coverage 0..1 (drawn at 4x and reduced)."""
    height, wide = size
    big = Image.new("L", (wide * 4, height * 4), 0)
    draw = ImageDraw.Draw(big)
    position = phase
    limit = wide if vertical else height
    while position < limit:
        p = int(position * 4)
        if vertical:
            draw.rectangle((p, 0, p + max(1, int(width * 4)) - 1, height * 4), fill=255)
        else:
            draw.rectangle((0, p, wide * 4, p + max(1, int(width * 4)) - 1), fill=255)
        position += spacing
    return np.asarray(big.reduce(4)).astype(np.float32) / 255.0


@dataclass
class _Layout:
    ink: np.ndarray  # float32 0..1, the page's size
    labels: np.ndarray  # uint8, digit index + 1 where its ink is


def _write(
    glyphs: Sequence[np.ndarray], rng: np.random.Generator, size: tuple[int, int], touch: float
) -> _Layout:
    """Glyphs side by side around the page's middle; ``touch`` is the share of gaps that
    make neighbours touch or overlap."""
    height, width = size
    tall = max(g.shape[0] for g in glyphs)
    gaps = [
        tall * float(rng.uniform(-0.15, 0.0) if rng.random() < touch else rng.uniform(0.08, 0.4))
        for _ in glyphs[1:]
    ]
    total = sum(g.shape[1] for g in glyphs) + sum(gaps)
    left = width / 2 - total / 2 + float(rng.uniform(-0.08, 0.08)) * width
    top0 = height / 2 - tall / 2 + float(rng.uniform(-0.08, 0.08)) * height
    ink = np.zeros(size, np.float32)
    labels = np.zeros(size, np.uint8)
    for index, glyph in enumerate(glyphs):
        top = round(top0 + tall * float(rng.normal(0.0, 0.04)) + (tall - glyph.shape[0]))
        x = round(left)
        h, w = glyph.shape
        region = ink[top : top + h, x : x + w]
        np.maximum(region, glyph[: region.shape[0], : region.shape[1]], out=region)
        own = labels[top : top + h, x : x + w]
        own[glyph[: own.shape[0], : own.shape[1]] > 0.3] = index + 1
        left += w + (gaps[index] if index < len(gaps) else 0.0)
    return _Layout(ink, labels)


def _rotate(array: np.ndarray, angle: float, nearest: bool = False) -> np.ndarray:
    resample = Image.Resampling.NEAREST if nearest else Image.Resampling.BICUBIC
    if array.ndim == 3:
        return np.stack([_rotate(array[..., c], angle, nearest) for c in range(3)], axis=-1)
    return np.asarray(Image.fromarray(array).rotate(angle, resample=resample))


def _lighting(
    rng: np.random.Generator, size: tuple[int, int], strong: bool, shadow: bool
) -> np.ndarray:
    """How much light reaches each pixel: falloff across the page, a vignette, maybe a
    soft shadow (a hand or a phone), and the light's colour: (H, W, 3) float32."""
    height, width = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    x, y = x / width, y / height
    angle = float(rng.uniform(0, 2 * np.pi))
    along = (np.cos(angle) * (x - 0.5) + np.sin(angle) * (y - 0.5)) + 0.5
    falloff = float(rng.uniform(0.1, 0.45) if strong else rng.uniform(0.0, 0.2))
    cx, cy = rng.uniform(-0.2, 1.2, 2)
    vignette = float(rng.uniform(0.0, 0.35) if strong else rng.uniform(0.0, 0.1))
    light = (1.0 - falloff * along) * (1.0 - vignette * ((x - cx) ** 2 + (y - cy) ** 2))
    light *= float(rng.uniform(0.7, 1.0) if strong else rng.uniform(0.92, 1.0))
    if shadow:
        light *= _shadow(rng, size)
    tint = np.array([1.0, rng.uniform(0.94, 1.0), rng.uniform(0.82, 1.0)], np.float32)
    return np.clip(light, 0.05, 1.0)[..., None] * tint


def _shadow(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A soft-edged shadow: a blob (a hand, a phone) or a band from a side, crossing
    much of the frame, multiplying the light by 0.35-0.75."""
    height, width = size
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    if rng.random() < 0.5:
        cx, cy = rng.uniform(-0.2, 1.2) * width, rng.uniform(-0.2, 1.2) * height
        rx, ry = rng.uniform(0.3, 0.8) * width, rng.uniform(0.3, 0.8) * height
        draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    else:
        a, b = rng.uniform(0.2, 0.8, 2)
        corners = [(a * width, -10), (b * width, height + 10), (width + 10, height + 10)]
        corners.append((width + 10, -10))
        if rng.random() < 0.5:
            corners = [(width - px, py) for px, py in corners]
        draw.polygon(corners, fill=255)
    blur = float(rng.uniform(0.006, 0.05)) * min(size)
    soft = np.asarray(mask.filter(ImageFilter.GaussianBlur(blur))).astype(np.float32) / 255.0
    depth = float(rng.uniform(0.35, 0.75))
    return 1.0 - (1.0 - depth) * soft


def _page_edge(
    rng: np.random.Generator, size: tuple[int, int], keep: tuple[int, int, int, int]
) -> np.ndarray:
    """Where the page is (1) and the desk beyond its edge (0), the edge slanted a little
    and never over ``keep`` (the writing's box)."""
    height, width = size
    x0, y0, x1, y1 = keep
    side = int(rng.integers(4))
    room = (x0, y0, width - x1, height - y1)[side]
    depth = float(rng.uniform(0.3, 0.85)) * max(room - 6, 2)
    slope = float(rng.uniform(-0.12, 0.12))
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    distance = (x, y, width - 1 - x, height - 1 - y)[side]
    across = (y - height / 2, x - width / 2, y - height / 2, x - width / 2)[side]
    edge = depth + slope * across - abs(slope) * (height if side in (0, 2) else width) / 2
    return np.clip(distance - edge + 0.5, 0.0, 1.0)


def paper_photo(
    rng: np.random.Generator,
    glyphs: Sequence[np.ndarray],
    labels: Sequence[int],
    kind: str,
    frame: tuple[float, float] | None = None,
    turn: tuple[float, float] | None = None,
    on_desk: tuple[float, float] | None = None,
) -> PaperPhoto:
    """One picture of ``glyphs`` written on paper as ``kind`` (see ``KINDS``), ``frame``
    times as tall as the writing (default ``FRAME``, ``SCAN_FRAME`` for a scan) and
    turned by ``turn`` degrees (default ``TURN``, ``SCAN_TURN``); with ``on_desk``, the page
    lies on a desk that shows all round it (``_on_a_desk``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    tall = max(g.shape[0] for g in glyphs)
    wide = sum(g.shape[1] for g in glyphs) + tall * 0.3 * (len(glyphs) - 1)
    scale = float(rng.uniform(*(frame or (SCAN_FRAME if kind == "scan" else FRAME))))
    height = int(max(tall * scale, wide * 0.75 * 1.3))
    width = int(max(height * float(rng.uniform(0.75, 1.4)), wide * 1.3))
    margin = int(0.1 * max(height, width))
    big = (height + 2 * margin, width + 2 * margin)
    layout = _write(glyphs, rng, big, touch=0.45)

    dark = kind == "dark"
    lined = {"ruled": 1.0, "squared": 1.0, "shadow": 0.5, "page_edge": 0.5, "scan": 0.25}
    paper_kind = kind if kind in ("ruled", "squared") else "plain"
    if kind not in ("ruled", "squared", "plain", "dark") and rng.random() < lined[kind]:
        paper_kind = "ruled" if rng.random() < 0.5 else "squared"
    ink_name = ("blue", "black", "pencil")[int(rng.integers(3))]
    ink_colour, opacity = _INKS[ink_name]
    if dark:
        paper = np.array(_BOARDS[int(rng.integers(len(_BOARDS)))], np.float32)
        ink_colour, opacity = (235, 235, 225), (0.7, 0.95)
    elif kind == "scan" and rng.random() < 0.6:
        paper = np.array(_PAPERS[0], np.float32)
    else:
        paper = np.array(_PAPERS[int(rng.integers(len(_PAPERS)))], np.float32)
    albedo: np.ndarray = np.broadcast_to(paper, (*big, 3)).copy()
    albedo *= 1.0 + 0.015 * _noise_field(rng, big, 3.0)[..., None]
    if paper_kind != "plain":
        spacing = tall * float(
            rng.uniform(0.45, 0.9) if paper_kind == "squared" else rng.uniform(0.8, 1.5)
        )
        line_width = float(rng.uniform(0.8, 2.5))
        same_as_ink = rng.random() < 0.35
        colour = np.array(
            ink_colour if same_as_ink else _PRINTED_LINES[int(rng.integers(3))], np.float32
        )
        strength = float(rng.uniform(0.6, 0.9) if same_as_ink else rng.uniform(0.5, 1.0))
        lines = _draw_lines(big, spacing, line_width, float(rng.uniform(0, spacing)), False)
        if paper_kind == "squared":
            vertical = _draw_lines(big, spacing, line_width, float(rng.uniform(0, spacing)), True)
            lines = np.maximum(lines, vertical)
        lined_cover = (strength * lines)[..., None]
        albedo = albedo * (1.0 - lined_cover) + colour * lined_cover
    cover = layout.ink * float(rng.uniform(*opacity))
    if ink_name == "pencil" and not dark:
        cover *= np.clip(0.75 + 0.35 * _noise_field(rng, big, 1.5), 0.3, 1.0)
    if dark:
        cover *= np.clip(0.85 + 0.3 * _noise_field(rng, big, 1.2), 0.4, 1.0)
    ink_cover = cover[..., None]
    albedo = albedo * (1.0 - ink_cover) + np.array(ink_colour, np.float32) * ink_cover

    angle = float(rng.uniform(*(turn or (SCAN_TURN if kind == "scan" else TURN))))
    page = _rotate(np.clip(albedo, 0, 255).astype(np.uint8), angle)
    ink = _rotate((layout.ink * 255).astype(np.uint8), angle)
    owner = _rotate(layout.labels, angle, nearest=True)
    crop = (slice(margin, margin + height), slice(margin, margin + width))
    page, ink, owner = page[crop].astype(np.float32), ink[crop] > 100, owner[crop]
    boxes = []
    for index in range(1, len(glyphs) + 1):
        rows, cols = np.nonzero(owner == index)
        boxes.append((int(cols.min()), int(rows.min()), int(cols.max()) + 1, int(rows.max()) + 1))

    size = (height, width)
    if kind == "page_edge":
        keep = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        on_page = _page_edge(rng, size, keep)[..., None]
        desk = np.array(_DESKS[int(rng.integers(len(_DESKS)))], np.float32)
        grain = 1.0 + 0.12 * _noise_field(rng, size, float(rng.uniform(2.0, 12.0)))[..., None]
        page = page * on_page + desk * grain * (1.0 - on_page)
    if kind == "scan":
        light = _lighting(rng, size, strong=False, shadow=False)
        light = 0.5 + 0.5 * light
    else:
        light = _lighting(rng, size, strong=True, shadow=kind == "shadow")
    photo = page * light
    if on_desk is not None:
        photo, ink, boxes = _on_a_desk(rng, photo, ink, boxes, on_desk)
    photo = _camera(rng, photo, scan=kind == "scan")
    return PaperPhoto(photo, tuple(int(label) for label in labels), kind, ink, tuple(boxes))


def _on_a_desk(
    rng: np.random.Generator,
    photo: np.ndarray,
    ink: np.ndarray,
    boxes: list[tuple[int, int, int, int]],
    share: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int, int]]]:
    """The page (``photo``, lit) lying on a desk that shows all round it, ``share`` (drawn
    between its two values) of the page's longer side wide each side: a sticky note or a
    small sheet photographed from above. The ink mask and the boxes move with the page."""
    pad = max(1, int(max(photo.shape[:2]) * float(rng.uniform(*share))))
    size = (photo.shape[0] + 2 * pad, photo.shape[1] + 2 * pad)
    colour = np.array(_DESKS[int(rng.integers(len(_DESKS)))], np.float32)
    grain = 1.0 + 0.12 * _noise_field(rng, size, float(rng.uniform(2.0, 12.0)))[..., None]
    around = colour * grain * float(rng.uniform(0.6, 1.0))
    around[pad : pad + photo.shape[0], pad : pad + photo.shape[1]] = photo
    moved = [(x0 + pad, y0 + pad, x1 + pad, y1 + pad) for x0, y0, x1, y1 in boxes]
    return around, np.pad(ink, pad), moved


def _camera(rng: np.random.Generator, photo: np.ndarray, scan: bool) -> np.ndarray:
    """Blur, sensor noise and the JPEG a phone (or a scanner) saves."""
    blur = float(rng.uniform(0.0, 0.6) if scan else rng.uniform(0.3, 1.5))
    noise = float(rng.uniform(0.0, 2.0) if scan else rng.uniform(1.0, 6.0))
    image = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
    if blur > 0.05:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    values = np.asarray(image).astype(np.float32)
    values += rng.normal(0.0, noise, values.shape).astype(np.float32)
    image = Image.fromarray(np.clip(values, 0, 255).astype(np.uint8))
    if scan and rng.random() < 0.4:
        return np.asarray(image)  # saved as PNG
    quality = int(rng.integers(80, 96) if scan else rng.integers(30, 91))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return np.asarray(Image.open(buffer).convert("RGB"))


def make_photo(
    split: str,
    kind: str,
    seed: int,
    digits: int = 1,
    frame: tuple[float, float] | None = None,
    turn: tuple[float, float] | None = None,
    on_desk: tuple[float, float] | None = None,
) -> PaperPhoto:
    """The photo number ``seed`` of ``kind`` with ``digits`` digits by ``split``'s writers
    (``frame``, ``turn`` and ``on_desk``: see ``paper_photo``).

    The same arguments give the same picture, bit for bit.
    """
    rng = np.random.default_rng([seed, KINDS.index(kind), digits, SPLITS.index(split)])
    height = int(rng.integers(36, 180) if digits == 1 else rng.integers(30, 120))
    glyphs, labels = _glyphs(writers(split), rng, digits, height)
    return paper_photo(rng, glyphs, labels, kind, frame, turn, on_desk)


def photos(
    split: str, kind: str, count: int, digits: tuple[int, int] = (1, 1), first_seed: int = 0
) -> Iterator[PaperPhoto]:
    """``count`` photos of ``kind``, each of ``digits[0]``..``digits[1]`` digits."""
    for seed in range(first_seed, first_seed + count):
        length = digits[0] + seed % (digits[1] - digits[0] + 1)
        yield make_photo(split, kind, seed, length)
