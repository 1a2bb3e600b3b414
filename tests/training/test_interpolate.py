"""WiSE-FT of the CNN: the two end points are the two real models, and every choice (the
mix, its temperature, its threshold) is made on validation data, never on the test set."""

from __future__ import annotations

import json
from hashlib import sha256
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="training needs the train extra")

from digitpad.core import OnnxModel
from tests.shared_data import pendigits, pendigits_dir
from training.data import Mnist, Split
from training.drawn_data import app_inputs
from training.interpolate import (
    MNIST_LOSS,
    PEN_VALIDATION,
    choose_a,
    interpolate_models,
    mix,
    read_weights,
    validation_sets,
)
from training.pendigits import WRITER_SPLIT, split_by_writer

SOURCES = Path(__file__).resolve().parents[2] / "training" / "wise_ft"
START, TUNED = SOURCES / "cnn_mnist_only.onnx", SOURCES / "cnn_pen_fine_tuned.onnx"


@pytest.fixture(scope="module")
def drawn_digits() -> np.ndarray:
    """Test writers' pen digits as the app reads them: where the two models differ most."""
    digits = split_by_writer(pendigits(), "test")[::25]
    return app_inputs(digits).images.astype(np.float32)


def _probabilities(model_bytes: bytes, images: np.ndarray, tmp_path: Path) -> np.ndarray:
    path = tmp_path / "mix.onnx"
    path.write_bytes(model_bytes)
    return OnnxModel.load(path).predict_batch(images)


def test_a_0_and_a_1_are_the_two_models(drawn_digits: np.ndarray, tmp_path: Path) -> None:
    start, tuned = read_weights(START), read_weights(TUNED)
    assert start.temperature == 1.0
    assert tuned.temperature < 1.0  # the tuned one was calibrated
    expected_start = OnnxModel.load(START).predict_batch(drawn_digits)
    expected_tuned = OnnxModel.load(TUNED).predict_batch(drawn_digits)
    assert np.abs(expected_start - expected_tuned).max() > 0.1  # they do differ

    at_0 = _probabilities(mix(start, tuned, 0.0), drawn_digits, tmp_path)
    at_1 = _probabilities(mix(start, tuned, 1.0, tuned.temperature), drawn_digits, tmp_path)
    halfway = _probabilities(mix(start, tuned, 0.5), drawn_digits, tmp_path)

    np.testing.assert_allclose(at_0, expected_start, atol=1e-5)
    np.testing.assert_allclose(at_1, expected_tuned, atol=1e-5)
    assert np.abs(halfway - expected_start).max() > 1e-3
    assert np.abs(halfway - expected_tuned).max() > 1e-3


def test_choose_a_takes_the_lowest_mnist_validation_loss_and_the_larger_a_on_a_tie() -> None:
    table = {
        0.0: {MNIST_LOSS: 0.03, PEN_VALIDATION: 0.95},
        0.3: {MNIST_LOSS: 0.02, PEN_VALIDATION: 0.97},
        0.6: {MNIST_LOSS: 0.02, PEN_VALIDATION: 0.98},
        1.0: {MNIST_LOSS: 0.04, PEN_VALIDATION: 0.99},
    }
    assert choose_a(table) == 0.6


def test_validation_sets_hold_no_test_writer_and_no_test_image(mnist: Mnist) -> None:
    sets = validation_sets(mnist, pendigits_dir(), 5000)
    np.testing.assert_array_equal(sets["mnist_validation"].images, mnist.train.images[-5000:])
    expected = app_inputs(split_by_writer(pendigits(), "validation"))
    np.testing.assert_array_equal(sets[PEN_VALIDATION].images, expected.images)
    assert not set(WRITER_SPLIT["validation"]) & set(WRITER_SPLIT["test"])


def _run(mnist: Mnist, folder: Path) -> tuple[dict[str, object], bytes]:
    document = interpolate_models(
        START,
        TUNED,
        folder,
        None,
        mnist,
        pendigits_dir(),
        grid=(0.0, 0.5, 1.0),
        log=print,
        quick=True,
    )
    return document, (folder / "cnn.onnx").read_bytes()


