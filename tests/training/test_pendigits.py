"""The pendigits loader (UNIPEN text, writers, y up) and the one writer split."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tests.shared_data import pendigits
from training.pendigits import (
    PENDIGITS_FILE,
    TEST_WRITERS,
    TRAINING_WRITERS,
    VALIDATION_WRITERS,
    WRITER_SPLIT,
    PenDigitsError,
    load_pendigits,
    parse_unipen,
    split_by_writer,
)

TINY = """.INCLUDE        dene.doc
.LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"

.SEGMENT DIGIT    0 ? "7"
.COMMENT 7 4  1
.PEN_DOWN
 100  300
 200  300
 120  100
.PEN_UP
.PEN_DOWN
 110  200
 170  200
.PEN_UP
.DT 100

.SEGMENT DIGIT    1 ? "1"
.COMMENT 1 9  2
.PEN_DOWN
 150  300
 150  100
.PEN_UP
"""


def test_a_tiny_unipen_file_gives_labels_writers_and_strokes(tmp_path: Path) -> None:
    (tmp_path / PENDIGITS_FILE).write_bytes(gzip.compress(TINY.encode("ascii")))
    seven, one = load_pendigits(tmp_path)
    assert (seven.label, seven.writer, len(seven.strokes)) == (7, 4, 2)
    assert (one.label, one.writer, len(one.strokes)) == (1, 9, 1)
    np.testing.assert_array_equal(seven.strokes[0], [[100, 300], [200, 300], [120, 100]])
    # Tablet y points up: the 7's bar (y 300) is on top once turned to screen orientation.
    screen = seven.screen_strokes()[0]
    assert screen[0, 1] < screen[2, 1]
    canvas = seven.canvas_strokes()
    assert min(p.y for p in canvas[0].points) == pytest.approx(140 - 0.7 * 280 / 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (" 1 2\n", "outside .PEN_DOWN"),
        ('.SEGMENT DIGIT 0 ? "7"\n.COMMENT 7 4 1\n.PEN_DOWN\n 1 two\n', "not an 'x y'"),
        (".PEN_DOWN\n", "outside any digit"),
        ('.SEGMENT DIGIT 0 ? "7"\n.PEN_DOWN\n 1 2\n.PEN_UP\n', "no .COMMENT"),
        ('.SEGMENT DIGIT 0 ? "x"\n', "not a digit segment"),
    ],
)
def test_malformed_text_says_where(text: str, message: str) -> None:
    with pytest.raises(PenDigitsError, match=message):
        parse_unipen(text.splitlines(), "bad.tra")


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PenDigitsError, match="file not found"):
        load_pendigits(tmp_path)
    (tmp_path / PENDIGITS_FILE).write_bytes(b"not gzip")
    with pytest.raises(PenDigitsError, match="cannot read"):
        load_pendigits(tmp_path)


@pytest.fixture(scope="module")
def real_digits():
    return pendigits()


def test_the_real_file_has_what_its_readme_says(real_digits) -> None:
    assert len(real_digits) == 7494
    assert {d.writer for d in real_digits} == set(range(1, 31))
    per_label = Counter(d.label for d in real_digits)
    assert per_label == {
        0: 780,
        1: 779,
        2: 780,
        3: 719,
        4: 780,
        5: 720,
        6: 720,
        7: 778,
        8: 719,
        9: 719,
    }


def test_the_writer_split_is_disjoint_and_covers_everyone(real_digits) -> None:
    parts = [set(TRAINING_WRITERS), set(VALIDATION_WRITERS), set(TEST_WRITERS)]
    assert sum(map(len, parts)) == 30
    assert set().union(*parts) == set(range(1, 31))
    assert WRITER_SPLIT == {
        "train": TRAINING_WRITERS,
        "validation": VALIDATION_WRITERS,
        "test": TEST_WRITERS,
    }
    sizes = {part: len(split_by_writer(real_digits, part)) for part in WRITER_SPLIT}
    assert sum(sizes.values()) == len(real_digits)
    assert sizes["test"] >= 1700
    assert sizes["validation"] >= 1200
    for part, writers in WRITER_SPLIT.items():
        assert {d.writer for d in split_by_writer(real_digits, part)} == set(writers)
