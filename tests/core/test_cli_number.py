"""``digitpad predict --number``: a written number in a file, read from the terminal."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from benchmarks.numbers import picture
from digitpad.cli import main
from digitpad.cli._number import _file_scale
from digitpad.core import load_image, samples_dir
from digitpad.core.number import NUMBER_MAX_PIXELS, NUMBER_MAX_SIDE
from tests.core.test_number import HEIGHT, _first, _number
from tests.shared_data import pendigits
from training.pendigits import split_by_writer

SEVEN = str(samples_dir() / "digit-7.png")


@pytest.fixture(scope="module")
def number_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[float, float]]]:
    """A PNG of "203" written by a held-out writer, and each digit's pen extent across."""
    held_out = split_by_writer(pendigits(), "test")
    number = _number([_first(held_out, label, 1, lambda d: True) for label in (2, 0, 3)], 0.3)
    path = tmp_path_factory.mktemp("number") / "number-203.png"
    Image.fromarray(picture(number)).save(path)
    spans = [
        (min(p.x for s in d for p in s.points), max(p.x for s in d for p in s.points))
        for d in number.digits
    ]
    return path, spans


def test_json_gives_each_models_number_and_digits_with_boxes(capsys, number_file) -> None:
    path, spans = number_file
    assert main(["predict", "--number", "--json", str(path), SEVEN]) == 0
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["file"] for d in documents] == [str(path), SEVEN]
    for document, length in zip(documents, (3, 1), strict=True):
        assert set(document) == {"file", "predictions"}
        assert list(document["predictions"]) == ["dense", "cnn"]
        for entry in document["predictions"].values():
            assert set(entry) == {"number", "digits"}
            assert len(entry["number"]) == length == len(entry["digits"])
            for digit, text in zip(entry["digits"], entry["number"], strict=True):
                assert set(digit) == {"digit", "probabilities", "box"}
                assert str(digit["digit"]) == text
                assert digit["digit"] == int(np.argmax(digit["probabilities"]))
                assert len(digit["probabilities"]) == 10
                assert sum(digit["probabilities"]) == pytest.approx(1.0, abs=1e-3)
                assert all(isinstance(v, int) for v in digit["box"])
    boxes = [d["box"] for d in documents[0]["predictions"]["cnn"]["digits"]]
    for (x0, _, x1, _), (left, right) in zip(boxes, spans, strict=True):
        assert x0 <= left <= x0 + 0.1 * HEIGHT
        assert x1 - 0.1 * HEIGHT <= right <= x1
    assert documents[1]["predictions"]["cnn"]["number"] == "7"


def test_boxes_are_in_the_files_pixels_when_the_picture_is_reduced(capsys, tmp_path, number_file):
    path, spans = number_file
    small = Image.open(path)
    big = small.resize((small.width * 6, small.height * 6), Image.Resampling.BICUBIC)
    assert max(big.size) > 1024  # load_image reduces it to 1024 on its longer side
    big_path = tmp_path / "big.png"
    big.save(big_path)
    assert main(["predict", "--number", "--json", "--model", "cnn", str(big_path)]) == 0
    digits = json.loads(capsys.readouterr().out)["predictions"]["cnn"]["digits"]
    assert len(digits) == 3
    for digit, (left, right) in zip(digits, spans, strict=True):
        x0, y0, x1, y1 = digit["box"]
        assert 6 * left - 0.1 * 6 * HEIGHT <= x0 <= 6 * left
        assert 6 * right <= x1
        assert 0 <= y0 < y1 <= big.height


def test_errors_and_exit_codes_are_those_of_predict(capsys, tmp_path, number_file) -> None:
    blank = tmp_path / "blank.png"
    Image.new("L", (60, 40), 255).save(blank)
    files = [str(number_file[0]), str(tmp_path / "missing.png"), str(blank)]
    assert main(["predict", "--number", "--json", *files]) == 1
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "predictions" in documents[0]
    assert documents[1] == {"file": files[1], "error": "file not found"}
    assert documents[2] == {"file": files[2], "error": "nothing drawn (no ink found)"}
    assert main(["predict", "--number", "--model", "nonsense", files[0]]) == 2


def test_table_shows_each_models_number(capsys, number_file) -> None:
    assert main(["predict", "--number", str(number_file[0])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["file", "Dense", "CNN"]
    cells = lines[1].split()
    assert cells[0] == str(number_file[0])
    assert len(cells[1]) == 3
    assert cells[1].isdigit()
    assert cells[2].endswith("%")


def test_a_picture_20000_pixels_wide_is_read_at_its_own_resolution(capsys, tmp_path):
    """Ten digits 180 pixels tall in a strip 20,000 x 200: reduced to 1,024 pixels across
    they were 9 pixels tall and both models misread one; whole, both read all ten."""
    held_out = split_by_writer(pendigits(), "test")
    labels = (1, 9, 8, 4, 2, 0, 3, 7, 5, 6)
    number = _number([_first(held_out, label, 1, lambda d: True) for label in labels], 0.3)
    written = Image.fromarray(picture(number))
    written = written.resize(
        (round(written.width * 180 / written.height), 180), Image.Resampling.BICUBIC
    )
    strip = Image.new(written.mode, (20_000, 200), 255)
    strip.paste(written, (2_000, 10))
    path = tmp_path / "strip.png"
    strip.save(path)
    assert main(["predict", "--number", "--json", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)
    for entry in document["predictions"].values():
        assert entry["number"] == "1984203756"
        boxes = [digit["box"] for digit in entry["digits"]]
        assert 2_000 <= boxes[0][0] < boxes[-1][2] <= 2_000 + written.width


def test_a_picture_read_as_a_number_is_reduced_to_a_pixel_budget(tmp_path):
    path = tmp_path / "wide.png"
    Image.new("L", (12_000, 1_000), 255).save(path)
    image = load_image(path, NUMBER_MAX_SIDE, NUMBER_MAX_PIXELS)
    assert image.width * image.height <= NUMBER_MAX_PIXELS
    assert image.width * image.height > 0.95 * NUMBER_MAX_PIXELS
    assert image.width / image.height == pytest.approx(12, rel=0.01)
    assert max(load_image(path).size) == 1024  # a lone digit's picture, as before


def test_a_file_swapped_for_a_pipe_after_reading_does_not_hang(tmp_path: Path) -> None:
    # The file's size is read back from its header after its pixels; had the path
    # become a named pipe meanwhile, opening it plainly would wait for a writer forever.
    pipe = tmp_path / "photo.jpg"
    os.mkfifo(pipe)
    big = Image.new("L", (1500, 1000), 255)  # longer than MAX_SIDE: the file is asked
    scale: list[tuple[float, float]] = []
    reader = threading.Thread(target=lambda: scale.append(_file_scale(str(pipe), big)))
    reader.daemon = True
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # let the blocked open return before failing
        with open(pipe, "wb"):
            pass
        pytest.fail("reading the file's size waited on a named pipe")
    assert scale == [(1.0, 1.0)]
