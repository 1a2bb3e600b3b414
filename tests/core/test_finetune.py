"""Fine-tuning on real pen-tablet digits: it learns a writer, writes loadable personal
models with honest metadata, refuses too few samples, stops when cancelled, and resets."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import Recognizer, bundled_model_names, bundled_models_dir, rasterise_strokes
from digitpad.core.personal import (
    MIN_SAMPLES,
    FineTuneError,
    FineTuneRecipe,
    NumpyNet,
    Sample,
    SampleStore,
    StrokeJitter,
    adapt,
    fine_tune,
    personal_model_names,
    read_onnx_graph,
    recipe_for,
    reset_personal_models,
    softmax,
)
from digitpad.core.personal import _fine_tune_data as fine_tune_data
from digitpad.core.preprocessing import render_for_model
from digitpad.core.recognition import (
    load_reference_digits,
    personal_set_folder,
    user_model_folders,
)
from tests.shared_data import pendigits
from training.pendigits import PenDigit

# A validation writer (never a test writer) whose digits the bundled models misread most.
WRITER = 2


@pytest.fixture(scope="module")
def writer_digits() -> list[PenDigit]:
    return [d for d in pendigits() if d.writer == WRITER]


def _short(net: NumpyNet) -> FineTuneRecipe:
    """The real recipe, cut short so the test runs in seconds."""
    return replace(recipe_for(net), steps=12)


def _store(root: Path, digits: list[PenDigit], per_digit: int) -> SampleStore:
    store = SampleStore(root)
    for label in range(10):
        for digit in [d for d in digits if d.label == label][:per_digit]:
            strokes = digit.canvas_strokes()
            store.add_drawing(label, strokes, 255 - rasterise_strokes(strokes, (280, 280)))
    return store


def _inputs(digits: list[PenDigit]) -> np.ndarray:
    """The digits as the window reads drawings: from their strokes."""
    reader = Recognizer([])
    return np.stack([reader.predict_strokes(d.canvas_strokes()).model_input for d in digits])


def _loss(net: NumpyNet, images: np.ndarray, labels: np.ndarray) -> float:
    return float(-np.log(net.probabilities(images)[np.arange(len(labels)), labels]).mean())


@pytest.mark.parametrize("name", bundled_model_names())
def test_adapting_teaches_a_model_the_writers_hand(writer_digits, name):
    """Five of each digit: those are learnt, and the writer's next digits read better.

    Whatever the bundled model knows already, the loss on the samples it trained on
    must fall sharply and the loss on digits it never saw must fall too.
    """
    by_label = {label: [d for d in writer_digits if d.label == label] for label in range(10)}
    train = [d for label in range(10) for d in by_label[label][:5]]
    test = [d for label in range(10) for d in by_label[label][5:15]]
    train_images, train_labels = _inputs(train), np.array([d.label for d in train])
    test_images, test_labels = _inputs(test), np.array([d.label for d in test])
    reference = load_reference_digits()
    net = NumpyNet.from_graph(read_onnx_graph((bundled_models_dir() / f"{name}.onnx").read_bytes()))
    before = (_loss(net, train_images, train_labels), _loss(net, test_images, test_labels))
    right_before = (net.probabilities(test_images).argmax(1) == test_labels).sum()
    recipe = replace(recipe_for(net), steps=60)
    adapt(
        net,
        train_images,
        train_labels,
        reference.images.astype(np.float32),
        reference.labels,
        recipe,
        np.random.default_rng(0),
    )
    assert _loss(net, train_images, train_labels) < 0.5 * before[0]
    assert _loss(net, test_images, test_labels) < before[1]
    assert (net.probabilities(test_images).argmax(1) == test_labels).sum() >= right_before


def test_fine_tune_writes_personal_models_that_load_everywhere(tmp_path, writer_digits):
    store = _store(tmp_path / "samples", writer_digits, 2)
    models_dir = tmp_path / "models"
    seen = []
    report = fine_tune(
        store, models_dir=models_dir, recipe=_short, progress=lambda f, m: seen.append((f, m))
    )
    assert report.samples_used == 20
    assert report.per_digit == dict.fromkeys(range(10), 2)
    assert report.yours_method == "3-fold cross-validation on 20 samples"
    assert {m.name for m in report.models} == set(bundled_model_names())
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    folders, problems = user_model_folders(models_dir)
    assert problems == []
    recognizer = Recognizer.from_folders([bundled_models_dir(), *folders])
    assert recognizer.failures == ()
    assert {m.path.parent for m in report.models} == {personal_set_folder(models_dir)}
    for figures in report.models:
        assert 0.0 <= figures.yours_before <= 1.0
        assert 0.0 <= figures.yours_after <= 1.0
        assert figures.mnist_after > 0.95  # a short run still reads MNIST
        bundled = json.loads((bundled_models_dir() / f"{figures.name}.json").read_text())
        document = json.loads(figures.path.with_suffix(".json").read_text())
        assert document["display_name"] == bundled["display_name"] + " (yours)"
        assert document["fine_tuned_from"] == {
            "file": bundled["onnx_file"],
            "sha256": bundled["sha256"],
        }
        assert document["sha256"] == hashlib.sha256(figures.path.read_bytes()).hexdigest()
        assert document["fine_tuning"]["samples"] == 20
        recipe = document["fine_tuning"]["recipe"]  # what ran, re-drawn copies included
        assert recipe["steps"] == 12
        assert recipe["redraw"] == json.loads(json.dumps(asdict(StrokeJitter())))
        # The bundled rule, its threshold re-chosen (test_finetune_rule.py)
        rule, old = document["not_a_digit"], bundled["not_a_digit"]
        assert rule["threshold"] <= old["threshold"]
        # lowered, and saying so, or the bundled threshold kept as it fits
        lowered = rule.get("personal_threshold", {"bundled_threshold": rule["threshold"]})
        assert lowered["bundled_threshold"] == old["threshold"]
        moved = {"threshold", "personal_threshold"}
        assert {k: v for k, v in rule.items() if k not in moved} == {
            k: v for k, v in old.items() if k not in moved
        }
        original = read_onnx_graph((bundled_models_dir() / bundled["onnx_file"]).read_bytes())
        personal = read_onnx_graph(figures.path.read_bytes())
        assert personal.nodes == original.nodes
        assert personal.data != original.data
    shown = {m.name: m.display_name for m in recognizer.loaded_models}
    assert all(name.endswith("(yours)") for name in shown.values())
    assert personal_model_names(models_dir) == tuple(sorted(shown))


def test_too_few_samples_says_how_many_are_needed(tmp_path, writer_digits):
    store = _store(tmp_path / "samples", writer_digits[:9], 1)
    with pytest.raises(FineTuneError, match=f"at least {MIN_SAMPLES} samples"):
        fine_tune(store, models_dir=tmp_path / "models")
    assert not (tmp_path / "models").exists()


def test_cancelling_writes_nothing(tmp_path, writer_digits):
    store = _store(tmp_path / "samples", writer_digits, 1)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(FineTuneError, match="cancelled"):
        fine_tune(store, models_dir=tmp_path / "models", recipe=_short, cancelled=cancelled)
    assert not (tmp_path / "models").exists()


def test_reset_removes_only_fine_tuned_models(tmp_path, writer_digits):
    bundled = tmp_path / "bundled"  # one bundled model is enough here, and faster
    bundled.mkdir()
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"dense{suffix}", bundled / f"dense{suffix}")
    models_dir = tmp_path / "models"
    store = _store(tmp_path / "samples", writer_digits, 1)
    fine_tune(store, models_dir=models_dir, bundled_dir=bundled, recipe=_short)
    other = json.loads((bundled_models_dir() / "cnn.json").read_text())
    (models_dir / "mine.json").write_text(json.dumps({**other, "name": "mine"}))
    assert reset_personal_models(models_dir) == ("dense",)
    assert sorted(p.name for p in models_dir.iterdir()) == ["mine.json"]
    assert reset_personal_models(models_dir) == ()


def test_a_model_someone_put_in_the_folder_is_never_overwritten(tmp_path, writer_digits):
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    for suffix in (".onnx", ".json"):  # a retrained CNN of their own, not fine-tuned here
        shutil.copy(bundled_models_dir() / f"cnn{suffix}", models_dir / f"cnn{suffix}")
    before = (models_dir / "cnn.onnx").read_bytes()
    store = _store(tmp_path / "samples", writer_digits, 1)
    with pytest.raises(FineTuneError, match="move it elsewhere"):
        fine_tune(store, models_dir=models_dir, recipe=_short)
    assert (models_dir / "cnn.onnx").read_bytes() == before
    assert sorted(p.name for p in models_dir.iterdir()) == ["cnn.json", "cnn.onnx"]


@pytest.mark.parametrize(
    ("stage", "later"),
    [
        ("Reading your samples", "Re-drawing your samples"),
        ("Re-drawing your samples", "checking on your held-out samples"),
        ("checking on your held-out samples (1 of", "(2 of"),
        ("learning from all", "Saving your models"),
    ],
    ids=["reading", "re-drawing", "cross-validating", "training"],
)
def test_cancelling_stops_within_the_stage_it_was_asked_in(
    tmp_path, writer_digits, monkeypatch, stage, later
):
    """Cancel at a stage's first progress report: the fine-tune stops before the next
    stage begins, without drawing one more copy (every loop asks), and nothing is
    written."""
    bundled = tmp_path / "bundled"  # one model is enough here, and faster
    bundled.mkdir()
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"dense{suffix}", bundled / f"dense{suffix}")
    store = _store(tmp_path / "samples", writer_digits, 2)
    messages: list[str] = []
    asked = []

    def progress(fraction: float, message: str) -> None:
        messages.append(message)
        if stage in message and not asked:
            asked.append(len(messages))

    renders_after = []

    def counted_render(*args, **kwargs):
        if asked:
            renders_after.append(1)
        return render_for_model(*args, **kwargs)

    monkeypatch.setattr(fine_tune_data, "render_for_model", counted_render)
    with pytest.raises(FineTuneError, match="cancelled; your models are unchanged"):
        fine_tune(
            store,
            models_dir=tmp_path / "models",
            bundled_dir=bundled,
            recipe=_short,
            progress=progress,
            cancelled=lambda: bool(asked),
        )
    assert asked, f"the fine-tune never reached {stage!r}"
    assert not [m for m in messages[asked[0] :] if later in m]
    assert len(renders_after) == 0  # asked before every re-drawn copy
    assert not (tmp_path / "models").exists()


class _SlowStore(SampleStore):
    """A real store whose listing waits until ``release`` is set (as listing 10,000
    samples takes most of a minute on a busy machine)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.release = threading.Event()

    def samples(self) -> list[Sample]:
        self.release.wait()
        return super().samples()


