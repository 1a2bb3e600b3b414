"""A personal model's "not a digit" threshold is chosen again after fine-tuning: the
dense model rejects no more MNIST reference digits than the bundled rule allows (nor any
of the writer's samples), the metadata says how, and the personal model still refuses
drawn letters and scribbles."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from digitpad.core import Recognizer, bundled_models_dir, rasterise_strokes
from digitpad.core.personal import (
    ALLOWANCE,
    SAMPLE_MARGIN,
    FineTuneRecipe,
    NumpyNet,
    SampleStore,
    fine_tune,
    load_non_digit_reference,
    rechosen_rule,
    recipe_for,
)
from digitpad.core.recognition import (
    DigitRule,
    ModelMetadata,
    OnnxModel,
    load_reference_digits,
    user_model_folders,
)
from tests.shared_data import pendigits
from training.non_digits import letter_strokes, scribble

WRITER = 2  # a validation writer, never a test writer
Personal = tuple[Recognizer, dict[str, Any], dict[str, Any]]


def _fewer_steps(net: NumpyNet) -> FineTuneRecipe:
    """The real dense recipe (non-digit replay included), cut to a fifth."""
    return replace(recipe_for(net), steps=100)


@pytest.fixture(scope="module")
def personal(tmp_path_factory: pytest.TempPathFactory) -> Personal:
    """The dense model fine-tuned on 3 of each digit of one writer, and both metadata."""
    root = tmp_path_factory.mktemp("rule")
    bundled = root / "bundled"
    bundled.mkdir()
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"dense{suffix}", bundled / f"dense{suffix}")
    store = SampleStore(root / "samples")
    digits = [d for d in pendigits() if d.writer == WRITER]
    for label in range(10):
        for digit in [d for d in digits if d.label == label][:3]:
            strokes = digit.canvas_strokes()
            store.add_drawing(label, strokes, 255 - rasterise_strokes(strokes, (280, 280)))
    fine_tune(store, models_dir=root / "models", bundled_dir=bundled, recipe=_fewer_steps)
    folders, _ = user_model_folders(root / "models")
    recognizer = Recognizer.from_folders([bundled, *folders])
    document = json.loads((folders[0] / "dense.json").read_text())  # the personal set
    return recognizer, document, json.loads((bundled / "dense.json").read_text())


def _rejects(model: OnnxModel, rule: DigitRule, images: np.ndarray) -> int:
    probabilities, outputs = model.predict_with(images, rule.outputs)
    return int((rule.scores(probabilities, outputs) < rule.threshold).sum())


def test_the_threshold_is_rechosen_to_reject_as_many_reference_digits(
    personal: Personal,
) -> None:
    recognizer, document, bundled = personal
    rule, old = document["not_a_digit"], bundled["not_a_digit"]
    assert rule["score"] == old["score"]
    assert rule.get("detector") == old.get("detector")  # the same detector, its own threshold
    images = load_reference_digits().images.astype(np.float32)
    bundled_model = OnnxModel.load(bundled_models_dir() / "dense.onnx")
    bundled_rule = DigitRule.from_metadata(bundled)
    assert bundled_rule is not None
    rejected = _rejects(bundled_model, bundled_rule, images)
    (model,) = recognizer.loaded_models
    assert model.display_name == "Dense (yours)"
    loaded = recognizer.digit_rule("dense")
    assert loaded is not None
    assert loaded.threshold == rule["threshold"]
    personal_rejects = _rejects(model, loaded, images)
    allowed = max(rejected, int(ALLOWANCE.get(rule["score"], 0.0) * len(images)))
    if "personal_threshold" not in rule:  # the bundled threshold already fits
        assert rule["threshold"] == old["threshold"]
        assert personal_rejects <= allowed
        return
    chosen = rule["personal_threshold"]
    assert chosen["bundled_threshold"] == old["threshold"]
    assert rule["threshold"] < old["threshold"]
    assert "re-chosen after fine-tuning" in chosen["method"]
    assert chosen["digits"] == len(images)
    assert chosen["bundled_rejected"] == rejected
    assert chosen["rejected"] == personal_rejects
    # as many as the bundled rule or its allowance, fewer where the writer's samples need it
    assert personal_rejects <= allowed
    assert rule["threshold"] <= SAMPLE_MARGIN * chosen["lowest_sample_score"]


def test_the_personal_model_still_refuses_drawn_letters_and_scribbles(personal: Personal) -> None:
    recognizer = personal[0]
    rng = np.random.default_rng(7)
    made = [make(rng) for make in [letter_strokes] * 10 + [scribble] * 10]
    answers = [recognizer.predict_strokes(strokes).answers["dense"] for strokes in made]
    assert sum(not a.is_digit for a in answers[:10]) >= 9
    assert sum(not a.is_digit for a in answers[10:]) >= 7
    # and still reads its writer's digits as digits
    digits = [d for d in pendigits() if d.writer == WRITER][-40:]
    read = [recognizer.predict_strokes(d.canvas_strokes()).answers["dense"] for d in digits]
    assert sum(a.is_digit for a in read) >= 39


def test_a_less_sure_model_gets_a_lower_threshold_a_surer_one_keeps_it() -> None:
    entry = {"score": "max_probability", "threshold": 0.5}
    bundled = np.linspace(0.3, 1.0, 100)  # 29 of them under 0.5
    less_sure = bundled**2
    rule = rechosen_rule(entry, bundled, less_sure, "test digits")
    assert rule["threshold"] < 0.5
    assert int((less_sure < rule["threshold"]).sum()) == 29
    assert rule["personal_threshold"]["rejected"] == 29
    assert rechosen_rule(entry, bundled, np.sqrt(bundled), "test digits")["threshold"] == 0.5
    assert entry == {"score": "max_probability", "threshold": 0.5}  # not modified


def test_a_feature_detector_may_reject_its_allowance_of_the_reference_digits() -> None:
    cnn = ModelMetadata.read(bundled_models_dir() / "cnn.json").raw["not_a_digit"]
    bundled = np.full(1000, 0.9)  # the bundled rule rejects none of them
    personal = np.linspace(0.0, 1.0, 1000)  # the personal one would reject 39 %
    rule = rechosen_rule(cnn, bundled, personal, "test digits")
    assert int((personal < rule["threshold"]).sum()) == int(ALLOWANCE["feature_detector"] * 1000)
    assert rule["detector"] == cnn["detector"]


def test_the_shipped_non_digits_are_model_inputs() -> None:
    images = load_non_digit_reference()
    assert images.dtype == np.uint8
    assert images.shape[1:] == (28, 28)
    assert 400 <= len(images) <= 1000
    assert (images.reshape(len(images), -1).max(axis=1) > 100).all()  # every one has ink
