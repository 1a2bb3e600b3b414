"""Things people put on the canvas that are not digits: letters, scribbles, dots, shapes.

The models learn to answer them with even probabilities (outlier exposure), and the
"not a digit" threshold is chosen on them. Two disjoint families exist so rejection is
measured on things training never saw: ``TRAINING_KINDS`` with ``TRAINING_FONTS``, and
``HELD_OUT_KINDS`` with ``HELD_OUT_FONTS`` (other font families, other generators).

Letters that really look like a digit when handwritten are left out
(``DIGIT_LIKE_LETTERS``): O o Q D (0), I l i (1), Z z (2), S s (5), B (8), b G (6),
g q (9), T (a 7 with a straight stem), J (a 1 with a hook). A vertical line is a 1
and a circle a 0, so lines stay within 35 degrees of horizontal and no shape is round.

Each maker takes a numpy ``Generator`` and returns strokes on the canvas (``Stroke``
values, drawn like a person's) or a picture (letters typed in a font).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitpad.core import Point, Stroke
from training.drawn import CANVAS_SIZE, random_placement
from training.pen_styles import distort

DIGIT_LIKE_LETTERS = "OoQDIliZzSsBbGgqTJ"
LETTERS = "".join(c for c in string.ascii_letters if c not in DIGIT_LIKE_LETTERS)
# The fonts ship with the repository (training/fonts/README.md), laid out as /usr/share/fonts
# was where the models were trained: letters are the same on every machine.
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
TRAINING_FONTS = ("DejaVuSans", "DejaVuSerif", "DejaVuSansMono", "NimbusSans", "NimbusRoman")
HELD_OUT_FONTS = ("URWGothic", "URWBookman", "C059", "P052", "Z003", "NimbusMonoPS")

Polylines = list[list[tuple[float, float]]]
# Capital letters as a person draws them: strokes of (x, y) in a unit box, y down.
_LETTER_STROKES: dict[str, Polylines] = {
    "A": [[(0, 1), (0.5, 0), (1, 1)], [(0.22, 0.6), (0.78, 0.6)]],
    "E": [[(1, 0), (0, 0), (0, 1), (1, 1)], [(0, 0.5), (0.7, 0.5)]],
    "F": [[(1, 0), (0, 0), (0, 1)], [(0, 0.5), (0.7, 0.5)]],
    "H": [[(0, 0), (0, 1)], [(1, 0), (1, 1)], [(0, 0.5), (1, 0.5)]],
    "K": [[(0, 0), (0, 1)], [(0.9, 0), (0, 0.55), (1, 1)]],
    "L": [[(0, 0), (0, 1), (0.7, 1)]],
    "M": [[(0, 1), (0, 0), (0.5, 0.6), (1, 0), (1, 1)]],
    "N": [[(0, 1), (0, 0), (1, 1), (1, 0)]],
    "P": [[(0, 1), (0, 0), (0.7, 0), (0.95, 0.22), (0.7, 0.45), (0, 0.45)]],
    "R": [[(0, 1), (0, 0), (0.7, 0), (0.95, 0.22), (0.7, 0.45), (0, 0.45), (1, 1)]],
    "U": [[(0, 0), (0, 0.75), (0.25, 1), (0.75, 1), (1, 0.75), (1, 0)]],
    "V": [[(0, 0), (0.5, 1), (1, 0)]],
    "W": [[(0, 0), (0.25, 1), (0.5, 0.35), (0.75, 1), (1, 0)]],
    "X": [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],
    "Y": [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]],
}


def _arrays(polylines: Polylines, size: float = 100.0) -> list[np.ndarray]:
    return [np.array(line, dtype=np.float64) * size for line in polylines]


def _jitter(strokes: list[np.ndarray], rng: np.random.Generator, amount: float) -> list[np.ndarray]:
    return [s + rng.normal(0.0, amount, s.shape) for s in strokes]


def _drawn(strokes: list[np.ndarray], rng: np.random.Generator) -> tuple[Stroke, ...]:
    return random_placement(distort(strokes, rng), rng)


def letter_strokes(rng: np.random.Generator) -> tuple[Stroke, ...]:
    letter = rng.choice(sorted(_LETTER_STROKES))
    return _drawn(_jitter(_arrays(_LETTER_STROKES[letter]), rng, 2.0), rng)


def scribble(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A line of scribble: a smooth random walk that mostly runs sideways."""
    count = int(rng.integers(12, 40))
    heading = rng.uniform(-0.3, 0.3) + (np.pi if rng.random() < 0.5 else 0.0)
    turns = np.cumsum(rng.normal(0.0, 0.9, count))
    angles = heading + turns
    steps = np.stack([np.cos(angles), 0.8 * np.sin(angles)], axis=1) * rng.uniform(6, 12)
    steps[:, 0] += np.cos(heading) * rng.uniform(3, 8)
    return _drawn([np.cumsum(steps, axis=0)], rng)


