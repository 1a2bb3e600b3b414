"""UCI pendigits: digits written on a tablet by 30 people, as strokes, and the writer split.

The file is UNIPEN text (``../shared/data/pendigits/README.md``): a ``.SEGMENT DIGIT``
line with the quoted label, a ``.COMMENT label writer sequence`` line, then strokes
between ``.PEN_DOWN`` and ``.PEN_UP``, one ``x y`` sample per line, y pointing up.

The split is by writer, declared once here (``WRITER_SPLIT``): a writer's digits resemble
each other far more than anyone else's, so only writers a model never trained on say how
it reads new people. Validation writers choose the recipe, the "not a digit" threshold and
the temperature; test writers are read only to report. Nothing here imports TensorFlow,
so benchmarks and the personalisation work can use it.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core import Stroke
from training.drawn import place_on_canvas

DEFAULT_PENDIGITS = Path(__file__).resolve().parents[1].parent / "shared/data/pendigits"
PENDIGITS_FILE = "pendigits-orig.tra.gz"
# Drawn by a seeded shuffle of writers 1-30 (numpy default_rng(11)): 7 test, 5 validation.
TEST_WRITERS = (1, 5, 6, 7, 12, 16, 24)
VALIDATION_WRITERS = (2, 3, 10, 22, 27)
TRAINING_WRITERS = tuple(
    w for w in range(1, 31) if w not in TEST_WRITERS and w not in VALIDATION_WRITERS
)
WRITER_SPLIT = {
    "train": TRAINING_WRITERS,
    "validation": VALIDATION_WRITERS,
    "test": TEST_WRITERS,
}
_SEGMENT = re.compile(r'^\.SEGMENT\s+DIGIT\s+\S+\s+\S+\s+"(.)"')


class PenDigitsError(Exception):
    """The pendigits file is missing or not the UNIPEN text it should be."""


@dataclass(frozen=True)
class PenDigit:
    """One written digit: its label, its writer and its strokes in tablet units (y up)."""

    label: int
    writer: int
    strokes: tuple[np.ndarray, ...]  # each (N, 2) float64 x, y

    def screen_strokes(self) -> list[np.ndarray]:
        """The strokes with y pointing down, as a screen has it."""
        return [stroke * (1.0, -1.0) for stroke in self.strokes]

    def canvas_strokes(self) -> tuple[Stroke, ...]:
        """The digit as a person draws it on the canvas: centred, 70 % of its size,
        with the default brush; the samples are the tablet's own."""
        return place_on_canvas(self.screen_strokes())


def _fail(source: str, number: int, message: str) -> PenDigitsError:
    return PenDigitsError(f"{source}:{number}: {message}")


def parse_unipen(lines: Iterable[str], source: str = "<text>") -> list[PenDigit]:
    """Every digit in UNIPEN text; dot-lines other than the ones above are skipped.

    Raises
    ------
    PenDigitsError
        A sample outside a stroke, a stroke outside a digit, a digit without its
        ``.COMMENT`` writer line, or a line that is not a number pair.
    """
    digits: list[PenDigit] = []
    label: int | None = None
    writer: int | None = None
    strokes: list[np.ndarray] = []
    current: list[tuple[float, float]] | None = None

    def finish() -> None:
        if label is not None:
            if writer is None:
                raise PenDigitsError(f"{source}: digit {len(digits) + 1} has no .COMMENT line")
            if strokes:
                digits.append(PenDigit(label, writer, tuple(strokes)))

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith(".SEGMENT"):
            finish()
            match = _SEGMENT.match(line)
            if match is None or not match.group(1).isdigit():
                raise _fail(source, number, f"not a digit segment: {line!r}")
            label, writer, strokes, current = int(match.group(1)), None, [], None
        elif line.startswith(".COMMENT") and label is not None and writer is None:
            fields = line.split()
            if len(fields) < 3 or not fields[2].isdigit():
                raise _fail(source, number, f"no writer number in {line!r}")
            writer = int(fields[2])
        elif line.startswith(".PEN_DOWN"):
            if label is None:
                raise _fail(source, number, "a stroke outside any digit")
            current = []
        elif line.startswith(".PEN_UP"):
            if current:
                strokes.append(np.array(current, dtype=np.float64))
            current = None
        elif line.startswith("."):
            continue
        else:
            if current is None:
                raise _fail(source, number, "a sample outside .PEN_DOWN/.PEN_UP")
            values = line.split()
            try:
                x, y = (float(v) for v in values)
            except ValueError:
                raise _fail(source, number, f"not an 'x y' sample: {line!r}") from None
            current.append((x, y))
    finish()
    return digits


def load_pendigits(folder: Path | str = DEFAULT_PENDIGITS) -> list[PenDigit]:
    """All digits of ``folder/pendigits-orig.tra.gz`` (or the uncompressed file)."""
    folder = Path(folder)
    for path in (folder / PENDIGITS_FILE, folder / PENDIGITS_FILE.removesuffix(".gz")):
        if path.is_file():
            break
    else:
        raise PenDigitsError(f"{folder / PENDIGITS_FILE}: file not found")
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="ascii") as stream:
            digits = parse_unipen(stream, str(path))
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise PenDigitsError(f"{path}: cannot read ({error})") from None
    if not digits:
        raise PenDigitsError(f"{path}: no digits found")
    return digits


def split_by_writer(digits: Sequence[PenDigit], split: str) -> list[PenDigit]:
    """The digits of one part of ``WRITER_SPLIT`` (``train``, ``validation``, ``test``)."""
    writers = set(WRITER_SPLIT[split])
    return [digit for digit in digits if digit.writer in writers]
