"""The headline model comes from the models' metadata: the most accurate, comparably."""

from __future__ import annotations

from dataclasses import replace

from digitpad.core import ModelMetadata, bundled_models_dir, preferred_model


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
