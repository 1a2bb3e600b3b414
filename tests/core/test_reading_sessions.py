"""A reading runs each model in a session that computes only the outputs it reads, and
gets the whole model's very numbers from it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from digitpad.core import OnnxModel, bundled_models_dir
from digitpad.core.recognition._graph_outputs import MAX_FIELDS, outputs_only
from digitpad.core.recognition._model import WHOLE_RUNS_FIRST

READ = ["probabilities", "features"]


def _model_bytes(name: str) -> bytes:
    return (bundled_models_dir() / f"{name}.onnx").read_bytes()


def _outputs_of(model: bytes) -> list[str]:
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    return [output.name for output in session.get_outputs()]


@pytest.mark.parametrize("name", ["dense", "cnn"])
def test_a_graph_keeps_only_the_outputs_asked_for(name):
    model = _model_bytes(name)
    pruned = outputs_only(model, READ)
    assert pruned is not None
    assert _outputs_of(pruned) == READ
    assert len(_outputs_of(model)) > len(READ)  # the shipped model had more to drop


def test_a_graph_it_cannot_edit_gives_none():
    model = _model_bytes("dense")
    assert outputs_only(model, ["probabilities", "no such output"]) is None
    assert outputs_only(model[: len(model) // 2], READ) is None
    assert outputs_only(b"\xff" * 64, READ) is None
    assert outputs_only(b"", READ) is None
    # Millions of tiny fields are not read through (onnxruntime skips unknown ones in C).
    assert outputs_only(b"\x08\x01" * (MAX_FIELDS + 1) + model, READ) is None
    assert outputs_only(b"\x08\x01" * 1000 + model, READ) is not None


def test_readings_give_the_whole_models_numbers(recognizer, mnist_test):
    # predict reads through each model's own session once the readings repeat (after
    # WHOLE_RUNS_FIRST); a batch through the whole model.
    for image in mnist_test.images[: WHOLE_RUNS_FIRST + 40]:
        reading = recognizer.predict(image)
        assert reading.model_input is not None
        (whole,) = recognizer.predict_model_inputs(reading.model_input[np.newaxis])
        assert set(reading.answers) == {model.name for model in recognizer.loaded_models}
        for name, answer in reading.answers.items():
            assert answer.probabilities == whole.answers[name].probabilities
            assert answer.is_digit == whole.answers[name].is_digit


def test_a_reading_session_computes_only_what_is_read(recognizer):
    for model in recognizer.loaded_models:
        session = model._one_picture_session(READ)
        assert [output.name for output in session.outputs_meta] == READ


def test_a_model_made_from_a_session_reads_with_that_session(mnist_test):
    session = ort.InferenceSession(_model_bytes("dense"), providers=["CPUExecutionProvider"])
    model = OnnxModel(session, None, Path("dense.onnx"))
    assert model._one_picture_session(READ) is model._run_session
    reading = model.reader(["features"], own_session=True)
    batch = mnist_test.images[:1].astype(np.float32)
    probabilities, outputs = reading.one(batch)
    assert probabilities == model.predict_batch(batch)[0].tolist()
    assert outputs["features"].shape[0] == 1
