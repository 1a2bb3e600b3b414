"""``digitpad robustness``, run for real: its JSON against the core's transforms and the
models run directly, the table, and the usual one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from digitpad.cli import main
from digitpad.core import TRANSFORMS, Recognizer, load_image, samples_dir

SEVEN = str(samples_dir() / "digit-7.png")


def _strict_json(line: str) -> dict:
    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(line, parse_constant=refuse)


def test_json_is_the_core_transforms_read_by_the_models(capsys, recognizer: Recognizer):
    code = main(["robustness", "--json", SEVEN])

    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    document = _strict_json(lines[0])
    assert set(document) == {"file", "input", "transforms"}
    assert document["file"] == SEVEN
    seen = recognizer.predict(load_image(SEVEN))
    assert seen.model_input is not None
    model_input = np.array(document["input"], dtype=np.float32)
    np.testing.assert_array_equal(model_input, seen.model_input)
    assert list(document["transforms"]) == [t.name for t in TRANSFORMS]
    for transform in TRANSFORMS:
        points = document["transforms"][transform.name]
        assert [p["amount"] for p in points] == list(transform.amounts)
        varied = transform.vary(seen.model_input)
        np.testing.assert_array_equal(np.array([p["input"] for p in points]), varied)
        for model in recognizer.loaded_models:
            direct = model.predict_batch(varied)
            written = np.array([p["predictions"][model.name]["probabilities"] for p in points])
            np.testing.assert_allclose(written, direct, atol=1e-6)
            digits = [p["predictions"][model.name]["digit"] for p in points]
            assert digits == list(np.argmax(direct, axis=1))
            # unchanged, the answer is the one predict gives
            np.testing.assert_allclose(
                written[transform.rest], seen.answers[model.name].probabilities, atol=1e-6
            )


def test_table_shows_each_model_and_transform(capsys):
    code = main(["robustness", SEVEN])

    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{SEVEN}:\n")
    assert "reads 7 as it is" in out
    for transform in TRANSFORMS:
        assert out.count(f"    {transform.name} ") == 2  # one block per model
    shift_row = next(line for line in out.splitlines() if "shift_x" in line)
    assert len(shift_row.split("digit")[1].split()) == 13


def test_bad_files_get_one_line_each(capsys, tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    text = tmp_path / "notes.txt"
    text.write_text("a seven")

    code = main(["robustness", "--json", str(text), str(blank)])

    assert code == 1
    documents = [_strict_json(line) for line in capsys.readouterr().out.splitlines()]
    assert [set(d) for d in documents] == [{"file", "error"}, {"file", "error"}]
    assert documents[1]["error"] == "nothing drawn (no ink found)"
    code = main(["robustness", str(blank)])
    assert code == 1
    assert capsys.readouterr().out == f"{blank}: error: nothing drawn (no ink found)\n"


@pytest.mark.parametrize("argv", [["robustness"], ["robustness", "--bogus", SEVEN]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: digitpad robustness" in capsys.readouterr().err
