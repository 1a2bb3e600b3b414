"""Hostile image files for fuzzing ``load_image`` + ``preprocess_bitmap``.

Shared by the short run in the suite (``test_fuzz_images.py``) and the long run done by
hand (``python -m tests.hardening.fuzz_long --minutes 10``). Inputs are valid small files
in every allowed format (and a few refused ones) with bytes flipped, inserted or cut,
plus raw bytes, so the decoders get past their signatures and into their parsers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from digitpad.core import ImageLoadError, load_image, preprocess_bitmap

REGRESSIONS = Path(__file__).with_name("regressions")
T = TypeVar("T")
# The suite's short fuzz runs: a few seconds each, the same inputs every run.
SHORT_FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _picture(mode: str) -> Image.Image:
    image = Image.new("RGB", (24, 20), "white")
    ImageDraw.Draw(image).line([(4, 3), (20, 3), (9, 17)], fill="black", width=3)
    return image.convert(mode)


@cache
def seed_files() -> tuple[bytes, ...]:
    """One small valid file per format and interesting mode."""
    seeds = []
    for fmt, mode, options in [
        ("PNG", "RGBA", {}),
        ("PNG", "I;16", {}),
        ("PNG", "P", {"transparency": 0}),
        ("JPEG", "RGB", {"quality": 80}),
        ("JPEG", "L", {"progressive": True}),
        ("GIF", "P", {}),
        ("BMP", "RGB", {}),
        ("TIFF", "RGB", {"compression": "tiff_lzw"}),
        ("TIFF", "F", {}),
        ("TIFF", "I;16", {}),
        ("WEBP", "RGBA", {"lossless": True}),
        ("WEBP", "RGB", {"quality": 50}),
        ("PPM", "L", {}),
        ("ICO", "RGBA", {}),
        ("QOI", "RGBA", {}),
        ("PCX", "RGB", {}),
        ("SGI", "RGB", {}),
        ("TGA", "RGBA", {}),
        ("JPEG2000", "RGB", {}),
        ("EPS", "L", {}),  # refused without running anything
    ]:
        buffer = io.BytesIO()
        try:
            _picture(mode).save(buffer, fmt, **options)
        except (OSError, KeyError, ValueError):  # a codec this Pillow lacks
            continue
        seeds.append(buffer.getvalue())
    return tuple(seeds)


def mutated(seeds: tuple[bytes, ...]) -> st.SearchStrategy[bytes]:
    """One of ``seeds`` with a few bytes flipped, a run inserted and maybe its tail cut
    (one time in ten, raw bytes instead)."""

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        if draw(st.integers(0, 9)) == 0:
            return draw(st.binary(max_size=2048))
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(0, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]
        return bytes(data)

    return mutate()


def mutated_files() -> st.SearchStrategy[bytes]:
    """A seed picture with a few bytes flipped, a run inserted and maybe its tail cut."""
    return mutated(seed_files())


def refused_or_read(read: Callable[[], T], refusal: type[Exception]) -> T | None:
    """``read()``'s result, or None when it raised ``refusal`` with a one-line message;
    any other exception propagates: a crash the caller reports."""
    try:
        return read()
    except refusal as error:
        message = str(error)
    assert "\n" not in message
    return None


def read_hostile_file(path: Path) -> None:
    """What the CLI and the window do with a file: load it, then preprocess it.

    Only ``ImageLoadError`` may escape; anything else is a crash the caller reports.
    """
    picture = refused_or_read(lambda: load_image(path), ImageLoadError)
    if picture is None:
        return
    model_input = preprocess_bitmap(picture)
    if model_input is not None:
        assert model_input.shape == (28, 28)
        assert np.isfinite(model_input).all()
