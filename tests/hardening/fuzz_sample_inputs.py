"""Hostile strokes files for fuzzing the samples reader (``SampleStore``).

A sample is a picture plus ``<id>.json`` holding its metadata (format version, label)
and its strokes. The fuzzed bytes become that JSON beside a valid picture; the store
must then list the sample or skip it with a one-line reason, and a listed drawing must
become the models' input or a ``SampleError``: never another exception, a hang or a
render whose cost follows the numbers in the file. Shared by the short run in the suite
(``test_fuzz_samples.py``) and the long run (``fuzz_long --target samples``).
"""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import numpy as np
from hypothesis import strategies as st
from PIL import Image

from digitpad.core import Point, SampleError, SampleStore, Stroke
from digitpad.core.personal import strokes_to_json

SAMPLE_REGRESSIONS = Path(__file__).with_name("sample_regressions")
SAMPLE_ID = "20260101T120000000000-abcdef"
LABEL = 3


def _document(strokes: list[Stroke], **metadata: object) -> bytes:
    document = {"format_version": 1, "label": LABEL, "strokes": strokes_to_json(strokes)}
    document.update(metadata)
    return json.dumps(document).encode()


@cache
def sample_seed_files() -> tuple[bytes, ...]:
    """Valid strokes files: a plain three, one with pressure, one rubbed out in part."""
    three = [Stroke((Point(10, 10), Point(40, 12), Point(20, 30), Point(42, 45), Point(8, 55)), 8)]
    pressed = [Stroke(tuple(Point(5 + i, 5 + i * i / 10, i / 20) for i in range(20)), 6)]
    erased = [*three, Stroke((Point(0, 50), Point(60, 50)), 10, erase=True)]
    return (_document(three), _document(pressed), _document(erased))


@st.composite
def mutated_strokes_files(draw: st.DrawFn) -> bytes:
    """A seed with bytes flipped, a run inserted, its tail cut, or a number swapped."""
    data = bytearray(draw(st.sampled_from(sample_seed_files())))
    if draw(st.booleans()):
        # Numbers are where the rasteriser is hurt: swap one for an extreme one.
        text = data.decode()
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        at = draw(st.sampled_from(digits))
        extreme = draw(st.sampled_from(["1e308", "-1e300", "1e7", "0", "-0.0", "9" * 30, "1e-320"]))
        data = bytearray((text[:at] + extreme + text[at + 1 :]).encode())
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=32))
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@cache
def _picture() -> bytes:
    """A small valid PNG of a bar: the sample's picture, beside the fuzzed strokes."""
    image = Image.new("L", (28, 28), 255)
    image.paste(0, (10, 5, 16, 23))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def read_hostile_sample(root: Path, data: bytes) -> None:
    """Put ``data`` as a sample's strokes file in a store at ``root``, then do what list,
    export and fine-tune do with it. Only one-line reasons and ``SampleError`` may come out.
    """
    folder = root / str(LABEL)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SAMPLE_ID}.png").write_bytes(_picture())
    (folder / f"{SAMPLE_ID}.json").write_bytes(data)
    store = SampleStore(root)
    samples = store.samples()
    assert all("\n" not in problem for problem in store.problems)
    assert len(samples) + len(store.problems) == 1
    for sample in samples:
        try:
            model_input = SampleStore.model_input(sample)
        except SampleError as error:
            refusal = str(error)
        else:
            refusal = ""
            assert model_input.shape == (28, 28)
            assert np.isfinite(model_input).all()
        assert "\n" not in refusal
