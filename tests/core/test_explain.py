"""Explanations with the real models on real MNIST digits: faithful heat maps, apt
neighbours, inner layers, a cache that is never trusted blindly, and models without the
extra outputs.

No figure of today's models is hard-coded: the assertions are ratios and floors any
reasonable digit classifier meets, so retrained models pass them too.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from benchmarks.explain import deletion_test, neighbour_agreement
from digitpad.core import (
    Explainer,
    NeighbourIndex,
    OnnxModel,
    Recognizer,
    ReferenceDataError,
    load_reference_digits,
    occlusion_saliency,
)
from digitpad.core.explain import MAX_CACHE_BYTES, MAX_CACHED, model_sha256
from tests.model_files import without_extra_outputs
from training.data import Split

DIGITS = 60


@pytest.fixture(scope="session")
def explainer(recognizer: Recognizer, tmp_path_factory: pytest.TempPathFactory) -> Explainer:
    """Both shipped models with their indexes built once into a throwaway cache."""
    built = Explainer(recognizer.loaded_models, cache_dir=tmp_path_factory.mktemp("neighbours"))
    built.prepare()
    return built


@pytest.fixture(scope="session")
def digits(mnist_test: Split) -> Split:
    """A seeded sample of MNIST test digits (the test set: never in the reference set)."""
    chosen = np.random.default_rng(13).choice(len(mnist_test), DIGITS, replace=False)
    return Split(mnist_test.images[chosen], mnist_test.labels[chosen])


def _model(recognizer: Recognizer, name: str) -> OnnxModel:
    return next(m for m in recognizer.loaded_models if m.name == name)


@pytest.mark.parametrize("name", ["dense", "cnn"])
def test_blanking_the_most_salient_ink_hurts_far_more_than_bright_or_random_ink(
    recognizer, digits, name
):
    figures = deletion_test(_model(recognizer, name), digits.images, fraction=0.1)

    salient, brightest, random = (figures[k] for k in ("salient", "brightest", "random"))
    assert salient.probability_drop > 0.2, figures
    assert salient.probability_drop > 1.75 * brightest.probability_drop, figures
    assert salient.probability_drop > 3 * random.probability_drop, figures
    assert salient.answer_changed > 2 * max(brightest.answer_changed, random.answer_changed, 0.02)


@pytest.mark.parametrize("name", ["dense", "cnn"])
def test_nearest_training_digits_mostly_share_the_test_digits_label(
    recognizer, explainer, digits, name
):
    index = explainer.neighbour_index(name)
    assert index is not None

    found = neighbour_agreement(index, _model(recognizer, name), digits.images, digits.labels)

    assert found.nearest >= 0.9, found
    assert found.all_five >= 0.85, found


def test_an_explanation_holds_each_models_heat_map_neighbours_and_layers(explainer, digits):
    image = digits.images[0].astype(np.float32)

    explanations = explainer.explain(image)

    assert list(explanations) == ["dense", "cnn"]
    reference = load_reference_digits()
    for explanation in explanations.values():
        assert explanation.missing == ()
        assert explanation.digit == int(np.argmax(explanation.probabilities))
        assert explanation.saliency.shape == (28, 28)
        assert np.all(explanation.saliency[image == 0] == 0), "no ink, no evidence"
        assert explanation.saliency.max() > 0
        distances = [n.distance for n in explanation.neighbours]
        assert len(distances) == 5
        assert distances == sorted(distances)
        for neighbour in explanation.neighbours:
            row = int(np.flatnonzero(reference.indices == neighbour.index)[0])
            assert reference.labels[row] == neighbour.label
            np.testing.assert_array_equal(reference.images[row], neighbour.image)
    assert explanations["dense"].activations.keys() == {"hidden_1", "hidden_2"}
    assert explanations["cnn"].activations["conv_1"].shape == (32, 26, 26)
    assert explanations["cnn"].activations["conv_2"].shape == (64, 11, 11)
    assert all(np.all(a >= 0) for e in explanations.values() for a in e.activations.values())


def test_the_reported_distance_is_the_distance_in_the_models_feature_space(
    recognizer, explainer, digits
):
    model = _model(recognizer, "cnn")
    image = digits.images[1].astype(np.float32)
    nearest = explainer.explain(image)["cnn"].neighbours[0]

    features = model.run_outputs(np.stack([image, nearest.image.astype(np.float32)]), ["features"])
    direct = float(np.linalg.norm(features["features"][0] - features["features"][1]))

    assert nearest.distance == pytest.approx(direct, rel=0.02, abs=0.02)


def test_the_heat_map_of_an_empty_input_is_empty(recognizer):
    saliency = occlusion_saliency(_model(recognizer, "cnn"), np.zeros((28, 28), np.float32), 0)

    assert saliency.shape == (28, 28)
    assert not saliency.any()


def test_blanking_the_ink_a_heat_map_rates_highest_lowers_the_answer(recognizer, digits):
    model = _model(recognizer, "dense")
    image = digits.images[2].astype(np.float32)
    digit = int(model.predict_batch(image[None])[0].argmax())
    saliency = occlusion_saliency(model, image, digit)
    row, col = np.unravel_index(np.argmax(saliency), saliency.shape)
    blanked = image.copy()
    blanked[row : row + 2, col : col + 2] = 0

    before = model.predict_batch(image[None])[0][digit]
    after = model.predict_batch(blanked[None])[0][digit]

    assert after < before


def test_a_model_without_extra_outputs_is_explained_as_far_as_it_can_be(
    recognizer, digits, tmp_path
):
    dense = _model(recognizer, "dense")
    bare = OnnxModel.load(without_extra_outputs(dense.path, tmp_path / "dense-bare.onnx"))
    explainer = Explainer([bare], cache_dir=tmp_path / "cache")
    image = digits.images[3].astype(np.float32)

    explanation = explainer.explain(image)[bare.name]

    assert explanation.saliency.max() > 0, "the heat map needs only the probabilities"
    assert explanation.digit == int(np.argmax(bare.predict_batch(image[None])[0]))
    assert explanation.neighbours == ()
    assert explanation.activations == {}
    assert any("features" in sentence for sentence in explanation.missing)
    assert any("inner layers" in sentence for sentence in explanation.missing)


def test_unreadable_reference_digits_are_said_not_shown(recognizer, digits, tmp_path):
    problem = ReferenceDataError(f"{tmp_path}/missing.npz: not a readable reference file")
    explainer = Explainer(recognizer.loaded_models, reference=problem, cache_dir=tmp_path)

    explanations = explainer.explain(digits.images[4].astype(np.float32))

    for explanation in explanations.values():
        assert explanation.neighbours == ()
        assert any("missing.npz" in sentence for sentence in explanation.missing)
        assert explanation.saliency.any()


def test_a_cached_index_is_read_back_instead_of_rebuilt(recognizer, tmp_path, monkeypatch):
    model = _model(recognizer, "dense")
    reference = load_reference_digits()
    built = NeighbourIndex.load_or_build(model, reference, tmp_path)
    cache_file = tmp_path / f"{model_sha256(model)}.npz"
    assert cache_file.is_file()
    assert [p.name for p in tmp_path.iterdir()] == [cache_file.name], "no temporary file left"

    def refuse(*_args, **_kwargs):
        raise AssertionError("the index was rebuilt although the cache is valid")

    monkeypatch.setattr(NeighbourIndex, "build", refuse)
    read = NeighbourIndex.load_or_build(model, reference, tmp_path)

    np.testing.assert_array_equal(read.features, built.features)


def test_preparing_in_the_background_leaves_every_index_built_and_cached(recognizer, tmp_path):
    explainer = Explainer(recognizer.loaded_models, cache_dir=tmp_path)
    assert not explainer.is_prepared()
    worker = explainer.prepare_in_background()
    assert worker.daemon, "a build under way must not hold up quitting"
    worker.join(timeout=60)
    assert explainer.is_prepared()
    cached = {p.stem for p in tmp_path.glob("*.npz")}
    assert cached == {model_sha256(model) for model in recognizer.loaded_models}


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "oversized", "other-weights", "wrong-rows"],
)
def test_a_damaged_or_foreign_cache_is_rebuilt_never_trusted(recognizer, tmp_path, damage):
    model = _model(recognizer, "dense")
    reference = load_reference_digits()
    built = NeighbourIndex.load_or_build(model, reference, tmp_path)
    cache_file = tmp_path / f"{model_sha256(model)}.npz"
    content = cache_file.read_bytes()
    if damage == "garbage":
        cache_file.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        cache_file.write_bytes(content[: len(content) // 2])
    elif damage == "oversized":  # a sparse file: costs no disk, and must not be read
        with cache_file.open("r+b") as stream:
            stream.truncate(MAX_CACHE_BYTES + 1)
    else:
        with np.load(cache_file, allow_pickle=False) as archive:
            arrays = dict(archive)
        features = arrays["features"]
        if damage == "other-weights":  # same shapes and header, other numbers
            arrays["features"] = (features.astype(np.float32) * 1.5 + 1).astype(np.float16)
        else:
            arrays["features"] = features[:-1]
        np.savez(cache_file, **arrays)

    rebuilt = NeighbourIndex.load_or_build(model, reference, tmp_path)

    np.testing.assert_array_equal(rebuilt.features, built.features)
    with np.load(cache_file, allow_pickle=False) as archive:  # and the cache is whole again
        np.testing.assert_array_equal(archive["features"].astype(np.float32), built.features)


def test_an_unwritable_cache_folder_only_costs_a_rebuild(recognizer, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    model = _model(recognizer, "dense")

    index = NeighbourIndex.load_or_build(model, load_reference_digits(), blocker / "cache")

    assert index.features.shape == (len(load_reference_digits()), 128)


def test_the_cache_keeps_only_the_most_recently_used_indexes(recognizer, tmp_path):
    for number in range(MAX_CACHED + 3):  # indexes of models retrained long ago
        old = tmp_path / f"{number:064x}.npz"
        old.write_bytes(b"an old index")
        os.utime(old, (1_000_000 + number, 1_000_000 + number))
    model = _model(recognizer, "dense")

    NeighbourIndex.load_or_build(model, load_reference_digits(), tmp_path)

    kept = sorted(p.name for p in tmp_path.glob("*.npz"))
    assert len(kept) == MAX_CACHED
    assert f"{model_sha256(model)}.npz" in kept
    assert f"{MAX_CACHED + 2:064x}.npz" in kept, "the newest old ones stay"
    assert f"{0:064x}.npz" not in kept
