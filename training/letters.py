"""Handwritten letters and multi-stroke shapes, drawn as strokes, that are no digit.

``training.non_digits`` draws 15 capitals in one style each; people write every letter,
capitals and lowercase, with round bowls and arches, in one stroke or several. Lowercase
a, d, e, f, u and capital P, R fooled the models most (a read as 9 or 0, d as 2, u as 4,
R as 8), and a drawing of several strokes (B, K, #, a smiley, a heart, a tick) passed as
a digit or a number. So each letter here has a skeleton, often two (how its strokes are
split and ordered), in a unit box with y down, and every drawing is a "hand": a random
slant, rotation, aspect and wobble (``training.pen_styles.distort``), jittered corners
and a random size, place and brush on the canvas.

Letters that really look like a digit when handwritten stay out (``DIGIT_LIKE_LETTERS``
of ``training.non_digits``, and j, a hooked 1 with a dot); B is in, drawn with its
straight stem, which no 8 has.

Generated sets are split by seed, as pen digits are split by writer: training letters
(``TRAINING_SEED``) fit the "not a digit" detectors, validation letters choose nothing
but are reported beside the validation writers, and test letters (``TEST_SEED``) are
only ever reported (``python -m benchmarks.letters``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from digitpad.core import Stroke
from training.drawn import random_placement, render_many
from training.non_digits import Maker, makers
from training.pen_styles import distort

TRAINING_SEED, VALIDATION_SEED, TEST_SEED = 31, 32, 33

Skeleton = list[np.ndarray]


def _line(*points: tuple[float, float]) -> np.ndarray:
    """A polyline through ``points``, sampled densely enough to be wobbled."""
    corners = np.array(points, dtype=np.float64)
    pieces = [np.linspace(a, b, 8, endpoint=False) for a, b in itertools.pairwise(corners)]
    return np.concatenate([*pieces, corners[-1:]])


def _arc(
    centre: tuple[float, float], radii: tuple[float, float], start: float, end: float
) -> np.ndarray:
    """An elliptic arc from ``start`` to ``end`` degrees (0 = right, 90 = down)."""
    angles = np.radians(np.linspace(start, end, max(8, int(abs(end - start) / 10))))
    return np.stack(
        [centre[0] + radii[0] * np.cos(angles), centre[1] + radii[1] * np.sin(angles)], axis=1
    )


def _join(*parts: np.ndarray) -> np.ndarray:
    """Parts drawn without lifting the pen, as one stroke."""
    return np.concatenate(parts)


def _dot(x: float, y: float) -> np.ndarray:
    return _arc((x, y), (0.025, 0.025), 0, 360)


# Lowercase: x-height from 0.45 to the baseline at 1.0, ascenders from 0, descenders to 1.45.
_BOWL = _arc((0.42, 0.72), (0.28, 0.27), -20, -345)  # a's and d's bowl, counterclockwise
_HUMP = _arc((0.45, 0.66), (0.25, 0.2), 180, 360)
LOWERCASE: dict[str, list[Skeleton]] = {
    "a": [
        [_BOWL, _line((0.72, 0.45), (0.74, 1.0))],
        [_join(_BOWL, _line((0.7, 0.55), (0.7, 0.45), (0.72, 0.95), (0.82, 1.0)))],
    ],
    "c": [[_arc((0.5, 0.72), (0.34, 0.27), -40, -315)]],
    "d": [
        [_BOWL, _line((0.72, 0.0), (0.74, 1.0))],
        [_join(_BOWL, _line((0.72, 0.6), (0.72, 0.0), (0.74, 1.0)))],
    ],
    "e": [
        [_join(_line((0.14, 0.72), (0.8, 0.7)), _arc((0.47, 0.72), (0.33, 0.27), -5, -320))],
        [_join(_line((0.2, 0.8), (0.7, 0.6)), _arc((0.45, 0.7), (0.3, 0.28), -40, -330))],
    ],
    "f": [
        [
            _join(_arc((0.62, 0.2), (0.2, 0.2), -20, -180), _line((0.42, 0.2), (0.42, 1.0))),
            _line((0.2, 0.45), (0.72, 0.45)),
        ],
        [
            _join(_arc((0.62, 0.22), (0.2, 0.22), -20, -180), _line((0.42, 0.22), (0.4, 1.4))),
            _line((0.15, 0.5), (0.7, 0.48)),
        ],
    ],
    "h": [
        [_line((0.2, 0.0), (0.2, 1.0)), _join(_HUMP, _line((0.7, 0.66), (0.7, 1.0)))],
        [_join(_line((0.2, 0.0), (0.2, 1.0), (0.2, 0.66)), _HUMP, _line((0.7, 0.66), (0.72, 1.0)))],
    ],
    "k": [
        [_line((0.2, 0.0), (0.2, 1.0)), _line((0.7, 0.45), (0.22, 0.75), (0.75, 1.0))],
        [
            _line((0.2, 0.0), (0.2, 1.0)),
            _line((0.68, 0.42), (0.22, 0.72)),
            _line((0.35, 0.65), (0.75, 1.0)),
        ],
    ],
    "m": [
        [
            _join(
                _line((0.1, 1.0), (0.1, 0.5)),
                _arc((0.3, 0.62), (0.2, 0.15), 180, 360),
                _line((0.5, 0.62), (0.5, 1.0), (0.5, 0.62)),
                _arc((0.7, 0.62), (0.2, 0.15), 180, 360),
                _line((0.9, 0.62), (0.9, 1.0)),
            )
        ]
    ],
    "n": [
        [_join(_line((0.2, 0.45), (0.2, 1.0), (0.2, 0.66)), _HUMP, _line((0.7, 0.66), (0.7, 1.0)))],
    ],
    "p": [
        [_line((0.2, 0.45), (0.2, 1.45)), _arc((0.45, 0.72), (0.27, 0.25), 200, 520)],
        [_join(_line((0.2, 1.45), (0.2, 0.5)), _arc((0.45, 0.72), (0.27, 0.25), 230, 510))],
    ],
    "r": [
        [
            _join(
                _line((0.2, 0.45), (0.2, 1.0), (0.2, 0.7)), _arc((0.45, 0.7), (0.25, 0.2), 180, 310)
            )
        ],
    ],
    "t": [
        [
            _join(_line((0.4, 0.1), (0.4, 0.88)), _arc((0.55, 0.88), (0.15, 0.12), 180, 60)),
            _line((0.15, 0.42), (0.72, 0.42)),
        ],
        [_line((0.42, 0.1), (0.4, 1.0)), _line((0.12, 0.42), (0.75, 0.4))],
    ],
    "u": [
        [
            _join(
                _line((0.15, 0.45), (0.15, 0.78)),
                _arc((0.42, 0.78), (0.27, 0.22), 180, 0),
                _line((0.69, 0.78), (0.69, 0.45), (0.72, 1.0)),
            )
        ],
        [
            _join(
                _line((0.15, 0.45), (0.15, 0.78)),
                _arc((0.42, 0.78), (0.27, 0.22), 180, 0),
                _line((0.69, 0.78), (0.69, 0.45)),
            ),
            _line((0.7, 0.45), (0.72, 1.0)),
        ],
    ],
    "v": [[_line((0.1, 0.45), (0.5, 1.0), (0.9, 0.45))]],
    "w": [[_line((0.0, 0.45), (0.25, 1.0), (0.5, 0.6), (0.75, 1.0), (1.0, 0.45))]],
    "x": [[_line((0.15, 0.45), (0.85, 1.0)), _line((0.85, 0.45), (0.15, 1.0))]],
    "y": [
        [_line((0.1, 0.45), (0.5, 1.0)), _line((0.9, 0.45), (0.35, 1.45))],
        [
            _join(
                _line((0.15, 0.45), (0.15, 0.78)),
                _arc((0.42, 0.78), (0.27, 0.22), 180, 0),
                _line((0.69, 0.78), (0.69, 0.45), (0.69, 1.25)),
                _arc((0.45, 1.25), (0.24, 0.2), 0, 170),
            )
        ],
    ],
}

_P_BOWL = _arc((0.35, 0.25), (0.5, 0.25), 270, 450)
CAPITALS: dict[str, list[Skeleton]] = {
    "A": [[_line((0.0, 1.0), (0.5, 0.0), (1.0, 1.0)), _line((0.22, 0.6), (0.78, 0.6))]],
    "B": [
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _join(
                _line((0.0, 0.0), (0.4, 0.0)),
                _arc((0.4, 0.24), (0.38, 0.24), 270, 450),
                _arc((0.42, 0.74), (0.48, 0.26), 270, 450),
                _line((0.42, 1.0), (0.0, 1.0)),
            ),
        ],
        [
            _join(
                _line((0.0, 1.0), (0.0, 0.0), (0.4, 0.0)),
                _arc((0.4, 0.24), (0.38, 0.24), 270, 450),
                _arc((0.42, 0.74), (0.48, 0.26), 270, 450),
                _line((0.42, 1.0), (0.0, 1.0)),
            )
        ],
    ],
    "C": [[_arc((0.5, 0.5), (0.45, 0.5), -40, -320)]],
    "E": [
        [_line((1.0, 0.0), (0.0, 0.0), (0.0, 1.0), (1.0, 1.0)), _line((0.0, 0.5), (0.7, 0.5))],
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _line((0.0, 0.0), (0.9, 0.0)),
            _line((0.0, 0.5), (0.7, 0.5)),
            _line((0.0, 1.0), (0.9, 1.0)),
        ],
    ],
    "F": [
        [_line((1.0, 0.0), (0.0, 0.0), (0.0, 1.0)), _line((0.0, 0.5), (0.7, 0.5))],
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _line((0.0, 0.0), (0.9, 0.0)),
            _line((0.0, 0.5), (0.7, 0.5)),
        ],
    ],
    "H": [
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _line((1.0, 0.0), (1.0, 1.0)),
            _line((0.0, 0.5), (1.0, 0.5)),
        ]
    ],
    "K": [
        [_line((0.0, 0.0), (0.0, 1.0)), _line((0.9, 0.0), (0.0, 0.55), (1.0, 1.0))],
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _line((0.9, 0.0), (0.05, 0.55)),
            _line((0.3, 0.4), (1.0, 1.0)),
        ],
    ],
    "L": [[_line((0.0, 0.0), (0.0, 1.0), (0.7, 1.0))]],
    "M": [[_line((0.0, 1.0), (0.0, 0.0), (0.5, 0.6), (1.0, 0.0), (1.0, 1.0))]],
    "N": [[_line((0.0, 1.0), (0.0, 0.0), (1.0, 1.0), (1.0, 0.0))]],
    "P": [
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _join(_line((0.0, 0.0), (0.35, 0.0)), _P_BOWL, _line((0.35, 0.5), (0.0, 0.5))),
        ],
        [
            _join(
                _line((0.0, 1.0), (0.0, 0.0), (0.35, 0.0)), _P_BOWL, _line((0.35, 0.5), (0.0, 0.5))
            )
        ],
    ],
    "R": [
        [
            _line((0.0, 0.0), (0.0, 1.0)),
            _join(_line((0.0, 0.0), (0.35, 0.0)), _P_BOWL, _line((0.35, 0.5), (0.0, 0.5))),
            _line((0.3, 0.5), (0.9, 1.0)),
        ],
        [
            _join(
                _line((0.0, 1.0), (0.0, 0.0), (0.35, 0.0)),
                _P_BOWL,
                _line((0.35, 0.5), (0.05, 0.5), (0.9, 1.0)),
            )
        ],
    ],
    "U": [
        [
            _join(
                _line((0.0, 0.0), (0.0, 0.6)),
                _arc((0.5, 0.6), (0.5, 0.4), 180, 0),
                _line((1.0, 0.6), (1.0, 0.0)),
            )
        ]
    ],
    "V": [[_line((0.0, 0.0), (0.5, 1.0), (1.0, 0.0))]],
    "W": [[_line((0.0, 0.0), (0.25, 1.0), (0.5, 0.35), (0.75, 1.0), (1.0, 0.0))]],
    "X": [[_line((0.0, 0.0), (1.0, 1.0)), _line((1.0, 0.0), (0.0, 1.0))]],
    "Y": [[_line((0.0, 0.0), (0.5, 0.5), (1.0, 0.0)), _line((0.5, 0.5), (0.5, 1.0))]],
}

# Shapes of several strokes (or one) that are no digit and no number.
SHAPES: dict[str, list[Skeleton]] = {
    "hash": [
        [
            _line((0.35, 0.0), (0.3, 1.0)),
            _line((0.7, 0.0), (0.65, 1.0)),
            _line((0.0, 0.35), (1.0, 0.35)),
            _line((0.0, 0.7), (1.0, 0.7)),
        ]
    ],
    "smiley": [
        [
            _arc((0.5, 0.5), (0.5, 0.5), -90, 270),
            _dot(0.33, 0.35),
            _dot(0.67, 0.35),
            _arc((0.5, 0.55), (0.25, 0.2), 20, 160),
        ],
        [
            _dot(0.33, 0.35),
            _dot(0.67, 0.35),
            _arc((0.5, 0.55), (0.25, 0.2), 20, 160),
            _arc((0.5, 0.5), (0.5, 0.5), -90, 270),
        ],
    ],
    "heart": [
        [
            _join(
                _line((0.5, 1.0), (0.05, 0.45)),
                _arc((0.27, 0.28), (0.24, 0.24), 150, 360),
                _arc((0.73, 0.28), (0.24, 0.24), 180, 390),
                _line((0.95, 0.45), (0.5, 1.0)),
            )
        ],
        [
            _join(_arc((0.27, 0.28), (0.24, 0.24), 0, -210), _line((0.05, 0.45), (0.5, 1.0))),
            _join(_arc((0.73, 0.28), (0.24, 0.24), 180, 390), _line((0.95, 0.45), (0.5, 1.0))),
        ],
    ],
    "tick": [[_line((0.0, 0.55), (0.32, 1.0), (1.0, 0.0))]],
}


def _hand(skeleton: Skeleton, rng: np.random.Generator) -> tuple[Stroke, ...]:
    """One skeleton as a person might draw it: jittered, distorted, placed on the canvas."""
    jittered = [s * 100.0 + rng.normal(0.0, 1.2, s.shape) for s in skeleton]
    return random_placement(distort(jittered, rng), rng)


def _maker(
    table: dict[str, list[Skeleton]], names: Sequence[str] | None = None
) -> Callable[[np.random.Generator], tuple[Stroke, ...]]:
    """A maker of one of ``names`` (default: all of ``table``), each equally often."""
    chosen = sorted(table) if names is None else list(names)

    def make(rng: np.random.Generator) -> tuple[Stroke, ...]:
        variants = table[chosen[int(rng.integers(len(chosen)))]]
        return _hand(variants[int(rng.integers(len(variants)))], rng)

    return make


def drawn_letter(name: str, rng: np.random.Generator) -> tuple[Stroke, ...]:
    """Letter (or shape) ``name`` drawn once by a random hand."""
    table = LOWERCASE if name in LOWERCASE else CAPITALS if name in CAPITALS else SHAPES
    variants = table[name]
    return _hand(variants[int(rng.integers(len(variants)))], rng)


handwritten_lowercase = _maker(LOWERCASE)
handwritten_capital = _maker(CAPITALS)
multi_stroke_shape = _maker(SHAPES)
# (maker, weight) per family, as ``training.non_digits.TRAINING_KINDS``.
LETTER_KINDS: dict[str, tuple[Maker, float]] = {
    "handwritten lowercase": (handwritten_lowercase, 0.45),
    "handwritten capital": (handwritten_capital, 0.35),
    "multi-stroke shape": (multi_stroke_shape, 0.2),
}


def render_letters(count: int, seed: int, randomise: bool) -> np.ndarray:
    """``count`` letters and shapes of ``LETTER_KINDS`` as 28x28 model inputs (uint8).

    ``randomise``: a random pen, sometimes the picture path, as training data is drawn;
    otherwise exactly as the app reads a drawing (validation and test).
    """
    rng = np.random.default_rng(seed)
    images, _ = render_many(makers(LETTER_KINDS, count, rng), rng, randomise=randomise)
    return images
