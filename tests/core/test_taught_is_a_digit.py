"""What a person taught is a digit for their personal models (issue 21, item 3).

Slashed zeros, drawn as strokes and rendered by the core's rasteriser, are a style MNIST
barely has: the bundled dense model calls some of them "not a digit". After a real
fine-tune on them, both personal models read them, and new ones like them, as 0 and as
digits; the fine-tune's figures count a refused sample as not read, as the window does.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import Recognizer, Stroke, bundled_models_dir, rasterise_strokes
from digitpad.core.personal import (
    COPY_QUANTILE,
    SAMPLE_MARGIN,
    FineTuneRecipe,
    FineTuneReport,
    NumpyNet,
    SampleStore,
    fine_tune,
    rechosen_rule,
    recipe_for,
)
from digitpad.core.recognition import user_model_folders
from tests.shared_data import pendigits
from training.drawn import place_on_canvas

WRITER = 2  # a validation writer, never a test writer
ZEROS = 5


def slashed_zero(rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A tall ring, then a slash from its top right to its bottom left, past the ring."""
    t = np.linspace(0.0, 2.0 * np.pi, 60) + rng.uniform(-0.3, 0.3)
    rx, ry = rng.uniform(0.28, 0.36), rng.uniform(0.45, 0.5)
    ring = np.stack([0.5 + rx * np.sin(t), 0.5 - ry * np.cos(t)], axis=1)
    ring += rng.normal(0.0, 0.006, ring.shape)
    slash = np.array([[0.85 + rng.uniform(-0.05, 0.05), 0.05], [0.15, 0.95]])
    return place_on_canvas([ring * 100, slash * 100], spacing=3.0)


def _shorter(net: NumpyNet) -> FineTuneRecipe:
    """The real recipes, cut to a third so the test runs in a minute."""
    recipe = recipe_for(net)
    return replace(recipe, steps=recipe.steps // 3)


Taught = tuple[SampleStore, FineTuneReport, Recognizer, Path]


@pytest.fixture(scope="module")
def taught(tmp_path_factory: pytest.TempPathFactory) -> Taught:
    root = tmp_path_factory.mktemp("taught")
    store = SampleStore(root / "samples")
    rng = np.random.default_rng(3)
    for _ in range(ZEROS):
        strokes = slashed_zero(rng)
        store.add_drawing(0, strokes, 255 - rasterise_strokes(strokes, (280, 280)))
    digits = [d for d in pendigits() if d.writer == WRITER]
    for label in range(1, 10):
        for digit in [d for d in digits if d.label == label][:2]:
            strokes = digit.canvas_strokes()
            store.add_drawing(label, strokes, 255 - rasterise_strokes(strokes, (280, 280)))
    report = fine_tune(store, models_dir=root / "models", recipe=_shorter)
    folders, _ = user_model_folders(root / "models")
    personal = Recognizer.from_folders([bundled_models_dir(), *folders])
    return store, report, personal, folders[0]  # the personal set's own folder


def test_the_personal_models_read_the_taught_zeros_and_new_ones_as_digits(taught: Taught) -> None:
    store, _, personal, _ = taught
    assert {m.display_name for m in personal.loaded_models} == {"Dense (yours)", "CNN (yours)"}
    for sample in store.samples():
        assert sample.strokes is not None
        for answer in personal.predict_strokes(sample.strokes).answers.values():
            assert answer.is_digit, (sample.label, answer)
    rng = np.random.default_rng(11)  # zeros the models never saw
    for _ in range(12):
        for answer in personal.predict_strokes(slashed_zero(rng)).answers.values():
            assert answer.digit == 0, answer
            assert answer.is_digit, answer


def test_the_bundled_rule_refuses_some_taught_zeros_the_personal_one_none(taught: Taught) -> None:
    store, _, _, models = taught
    bundled = Recognizer.from_folders([bundled_models_dir()])
    zeros = [s for s in store.samples() if s.label == 0]
    refused = [a for s in zeros for a in bundled.predict_strokes(s.strokes or ()).answers.values()]
    assert any(not a.is_digit for a in refused)  # the style is unusual to the bundled rule
    for name in ("dense", "cnn"):
        rule = json.loads((models / f"{name}.json").read_text())["not_a_digit"]
        chosen = rule["personal_threshold"]
        assert chosen["samples"] == len(store.samples())
        assert rule["threshold"] <= SAMPLE_MARGIN * chosen["lowest_sample_score"]


def test_the_figures_before_count_a_refused_sample_as_not_read(taught: Taught) -> None:
    store, report, _, _ = taught
    bundled = Recognizer.from_folders([bundled_models_dir()])
    samples = store.samples()
    labels = [s.label for s in samples]
    readings = [bundled.predict_strokes(s.strokes or ()).answers for s in samples]
    for figures in report.models:
        answers = [answers[figures.name] for answers in readings]
        shown = sum(a.digit == d and a.is_digit for a, d in zip(answers, labels, strict=True))
        assert figures.yours_before == pytest.approx(shown / len(samples))
    dense = [answers["dense"] for answers in readings]
    read = sum(a.digit == d for a, d in zip(dense, labels, strict=True)) / len(samples)
    assert next(f for f in report.models if f.name == "dense").yours_before < read


def test_the_threshold_falls_below_every_taught_sample() -> None:
    entry = {"score": "max_probability", "threshold": 0.7}
    reference = np.linspace(0.5, 1.0, 200)
    samples = np.array([0.95, 0.4, 0.8])  # one taught drawing the rule would refuse
    rule = rechosen_rule(entry, reference, reference, "test digits", samples)
    assert rule["threshold"] <= SAMPLE_MARGIN * 0.4
    assert rule["personal_threshold"]["samples"] == 3
    assert rule["personal_threshold"]["lowest_sample_score"] == 0.4
    sure = rechosen_rule(entry, reference, reference, "test digits", np.array([0.99, 0.98]))
    assert sure["threshold"] == 0.7  # samples the rule passes change nothing


def test_the_threshold_falls_below_all_but_the_wildest_redrawn_copies() -> None:
    entry = {"score": "feature_detector", "threshold": 0.4, "detector": {}}
    reference = np.linspace(0.5, 1.0, 200)
    copies = np.concatenate([np.full(990, 0.3), np.full(10, 0.01)])  # 1 % wild copies
    rule = rechosen_rule(entry, reference, reference, "test digits", np.array([0.9]), copies)
    assert int((copies < rule["threshold"]).sum()) <= COPY_QUANTILE * len(copies)
    assert rule["threshold"] > 0.01  # the wildest copies do not drag it to nothing
    assert rule["personal_threshold"]["copies"] == len(copies)
