"""The bounded JSON reader: hostile JSON is one clear refusal, never a hang or a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digitpad.core.files import MAX_JSON_DEPTH, UntrustedFileError, parse_json_data, read_json_file


def test_plain_data_reads_back() -> None:
    text = b'{"label": 7, "strokes": [[{"x": 1.5, "y": -2, "p": [0.5]}]], "s": "[[{{"}'
    assert parse_json_data(text) == {
        "label": 7,
        "strokes": [[{"x": 1.5, "y": -2, "p": [0.5]}]],
        "s": "[[{{",
    }


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nests 100000 levels"),
        (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "levels deep"),
        (b'{"x": NaN}', "not valid JSON"),
        (b'{"x": -Infinity}', "not valid JSON"),
        (b'{"x": 1e999}', "too large"),
        (b'{"x": ' + b"9" * 400 + b"}", "not valid JSON"),
        (b'{"x": 1', "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_hostile_json_is_refused_with_a_reason(text: bytes, reason: str) -> None:
    with pytest.raises(UntrustedFileError, match=reason):
        parse_json_data(text)


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    text = b'["' + b"[" * 10_000 + b'\\"' + b"{" * 10_000 + b'"]'
    assert parse_json_data(text) == ["[" * 10_000 + '"' + "{" * 10_000]


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "meta.json"
    os.mkfifo(pipe)
    with pytest.raises(UntrustedFileError, match="named pipe"):
        read_json_file(pipe, 1024)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b"0," * 600_000 + b"0]")
    with pytest.raises(UntrustedFileError, match="too large"):
        read_json_file(big, 1024 * 1024)
