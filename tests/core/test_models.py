"""OnnxModel, ModelMetadata and Recognizer.from_folders with real, broken and wrong models."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.core import (
    ModelLoadError,
    ModelMetadata,
    OnnxModel,
    Prediction,
    Recognizer,
    bundled_models_dir,
)


def _write_onnx(path: Path, *, input_name="image", outputs=10, dtype="FLOAT", rank=3) -> None:
    """A small linear-softmax ONNX model with a chosen signature, to break the contract."""
    # onnx comes with the train extra, which the test suite is installed with.
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    shape = ["N", 28, 28] if rank == 3 else ["N", 28, 28, 1]
    elem = getattr(TensorProto, dtype)
    weights = numpy_helper.from_array(np.zeros((784, outputs), dtype=np.float32), "weights")
    nodes = [
        helper.make_node("Cast", [input_name], ["as_float"], to=TensorProto.FLOAT),
        helper.make_node("Flatten", ["as_float"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "weights"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "contract-test",
        [helper.make_tensor_value_info(input_name, elem, shape)],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", outputs])],
        initializer=[weights],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)


def _reseal(folder: Path, name: str) -> None:
    """Make ``<name>.json`` match the current bytes of ``<name>.onnx`` again."""
    import hashlib

    json_path = folder / f"{name}.json"
    document = json.loads(json_path.read_text())
    document["sha256"] = hashlib.sha256((folder / f"{name}.onnx").read_bytes()).hexdigest()
    json_path.write_text(json.dumps(document))


def test_bundled_models_load_in_display_order(recognizer):
    assert [m.name for m in recognizer.model_metadata] == ["dense", "cnn"]
    assert recognizer.failures == ()
    assert [m.display_name for m in recognizer.model_metadata] == ["Dense", "CNN"]


def test_predict_batch_gives_probabilities_for_both_input_ranks(recognizer, mnist_test):
    images = mnist_test.images[:64].astype(np.float32)
    for model in recognizer.loaded_models:
        probabilities = model.predict_batch(images)
        assert probabilities.shape == (64, 10)
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)
        assert np.mean(probabilities.argmax(axis=1) == mnist_test.labels[:64]) > 0.9


def test_predict_batch_rejects_wrong_shapes(recognizer):
    with pytest.raises(ValueError, match=r"\(N, 28, 28\)"):
        recognizer.loaded_models[0].predict_batch(np.zeros((2, 784), dtype=np.float32))


def test_predict_returns_a_plain_prediction(recognizer, mnist_test):
    digit = mnist_test.images[0]
    prediction = recognizer.predict(Image.fromarray(255 - digit))
    assert isinstance(prediction, Prediction)
    assert not prediction.nothing_drawn
    assert prediction.model_input.shape == (28, 28)
    assert list(prediction.answers) == ["dense", "cnn"]
    for name, answer in prediction.answers.items():
        assert answer.model == name
        assert len(answer.probabilities) == 10
        assert sum(answer.probabilities) == pytest.approx(1.0, abs=1e-4)
        assert answer.digit == mnist_test.labels[0]


def test_nothing_drawn_gets_no_guess(recognizer):
    prediction = recognizer.predict(np.full((280, 280, 4), 255, dtype=np.uint8))
    assert prediction.nothing_drawn
    assert prediction.model_input is None
    assert dict(prediction.answers) == {}


def test_metadata_is_parsed(models_copy):
    metadata = ModelMetadata.read(models_copy / "cnn.json")
    assert metadata.name == "cnn"
    assert metadata.onnx_file == "cnn.onnx"
    assert len(metadata.sha256) == 64
    assert metadata.parameters > 0


def _single_failure(folder: Path, name: str, digit: np.ndarray) -> str:
    """Load ``folder`` where model ``name`` is broken; the other must still read ``digit``."""
    recognizer = Recognizer.from_folders([folder], required=("dense", "cnn"))
    other = "cnn" if name == "dense" else "dense"
    assert [m.name for m in recognizer.model_metadata] == [other]
    assert len(recognizer.failures) == 1
    failure = recognizer.failures[0]
    assert failure.path.parent == folder
    assert failure.path.stem == name
    assert "\n" not in failure.reason
    prediction = recognizer.predict(255 - digit)
    assert list(prediction.answers) == [other]
    return failure.reason


@pytest.fixture(scope="module")
def a_three(mnist_test) -> np.ndarray:
    return mnist_test.images[np.flatnonzero(mnist_test.labels == 3)[0]]


def test_missing_onnx_file_is_reported_and_skipped(models_copy, a_three):
    (models_copy / "cnn.onnx").unlink()
    assert "not found" in _single_failure(models_copy, "cnn", a_three)


def test_missing_metadata_is_reported_and_skipped(models_copy, a_three):
    (models_copy / "dense.json").unlink()
    assert "metadata file not found" in _single_failure(models_copy, "dense", a_three)


def test_model_missing_entirely_is_reported(models_copy, a_three):
    (models_copy / "dense.json").unlink()
    (models_copy / "dense.onnx").unlink()
    assert "not found" in _single_failure(models_copy, "dense", a_three)


def test_garbage_bytes_are_reported_and_skipped(models_copy, a_three):
    (models_copy / "cnn.onnx").write_bytes(b"\x00\x01 definitely not protobuf" * 50)
    _reseal(models_copy, "cnn")
    assert "not a loadable ONNX model" in _single_failure(models_copy, "cnn", a_three)


def test_changed_bytes_fail_the_sha256_check(models_copy, a_three):
    with (models_copy / "dense.onnx").open("ab") as file:
        file.write(b"\x00")
    assert "sha256" in _single_failure(models_copy, "dense", a_three)


def test_malformed_metadata_is_reported(models_copy, a_three):
    (models_copy / "cnn.json").write_text("{ not json")
    assert "not valid JSON" in _single_failure(models_copy, "cnn", a_three)


def test_unknown_metadata_version_is_refused(models_copy, a_three):
    document = json.loads((models_copy / "cnn.json").read_text())
    document["format_version"] = 2
    (models_copy / "cnn.json").write_text(json.dumps(document))
    assert "format_version" in _single_failure(models_copy, "cnn", a_three)


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        ({"input_name": "pixels"}, "input named 'image'"),
        ({"outputs": 5}, "[N, 10]"),
        ({"dtype": "DOUBLE"}, "expected float32"),
    ],
    ids=["input-name", "output-shape", "input-dtype"],
)
def test_contract_violations_are_refused(models_copy, a_three, signature, reason):
    _write_onnx(models_copy / "cnn.onnx", **signature)
    _reseal(models_copy, "cnn")
    assert reason in _single_failure(models_copy, "cnn", a_three)


def test_metadata_describing_another_input_shape_is_refused(models_copy, a_three):
    document = json.loads((models_copy / "cnn.json").read_text())
    document["input"]["shape"] = [None, 28, 28]  # the CNN takes [N, 28, 28, 1]
    (models_copy / "cnn.json").write_text(json.dumps(document))
    assert "metadata describes input" in _single_failure(models_copy, "cnn", a_three)


def test_onnx_model_load_without_metadata_uses_the_file_stem(tmp_path):
    path = tmp_path / "linear.onnx"
    _write_onnx(path, rank=4)
    model = OnnxModel.load(path)
    assert model.name == "linear"
    probabilities = model.predict_batch(np.zeros((3, 28, 28), dtype=np.float32))
    np.testing.assert_allclose(probabilities, 0.1, atol=1e-6)


def test_onnx_model_load_raises_for_missing_file(tmp_path):
    with pytest.raises(ModelLoadError, match="not found"):
        OnnxModel.load(tmp_path / "absent.onnx")


def test_a_later_folder_overrides_and_extends(models_copy, tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"cnn{suffix}", user / f"cnn{suffix}")
        shutil.copy(bundled_models_dir() / f"dense{suffix}", user / f"extra{suffix}")
    document = json.loads((user / "extra.json").read_text())
    document.update(name="extra", display_name="Extra", onnx_file="extra.onnx")
    del document["display_order"]  # listed after the models that say where they go
    (user / "extra.json").write_text(json.dumps(document))
    recognizer = Recognizer.from_folders([models_copy, user])
    assert [m.name for m in recognizer.model_metadata] == ["dense", "cnn", "extra"]
    document["display_order"] = -1
    (user / "extra.json").write_text(json.dumps(document))
    recognizer = Recognizer.from_folders([models_copy, user])
    assert [m.name for m in recognizer.model_metadata] == ["extra", "dense", "cnn"]
    assert recognizer.loaded_models[2].path == user / "cnn.onnx"
    assert recognizer.failures == ()


def test_a_broken_user_model_does_not_hide_the_bundled_one(models_copy, tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    (user / "cnn.onnx").write_bytes(b"broken")
    recognizer = Recognizer.from_folders([models_copy, user])
    assert [m.name for m in recognizer.model_metadata] == ["dense", "cnn"]
    assert recognizer.loaded_models[1].path == models_copy / "cnn.onnx"
    assert [(f.path, f.reason) for f in recognizer.failures] == [
        (user / "cnn.json", "metadata file not found")
    ]


def test_default_locations_include_the_user_models_folder(tmp_path, monkeypatch):
    user = tmp_path / "user-models"
    user.mkdir()
    (user / "extra.onnx").write_bytes(b"not a model")
    monkeypatch.setattr("digitpad.core.recognition._recognizer.user_models_dir", lambda: user)
    recognizer = Recognizer.from_default_locations()
    assert [m.name for m in recognizer.model_metadata] == ["dense", "cnn"]
    assert [(f.path, f.reason) for f in recognizer.failures] == [
        (user / "extra.json", "metadata file not found")
    ]