def test_cancelling_while_the_store_is_listed_returns_before_the_listing_ends(
    tmp_path, writer_digits
):
    store = _SlowStore(tmp_path / "samples")
    _store(tmp_path / "samples", writer_digits, 1)
    asked = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            fine_tune(
                store,
                models_dir=tmp_path / "models",
                progress=lambda fraction, message: asked.set(),
                cancelled=asked.is_set,
            )
        except FineTuneError as error:
            outcome.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)  # a guard against a hang, not a timing
    listing_finished = store.release.is_set()
    store.release.set()
    assert not worker.is_alive(), "the fine-tune waited for the listing to end"
    assert not listing_finished
    assert "cancelled" in str(outcome[0])


def test_runs_on_helper_threads_report_and_ask_only_on_the_callers_thread(tmp_path, writer_digits):
    """The folds and the final training run two at a time on helper threads, yet the
    caller's callbacks are only called from the thread that called ``fine_tune``, and
    the models written are the same bit for bit however the runs interleave."""
    bundled = tmp_path / "bundled"  # one model is enough here, and faster
    bundled.mkdir()
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"dense{suffix}", bundled / f"dense{suffix}")
    store = _store(tmp_path / "samples", writer_digits, 2)
    callers: set[int] = set()
    messages: list[str] = []

    def progress(fraction: float, message: str) -> None:
        callers.add(threading.get_ident())
        messages.append(message)

    def cancelled() -> bool:
        callers.add(threading.get_ident())
        return False

    written = []
    for run in range(2):
        messages.clear()
        report = fine_tune(
            store,
            models_dir=tmp_path / f"models-{run}",
            bundled_dir=bundled,
            recipe=_short,
            progress=progress,
            cancelled=cancelled,
        )
        written.append(report.models[0].path.read_bytes())
    assert callers == {threading.get_ident()}
    assert written[0] == written[1]
    # While runs overlap, each one's message shows once it and those planned before it
    # have begun: in the plan's order, none left out, never back.
    plan = [
        *(f"Dense: checking on your held-out samples ({n} of 3)" for n in (1, 2, 3)),
        "Dense: learning from all 20 samples",
    ]
    shown = [plan.index(m) for m in messages if m in plan]
    assert list(dict.fromkeys(shown)) == [0, 1, 2, 3]
    assert shown == sorted(shown)


@pytest.mark.parametrize("name", bundled_model_names())
def test_frozen_layers_give_the_same_logits_and_gradients(name, writer_digits):
    """A forward pass that keeps nothing for the frozen layers (and pools a frozen
    convolution before its bias and ReLU) computes what the full pass computes."""
    net = NumpyNet.from_graph(read_onnx_graph((bundled_models_dir() / f"{name}.onnx").read_bytes()))
    trained = net.trainable[recipe_for(net).frozen_tensors :]
    images = _inputs(writer_digits[:16])
    logits, cache = net.forward(images)
    frozen_logits, frozen_cache = net.forward(images, trained=trained)
    np.testing.assert_allclose(frozen_logits, logits, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(net.forward(images, trained=())[0], logits, rtol=1e-5, atol=1e-5)
    grad = softmax(logits)
    full = net.backward(cache, grad, trained)
    frozen = net.backward(frozen_cache, grad, trained)
    assert set(frozen) == set(trained)
    for key in trained:
        np.testing.assert_allclose(frozen[key], full[key], rtol=1e-4, atol=1e-6)
