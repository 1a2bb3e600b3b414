"""Photos of paper from the command line: ``predict`` and ``predict --number`` give the
one reading the window gives, and ``--region`` reads only the part asked for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from digitpad.cli import main
from digitpad.core.files import read_json_file
from tests.shared_data import mnist_dir, pendigits_dir
from training.paper_photos import make_photo

FOLDER = Path(__file__).resolve().parents[1] / "data" / "paper"
PHOTOS: list[dict[str, Any]] = read_json_file(FOLDER / "photos.json", 100_000)["photos"]


def _documents(capsys: pytest.CaptureFixture[str], *arguments: str) -> list[dict[str, Any]]:
    main(["predict", "--json", *arguments])
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def _overlap(a: list[int], b: list[int]) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(w, 0) * max(h, 0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


@pytest.mark.parametrize("photo", PHOTOS, ids=lambda p: p["file"])
def test_the_number_and_each_digits_box_are_read_from_the_photo(capsys, photo) -> None:
    path = str(FOLDER / photo["file"])
    (document,) = _documents(capsys, "--number", path)
    for entry in document["predictions"].values():
        assert entry["number"] == photo["text"]
        for digit, box in zip(entry["digits"], photo["boxes"], strict=True):
            assert _overlap(digit["box"], box) > 0.6


@pytest.mark.parametrize("photo", PHOTOS, ids=lambda p: p["file"])
def test_predict_and_predict_number_give_one_reading(capsys, photo) -> None:
    path = str(FOLDER / photo["file"])
    (plain,) = _documents(capsys, path)
    (number,) = _documents(capsys, "--number", path)
    for name, entry in plain["predictions"].items():
        if len(photo["text"]) == 1:
            assert str(entry["digit"]) == number["predictions"][name]["number"] == photo["text"]
            assert entry["is_digit"]
        else:  # several digits: predict gives the number, as --number does
            assert entry == number["predictions"][name]


def test_the_region_reads_only_that_part(capsys) -> None:
    photo = next(p for p in PHOTOS if p["text"] == "276")
    path = str(FOLDER / photo["file"])
    for box, text in zip(photo["boxes"], photo["text"], strict=True):
        x0, y0, x1, y1 = box
        region = f"{x0 - 6},{y0 - 6},{x1 - x0 + 12},{y1 - y0 + 12}"
        (document,) = _documents(capsys, "--region", region, path)
        for entry in document["predictions"].values():
            assert str(entry["digit"]) == text
        (number,) = _documents(capsys, "--number", "--region", region, path)
        for entry in number["predictions"].values():
            (digit,) = entry["digits"]
            assert _overlap(digit["box"], box) > 0.6  # in the whole file's pixels


def test_a_region_outside_the_picture_is_an_error_and_a_bad_one_a_usage_error(capsys) -> None:
    path = str(FOLDER / PHOTOS[0]["file"])
    assert main(["predict", "--json", "--region", "5000,5000,10,10", path]) == 1
    (document,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert "outside" in document["error"]
    assert main(["predict", "--region", "1,2,3", path]) == 2
    assert "X,Y,W,H" in capsys.readouterr().err


def test_the_committed_photos_are_their_generators_output() -> None:
    mnist_dir(), pendigits_dir()  # the generator draws from both: skip without ../shared
    for photo in PHOTOS:
        made = make_photo(photo["split"], photo["kind"], photo["seed"], photo["digits"])
        assert made.text == photo["text"]
        assert [list(box) for box in made.boxes] == photo["boxes"]
