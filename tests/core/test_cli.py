"""The digitpad command line, run for real: tables, JSON lines, exit codes, self-test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digitpad import __version__
from digitpad.cli import main
from digitpad.core import Recognizer, run_self_test, samples_dir
from digitpad.core.recognition import sample_files

SEVEN = str(samples_dir() / "digit-7.png")
THREE = str(samples_dir() / "digit-3-photo.jpg")


def test_table_shows_each_models_digit_and_confidence(capsys):
    assert main(["predict", SEVEN, THREE]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["file", "Dense", "CNN"]
    seven = lines[1].split()
    assert seven[0] == SEVEN
    assert seven[1] == "7"
    assert seven[3] == "7"
    assert seven[2].endswith("%")
    assert lines[2].split()[1] == "3"


def test_json_lines_have_the_exact_schema(capsys):
    assert main(["predict", "--json", SEVEN, THREE]) == 0
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["file"] for d in documents] == [SEVEN, THREE]
    for document, digit in zip(documents, (7, 3), strict=True):
        assert set(document) == {"file", "predictions"}
        assert list(document["predictions"]) == ["dense", "cnn"]
        for answer in document["predictions"].values():
            assert set(answer) == {"digit", "is_digit", "probabilities"}
            assert answer["digit"] == digit
            assert answer["is_digit"] is True
            assert len(answer["probabilities"]) == 10
            assert all(isinstance(p, float) for p in answer["probabilities"])
            assert sum(answer["probabilities"]) == pytest.approx(1.0, abs=1e-4)


def test_one_model_only(capsys):
    assert main(["predict", "--json", "--model", "cnn", SEVEN]) == 0
    (document,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert list(document["predictions"]) == ["cnn"]


def test_bad_files_do_not_stop_the_others_and_exit_1(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (280, 280), 255).save(blank)
    files = [str(tmp_path / "missing.png"), str(text), SEVEN, str(blank)]
    assert main(["predict", "--json", *files]) == 1
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["file"] for d in documents] == files
    assert set(documents[0]) == {"file", "error"}
    assert "not found" in documents[0]["error"]
    assert "not a picture" in documents[1]["error"]
    assert documents[2]["predictions"]["cnn"]["digit"] == 7
    assert "nothing drawn" in documents[3]["error"]


def test_table_reports_errors_inline(tmp_path, capsys):
    assert main(["predict", str(tmp_path / "missing.png"), SEVEN]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "error:" in lines[1]
    assert "not found" in lines[1]
    assert lines[2].split()[1] == "7"


@pytest.mark.parametrize(
    "argv",
    [["predict"], ["predict", "--model", "rnn", SEVEN], ["--self-test", "extra.png"]],
    ids=["no-files", "unknown-model", "self-test-with-a-file"],
)
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"digitpad {__version__}"


def test_self_test_passes_with_the_bundled_models_and_samples(capsys):
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "self-test passed"
    assert out.count("ok  ") == 2 * len(sample_files())


def test_self_test_fails_on_a_wrong_answer(tmp_path):
    shutil.copy(samples_dir() / "digit-7.png", tmp_path / "digit-1.png")
    result = run_self_test(folder=tmp_path)
    assert not result.passed
    failed = [check.message for check in result.checks if not check.ok]
    assert failed
    assert all(message.startswith("digit-1.png") for message in failed)


def test_self_test_fails_when_a_model_does_not_load(models_copy):
    (models_copy / "cnn.onnx").unlink()
    recognizer = Recognizer.from_folders([models_copy], required=("dense", "cnn"))
    result = run_self_test(recognizer)
    assert not result.passed
    assert any(not check.ok and check.message.startswith("model ") for check in result.checks)


def test_self_test_prints_failures_and_exits_1(tmp_path, monkeypatch, capsys):
    # A user model that shadows the bundled CNN but cannot load: the command must say so.
    user_models = Path(os.environ["XDG_DATA_HOME"]) / "digitpad" / "models"
    user_models.mkdir(parents=True)
    (user_models / "cnn.onnx").write_bytes(b"not onnx")
    assert main(["--self-test"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "self-test FAILED"
    assert any(line.startswith("FAIL model") for line in lines)


def test_a_mistyped_command_is_named(capsys):
    assert main(["predcit", "x.png"]) == 2
    assert "unknown command 'predcit' (did you mean 'predict'?)" in capsys.readouterr().err


def test_the_installed_command_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "digitpad", "predict", "--json", SEVEN],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["predictions"]["dense"]["digit"] == 7


def test_window_usage_errors_exit_2_without_opening_a_window():
    result = subprocess.run(
        [sys.executable, "-m", "digitpad", "a.png", "b.png"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr
