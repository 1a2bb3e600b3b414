"""Pictures from standard input: the same rules and pixels as files, ``predict -``."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pytest

from digitpad.core import ImageLoadError, load_image, load_image_stream, samples_dir
from digitpad.core.files import _image_io

SEVEN = samples_dir() / "digit-7.png"


def test_a_stream_gives_the_files_pixels() -> None:
    from_stream = load_image_stream(io.BytesIO(SEVEN.read_bytes()))
    np.testing.assert_array_equal(np.asarray(from_stream), np.asarray(load_image(SEVEN)))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "nothing arrived"),
        (b"shopping list: eggs, milk\n", "not a picture digitpad can read"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "SVG is not supported"),
        (b"%!PS-Adobe-3.0\n", "PostScript/EPS is not supported"),
    ],
)
def test_bad_input_is_one_line_naming_the_stream(data: bytes, reason: str) -> None:
    with pytest.raises(ImageLoadError, match=reason) as caught:
        load_image_stream(io.BytesIO(data), name="standard input")
    assert caught.value.path == "standard input"
    assert "\n" not in str(caught.value)


def test_an_endless_stream_is_cut_at_the_size_cap(monkeypatch) -> None:
    monkeypatch.setattr(_image_io, "MAX_FILE_BYTES", 1000)
    stream = io.BytesIO(SEVEN.read_bytes() + bytes(5000))
    with pytest.raises(ImageLoadError, match="too large"):
        load_image_stream(stream)
    assert stream.tell() == 1001  # read no further than one byte past the cap


def test_predict_dash_reads_standard_input() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", "--json", "-"],
        input=SEVEN.read_bytes(),
        capture_output=True,
        timeout=60,
        check=True,
    )
    document = json.loads(result.stdout)
    assert document["file"] == "-"
    assert {answer["digit"] for answer in document["predictions"].values()} == {7}