def test_the_test_set_changes_no_choice(mnist: Mnist, tmp_path: Path) -> None:
    """The same run with the test set's labels scrambled and its images inverted writes
    the very same model, temperature and threshold; only the reported accuracy moves."""
    test = Split(mnist.test.images[:300], mnist.test.labels[:300])
    rng = np.random.default_rng(0)
    scrambled = Split(255 - test.images, rng.permutation(test.labels))
    first, first_bytes = _run(Mnist(mnist.train, test), tmp_path / "real")
    second, second_bytes = _run(Mnist(mnist.train, scrambled), tmp_path / "scrambled")

    assert first_bytes == second_bytes
    assert first["calibration"] == second["calibration"]
    interpolation = first["training"]["interpolation"]  # type: ignore[index]
    assert interpolation == second["training"]["interpolation"]  # type: ignore[index]
    assert interpolation["a"] in (0.0, 0.5, 1.0)
    # The last layer was re-fitted on the mix's features, its pen weight chosen on
    # validation: every tried weight's row is there, the chosen one within the budget.
    last_layer = interpolation["last_layer"]
    rows = last_layer["validation_by_pen_weight"]
    assert rows
    assert all("mnist_validation_log_loss" in row for row in rows.values())
    budget = interpolation["validation_accuracy_by_a"][f"{interpolation['a']:g}"]
    if last_layer["pen_weight"] is not None:
        chosen = rows[f"{last_layer['pen_weight']:g}"]
        assert chosen["mnist_validation_log_loss"] <= budget["mnist_validation_log_loss"] + 1e-5
    # Even the fine-tune alone rejects only 85 % of the validation non-digits by its top
    # probability, so a detector on the features is fitted (here on 300 training images,
    # too few to reach 90 %: no rule, and the metadata says which score fell short).
    assert "not_a_digit" not in first
    assert interpolation["not_a_digit"].startswith("no rule: its feature_detector rejected")
    assert first["evaluation"]["accuracy"] > 0.95 > second["evaluation"]["accuracy"]  # type: ignore[index]
    written = json.loads((tmp_path / "real" / "cnn.json").read_text(encoding="utf-8"))
    assert OnnxModel.load(tmp_path / "real" / "cnn.onnx").name == "cnn"
    assert written["sha256"] == first["sha256"]


@pytest.mark.slow
def test_training_with_init_from_mixes_with_the_initial_weights(
    mnist: Mnist, tmp_path: Path
) -> None:
    """The CNN recipe fine-tunes, then mixes: the written model is a chosen mix, calibrated."""
    from training.specs import spec_for
    from training.train import TrainConfig, train

    assert spec_for("cnn").recipe.interpolate_with_initial
    start = tmp_path / "start"
    start.mkdir()
    (start / "cnn.onnx").write_bytes(START.read_bytes())
    config = TrainConfig(
        model="cnn", output_dir=tmp_path / "out", reports_dir=None, smoke=True, init_from=start
    )
    document = train(config, mnist, log=print)

    interpolation = document["training"]["interpolation"]  # type: ignore[index]
    assert interpolation["start"]["sha256"] == sha256(START.read_bytes()).hexdigest()
    assert len(interpolation["validation_accuracy_by_a"]) == 11
    assert document["calibration"]["temperature"] > 0  # type: ignore[index]
    written = json.loads((tmp_path / "out" / "cnn.json").read_text(encoding="utf-8"))
    assert written["training"]["interpolation"]["a"] == interpolation["a"]
    assert written["training"]["recipe"]["interpolate_with_initial"] is True
    mixed = read_weights(tmp_path / "out" / "cnn.onnx")
    initial = read_weights(START)
    a = interpolation["a"]
    if a == 0.0:  # the mix is the start itself, up to the folded temperature
        np.testing.assert_allclose(mixed.arrays[0], initial.arrays[0], atol=1e-6)
    else:
        assert np.abs(mixed.arrays[0] - initial.arrays[0]).max() > 0
