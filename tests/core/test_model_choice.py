"""The headline model comes from the models' metadata: the most accurate, comparably."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import ModelMetadata, Recognizer, bundled_models_dir, preferred_model
from digitpad.core.personal import read_onnx_graph


def _shipped(name: str) -> ModelMetadata:
    return ModelMetadata.read(bundled_models_dir() / f"{name}.json")


def _renamed(model: ModelMetadata, name: str, accuracy: float | None, order: int) -> ModelMetadata:
    return replace(model, name=name, accuracy=accuracy, display_order=order)


def test_the_most_accurate_shipped_model_leads() -> None:
    dense, cnn = _shipped("dense"), _shipped("cnn")
    assert cnn.accuracy is not None
    assert dense.accuracy is not None
    assert cnn.accuracy > dense.accuracy
    assert preferred_model([dense, cnn]) == "cnn"


def test_a_more_accurate_third_model_takes_the_lead() -> None:
    dense, cnn = _shipped("dense"), _shipped("cnn")
    better = _renamed(dense, "wide", 0.9990, order=5)
    assert preferred_model([dense, cnn, better]) == "wide"


def test_ties_and_incomparable_accuracies_go_by_display_order() -> None:
    dense, cnn = _shipped("dense"), _shipped("cnn")
    assert preferred_model([_renamed(cnn, "a", 0.99, 3), _renamed(dense, "b", 0.99, 1)]) == "b"
    no_evaluation = _renamed(dense, "mine", None, order=0)
    assert preferred_model([cnn, no_evaluation]) == "mine"


def test_no_models_no_headline() -> None:
    assert preferred_model([]) is None


def _user_model(folder: Path, name: str, data: bytes, accuracy: float) -> None:
    """``data`` as the user's model ``name``, its metadata claiming ``accuracy``."""
    document = json.loads((bundled_models_dir() / "dense.json").read_text())
    document.update(
        name=name,
        display_name=name,
        onnx_file=f"{name}.onnx",
        sha256=hashlib.sha256(data).hexdigest(),
        display_order=0,
        evaluation={**document["evaluation"], "accuracy": accuracy},
    )
    (folder / f"{name}.onnx").write_bytes(data)
    (folder / f"{name}.json").write_text(json.dumps(document))


def _always(digit: int) -> bytes:
    """The bundled dense model rewired to answer ``digit`` whatever it is shown."""
    graph = read_onnx_graph((bundled_models_dir() / "dense.onnx").read_bytes())
    weights = graph.weights()
    last_weights, last_bias = [name for name, value in weights.items() if value.shape[-1:] == (10,)]
    weights[last_weights] = np.zeros_like(weights[last_weights])
    weights[last_bias] = np.where(np.arange(10) == digit, 20.0, 0.0).astype(np.float32)
    return graph.with_weights(weights)


def test_a_user_model_claiming_more_than_it_reads_never_takes_the_headline(tmp_path):
    _user_model(tmp_path, "liar", _always(7), accuracy=1.0)
    dense = (bundled_models_dir() / "dense.onnx").read_bytes()
    _user_model(tmp_path, "honest", dense, accuracy=0.9995)  # the bundled dense: true enough
    recognizer = Recognizer.from_folders([bundled_models_dir(), tmp_path])
    assert recognizer.failures == ()
    liar = next(m for m in recognizer.model_metadata if m.name == "liar")
    assert liar.accuracy is None
    assert liar.raw["accuracy_check"]["claimed"] == 1.0
    assert liar.raw["accuracy_check"]["measured"] == pytest.approx(0.1)
    assert recognizer.loaded_models[-1].name == "liar"  # listed after every other model
    honest = next(m for m in recognizer.model_metadata if m.name == "honest")
    assert honest.accuracy == 0.9995
    assert preferred_model(recognizer.model_metadata) == "honest"
    without_honest = [m for m in recognizer.model_metadata if m.name != "honest"]
    assert preferred_model(without_honest) == "cnn"


def test_the_models_dialog_says_a_claim_was_not_believed(tmp_path):
    models_dialog = pytest.importorskip("digitpad.ui.models_dialog")
    _user_model(tmp_path, "liar", _always(7), accuracy=1.0)
    recognizer = Recognizer.from_folders([tmp_path])
    (liar,) = recognizer.loaded_models
    accuracy = models_dialog.model_facts(liar)[2]
    assert accuracy == "claims 100.00% but reads 10.0% of the reference digits"