def zigzag(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A zigzag or a wave across: many up-down turns."""
    teeth = int(rng.integers(4, 10))
    x = np.linspace(0, 100, 2 * teeth + 1)
    y = np.where(np.arange(len(x)) % 2, 0.0, rng.uniform(15, 45))
    return _drawn([np.stack([x, y], axis=1)], rng)


def dot(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A tap, or a few samples that wander less than the brush is wide: a blob on screen."""
    count = int(rng.integers(1, 6))
    centre = rng.uniform(40, CANVAS_SIZE - 40, 2)
    brush = float(rng.uniform(4, 40))
    points = centre + rng.normal(0.0, rng.uniform(0.02, 0.2) * brush, (count, 2))
    return (Stroke(tuple(Point(float(x), float(y)) for x, y in points), brush),)


def flat_line(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A straight line within 35 degrees of horizontal (steeper ones are 1s)."""
    angle = np.radians(rng.uniform(-35, 35))
    line = np.array([[0.0, 0.0], [np.cos(angle), np.sin(angle)]]) * 100
    return _drawn([line], rng)


def cross(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """An X or a plus sign."""
    lines: Polylines
    if rng.random() < 0.6:
        lines = [[(0, 0), (1, 1)], [(1, 0), (0, 1)]]
    else:
        lines = [[(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)]]
    return _drawn(_jitter(_arrays(lines), rng, 2.0), rng)


def polygon(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A triangle or a box, closed, in one stroke."""
    corners: list[tuple[float, float]] = [(0.5, 0), (1, 1), (0, 1), (0.5, 0)]
    if rng.random() < 0.5:
        corners = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]
    return _drawn(_jitter(_arrays([corners]), rng, 2.5), rng)


def loose_strokes(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """Four to seven straight strokes thrown across the box: grids, asterisks, tangles."""
    count = int(rng.integers(4, 8))
    centres = rng.uniform(20, 80, (count, 2))
    angles = rng.uniform(0, np.pi, count)
    halves = rng.uniform(20, 50, count)[:, None]
    ends = np.stack([np.cos(angles), np.sin(angles)], axis=1) * halves
    lines = [np.stack([c - e, c + e]) for c, e in zip(centres, ends, strict=True)]
    return _drawn(lines, rng)


def doodle(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """One stroke through seven to twelve random points: a tangle no digit looks like."""
    points = rng.uniform(0, 100, (int(rng.integers(7, 13)), 2))
    return _drawn([points], rng)


def star(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A five-pointed star in one stroke (held out)."""
    angles = np.radians(-90 + 144 * np.arange(6))
    return _drawn([np.stack([np.cos(angles), np.sin(angles)], axis=1) * 50], rng)


def hash_sign(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A # sign (held out)."""
    lines: Polylines = [
        [(0.35, 0), (0.3, 1)],
        [(0.7, 0), (0.65, 1)],
        [(0, 0.35), (1, 0.35)],
        [(0, 0.7), (1, 0.7)],
    ]
    return _drawn(_jitter(_arrays(lines), rng, 2.0), rng)


def cursive_loops(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A row of joined loops, like "eeee" or "llll" written fast (held out)."""
    loops = int(rng.integers(3, 7))
    t = np.linspace(0, loops * 2 * np.pi, loops * 24)
    x = t * rng.uniform(3, 6) - 12 * np.sin(t)
    y = 16 * np.cos(t) * rng.uniform(0.6, 1.4)
    return _drawn([np.stack([x, y], axis=1)], rng)


def arrow_or_tick(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """An arrow or a check mark (held out)."""
    lines: Polylines
    if rng.random() < 0.5:
        lines = [[(0, 0.5), (1, 0.5)], [(0.7, 0.25), (1, 0.5), (0.7, 0.75)]]
    else:
        lines = [[(0, 0.55), (0.35, 1), (1, 0)]]
    return _drawn(_jitter(_arrays(lines), rng, 2.0), rng)


@lru_cache(maxsize=64)
def font_files(prefixes: tuple[str, ...]) -> tuple[Path, ...]:
    """The shipped font files (``FONTS_DIR``) whose names start with one of ``prefixes``,
    in sorted order (a maker picks one by its index); a prefix must not match a longer
    family (NimbusSans vs NimbusSansNarrow)."""
    found = []
    for path in sorted(FONTS_DIR.rglob("*")):
        if path.suffix.lower() not in (".ttf", ".otf"):
            continue
        family = path.stem.split("-")[0]
        if family in prefixes or (family.endswith("Condensed") and family[:-9] in prefixes):
            found.append(path)
    return tuple(found)


@lru_cache(maxsize=256)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def font_letter(fonts: tuple[str, ...]) -> Callable[[np.random.Generator], np.ndarray]:
    """A maker of one typed letter in a random font of ``fonts``: a 280x280 picture."""

    def make(rng: np.random.Generator) -> np.ndarray:
        files = font_files(fonts)
        if not files:
            raise FileNotFoundError(f"no font files for {', '.join(fonts)}")
        font = _font(files[int(rng.integers(len(files)))], int(rng.integers(6, 20)) * 10)
        letter = str(rng.choice(list(LETTERS)))
        side = int(CANVAS_SIZE)
        glyph = Image.new("L", (side, side), 0)
        ImageDraw.Draw(glyph).text((side / 2, side / 2), letter, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(float(rng.uniform(-12, 12)), resample=Image.Resampling.BILINEAR)
        ink = np.asarray(glyph, dtype=np.float32) / 255.0
        paper, pen = (240.0, 20.0) if rng.random() < 0.6 else (15.0, 235.0)
        return np.clip(paper + (pen - paper) * ink, 0, 255).astype(np.uint8)

    return make


Maker = Callable[[np.random.Generator], "tuple[Stroke, ...] | np.ndarray"]
# (maker, weight) per family; weights are the shares of each kind in a generated set.
TRAINING_KINDS: dict[str, tuple[Maker, float]] = {
    "typed letter": (font_letter(TRAINING_FONTS), 0.3),
    "drawn letter": (letter_strokes, 0.2),
    "scribble": (scribble, 0.08),
    "zigzag": (zigzag, 0.04),
    "dot": (dot, 0.06),
    "line": (flat_line, 0.05),
    "cross": (cross, 0.06),
    "polygon": (polygon, 0.06),
    "loose strokes": (loose_strokes, 0.08),
    "doodle": (doodle, 0.07),
}
HELD_OUT_KINDS: dict[str, tuple[Maker, float]] = {
    "typed letter (other fonts)": (font_letter(HELD_OUT_FONTS), 0.4),
    "star": (star, 0.12),
    "hash": (hash_sign, 0.12),
    "cursive loops": (cursive_loops, 0.18),
    "arrow or tick": (arrow_or_tick, 0.18),
}


def makers(
    kinds: dict[str, tuple[Maker, float]], count: int, rng: np.random.Generator
) -> list[Maker]:
    """``count`` makers drawn from ``kinds`` by weight."""
    names = sorted(kinds)
    weights = np.array([kinds[name][1] for name in names])
    chosen = rng.choice(len(names), size=count, p=weights / weights.sum())
    return [kinds[names[index]][0] for index in chosen]
