"""Weight-space interpolation (WiSE-FT) of a fine-tuned model with the model it started from.

``theta = (1 - a) * theta_start + a * theta_tuned`` for every kernel and bias. Both files
come from the same graph and the same initial weights (the fine-tune started from the
other file), so their weights lie in one basin and the mix keeps most of both: the
starting model's MNIST accuracy and much of what fine-tuning learnt on new hands.

``a`` is chosen on validation data only: the mix whose MNIST validation log-loss, once
calibrated, is lowest. MNIST accuracy is the floor not to lose, and 5,000 validation
images tell accuracies 0.1 % apart only by a handful of images, where the log-loss of every
image still moves; every mix near that minimum already reads the validation writers far
better than the starting model (the whole table goes into the metadata). A temperature
folded into a file's last layer (its ``.json``'s ``calibration``) is unfolded before
mixing. The chosen mix's last layer is then re-fitted on its own features with MNIST and
pen digits (``training.last_layer``), within the same MNIST validation log-loss; the
result is calibrated afresh and its "not a digit" threshold is chosen
(``training.not_a_digit``), kept only when it rejects enough validation non-digits.
Weights are read and written with the core's ONNX weight reader, so the result is the
tuned file's very graph (extra outputs included) with other numbers in it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core import OnnxModel
from digitpad.core.personal import NumpyNet, OnnxGraph, read_onnx_graph
from digitpad.core.recognition import FEATURE_DETECTOR, METADATA_KEY
from training.calibrate import negative_log_likelihood
from training.data import Mnist, Split
from training.drawn_data import VALIDATION_NON_DIGITS, app_inputs, render_validation_non_digits
from training.drawn_eval import evaluate_model_file
from training.evaluate import evaluate_onnx, predict_all
from training.feature_detector import (
    FEATURES,
    TrainingImages,
    choose_detector_rule,
    model_features,
    training_images,
)
from training.fit import split_validation
from training.last_layer import (
    L2,
    STEPS,
    Features,
    LastLayer,
    Refit,
    choose_refit,
    refit_last_layer,
)
from training.metadata import sha256_of, write_metadata
from training.not_a_digit import choose_rejection, fit_calibration
from training.pendigits import load_pendigits, split_by_writer
from training.recipe import DEFAULT_SEED, Recipe
from training.report import write_report

DEFAULT_GRID: tuple[float, ...] = tuple(round(0.1 * step, 1) for step in range(11))
MNIST_VALIDATION, PEN_VALIDATION = "mnist_validation", "pen_validation_writers"
MNIST_LOSS = f"{MNIST_VALIDATION}_log_loss"
# A "not a digit" rule that rejects fewer validation non-digits than the target is
# not written: it adds its false rejections (1.5 % of the held-out writers' digits for the
# CNN mix; 2.1 % refused by either model with the dense one's) while catching little that
# the dense model's rule does not (93 % of the non-digits by either, 91.4 % by the dense).
MIN_VALIDATION_REJECTION = 0.9


@dataclass(frozen=True)
class ModelWeights:
    """One exported model's trainable weights in layer order, temperature unfolded."""

    path: Path
    graph: OnnxGraph
    names: tuple[str, ...]  # the initializers, in layer order
    arrays: tuple[np.ndarray, ...]
    last_layer: tuple[str, str]  # the last Dense layer's kernel and bias
    temperature: float  # folded into the file's last layer; already multiplied back here


def _folded_temperature(onnx_path: Path) -> float:
    json_path = onnx_path.with_suffix(".json")
    if not json_path.is_file():
        return 1.0
    calibration = json.loads(json_path.read_text(encoding="utf-8")).get("calibration") or {}
    return float(calibration.get("temperature", 1.0))


def read_weights(onnx_path: Path) -> ModelWeights:
    """The model's kernels and biases as it was before any temperature was folded in."""
    graph = read_onnx_graph(onnx_path.read_bytes())
    net = NumpyNet.from_graph(graph)
    last = net.layers[-1]
    temperature = _folded_temperature(onnx_path)
    arrays = tuple(
        net.weights[name] * temperature if name in (last.weight, last.bias) else net.weights[name]
        for name in net.trainable
    )
    return ModelWeights(
        onnx_path, graph, net.trainable, arrays, (last.weight, last.bias), temperature
    )


def mixed_weights(start: ModelWeights, tuned: ModelWeights, a: float) -> dict[str, np.ndarray]:
    """``(1 - a) * start + a * tuned`` for every kernel and bias, by the tuned file's names.

    Raises
    ------
    ValueError
        The two models' weights do not have the same shapes (another architecture).
    """
    shapes = [w.shape for w in start.arrays], [w.shape for w in tuned.arrays]
    if shapes[0] != shapes[1]:
        raise ValueError(f"{start.path} and {tuned.path} differ in shape: {shapes}")
    return {
        name: (1.0 - a) * first + a * second
        for name, first, second in zip(tuned.names, start.arrays, tuned.arrays, strict=True)
    }


def mix(
    start: ModelWeights,
    tuned: ModelWeights,
    a: float,
    temperature: float = 1.0,
    last_layer: LastLayer | None = None,
) -> bytes:
    """The tuned file's bytes holding ``mixed_weights``, its last layer (``last_layer``
    instead of the mixed one when given) divided by ``temperature``."""
    mixed = mixed_weights(start, tuned, a)
    if last_layer is not None:
        mixed[tuned.last_layer[0]], mixed[tuned.last_layer[1]] = last_layer.kernel, last_layer.bias
    for name in tuned.last_layer:
        mixed[name] = mixed[name] / temperature
    return tuned.graph.with_weights(mixed)


def mixed_last_layer(start: ModelWeights, tuned: ModelWeights, a: float) -> LastLayer:
    """The last Dense layer of the ``a`` mix, temperature unfolded."""
    mixed = mixed_weights(start, tuned, a)
    kernel, bias = (mixed[name].astype(np.float32) for name in tuned.last_layer)
    return LastLayer(kernel, bias)


def _probabilities(model_bytes: bytes, sets: Mapping[str, Split]) -> dict[str, np.ndarray]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mix.onnx"
        path.write_bytes(model_bytes)
        model = OnnxModel.load(path)
        return {name: predict_all(model, s.images.astype(np.float32)) for name, s in sets.items()}


def _rejected(rule: Mapping[str, object]) -> float:
    """The share of validation non-digits a ``not_a_digit`` entry rejects."""
    validation = rule["validation"]
    assert isinstance(validation, Mapping)
    return float(validation["rejection_non_digits"])


def choose_a(table: Mapping[float, Mapping[str, float]]) -> float:
    """The ``a`` whose calibrated MNIST validation log-loss (``table[a][MNIST_LOSS]``) is
    lowest; the larger ``a`` on a tie."""
    return min(sorted(table, reverse=True), key=lambda a: table[a][MNIST_LOSS])


def validation_row(
    probabilities: Mapping[str, np.ndarray], validation: Mapping[str, Split]
) -> dict[str, float]:
    """A mix's accuracies, temperature and calibrated log-loss on the validation sets."""
    logits = {name: np.log(np.maximum(p, 1e-30)) for name, p in probabilities.items()}
    temperature, _ = fit_calibration(logits, dict(validation))
    row = {"temperature": temperature}
    for name, split in validation.items():
        labels = split.labels.astype(np.int64)
        row[name] = float((probabilities[name].argmax(axis=1) == labels).mean())
        row[f"{name}_log_loss"] = negative_log_likelihood(logits[name] / temperature, labels)
    return row


def validation_sets(mnist: Mnist, pendigits_dir: Path, validation_size: int) -> dict[str, Split]:
    """The validation digits every choice here is made on (never the test writers)."""
    return {
        MNIST_VALIDATION: split_validation(mnist.train, validation_size)[1],
        PEN_VALIDATION: app_inputs(split_by_writer(load_pendigits(pendigits_dir), "validation")),
    }


def refit_mixed_last_layer(
    start: ModelWeights,
    tuned: ModelWeights,
    a: float,
    budget: float,
    validation: Mapping[str, Split],
    images: TrainingImages,
    label_smoothing: float,
    log: Callable[[str], None] = print,
) -> Refit:
    """The ``a`` mix's last layer re-fitted on its own features (``training.last_layer``);
    the mixed layer itself when the model has no ``features`` output or no pen weight
    keeps the MNIST validation loss within ``budget``."""
    mixed = mixed_last_layer(start, tuned, a)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mix.onnx"
        path.write_bytes(mix(start, tuned, a))
        model = OnnxModel.load(path)
        if FEATURES not in model.output_names:
            log("last layer: no features output; the mixed layer stays")
            return Refit(None, mixed, {})
        mnist = Features(model_features(model, images.mnist.images), images.mnist.labels)
        pen = Features(model_features(model, images.pen.images), images.pen.labels)

    def fit(weight: float) -> LastLayer:
        return refit_last_layer(mixed, mnist, pen, weight, label_smoothing)

    def validate(layer: LastLayer) -> dict[str, float]:
        found = _probabilities(mix(start, tuned, a, last_layer=layer), validation)
        return validation_row(found, validation)

    refit = choose_refit(mixed, fit, validate, budget, MNIST_LOSS)
    for weight, row in refit.table.items():
        log(
            f"last layer, pen weight {weight:g}: "
            + ", ".join(f"{n} {v:.5f}" for n, v in row.items())
        )
    log(f"last layer: pen weight {refit.pen_weight} (MNIST validation loss budget {budget:.5f})")
    return refit


def interpolate_models(
    start_path: Path,
    tuned_path: Path,
    output_dir: Path,
    reports_dir: Path | None,
    mnist: Mnist,
    pendigits_dir: Path,
    grid: Sequence[float] = DEFAULT_GRID,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = print,
    validation_size: int = Recipe(epochs=1).validation_size,
    quick: bool = False,
    label_smoothing: float = Recipe(epochs=1).label_smoothing,
) -> dict[str, object]:
    """Mix, choose ``a``, re-fit the last layer, calibrate, set the threshold, write
    ``<name>.onnx``/``.json`` (and the report) into ``output_dir``; return the metadata
    document. ``quick``: the last layer and a "not a digit" detector are fitted on a few
    hundred images and the report reads a sample of the drawn figures (smoke runs and tests)."""
    start, tuned = read_weights(start_path), read_weights(tuned_path)
    tuned_json = tuned_path.with_suffix(".json")
    metadata: dict[str, object] = json.loads(tuned_json.read_text(encoding="utf-8"))
    validation = validation_sets(mnist, pendigits_dir, validation_size)
    table: dict[float, dict[str, float]] = {}
    for a in sorted(set(grid)):
        table[a] = validation_row(_probabilities(mix(start, tuned, a), validation), validation)
        log(f"a={a:.2f}: " + ", ".join(f"{n} {v:.5f}" for n, v in table[a].items()))
    chosen = choose_a(table)
    log(f"chose a={chosen}")
    images = training_images(
        split_validation(mnist.train, validation_size)[0], pendigits_dir, seed, quick
    )
    refit = refit_mixed_last_layer(
        start, tuned, chosen, table[chosen][MNIST_LOSS], validation, images, label_smoothing, log
    )
    found = _probabilities(mix(start, tuned, chosen, last_layer=refit.layer), validation)
    logits = {name: np.log(np.maximum(p, 1e-30)) for name, p in found.items()}
    temperature, calibration = fit_calibration(logits, validation)
    log(f"temperature {temperature:.4f}")
    name = str(metadata["name"])
    onnx_path = output_dir / f"{name}.onnx"
    output_dir.mkdir(parents=True, exist_ok=True)
    onnx_path.write_bytes(mix(start, tuned, chosen, temperature, refit.layer))
    non_digits = render_validation_non_digits(VALIDATION_NON_DIGITS, seed)
    metadata["calibration"] = calibration
    rule = choose_rejection(onnx_path, validation, non_digits)
    rejected = _rejected(rule)
    mixed = OnnxModel.load(onnx_path)
    if rejected < MIN_VALIDATION_REJECTION and FEATURES in mixed.output_names:
        log(f"not a digit: top probability rejects only {rejected:.1%}; fitting a detector")
        rule = choose_detector_rule(mixed, images.digits, images.non_digits, validation, non_digits)
        rejected = _rejected(rule)
    kept = rejected >= MIN_VALIDATION_REJECTION
    metadata.pop(METADATA_KEY, None)
    if kept:
        metadata[METADATA_KEY] = rule
    log(f"not a digit ({'kept' if kept else 'not kept'}): {rule['score']} rejects {rejected:.1%}")
    evaluation = evaluate_onnx(onnx_path, mnist.test)
    metadata["evaluation"] = {
        **metadata["evaluation"],  # type: ignore[dict-item]
        "dataset": evaluation.dataset,
        "accuracy": round(evaluation.raw.accuracy, 6),
        "per_class_accuracy": [round(v, 6) for v in evaluation.raw.per_class_accuracy],
    }
    training = metadata["training"]
    assert isinstance(training, dict)
    training["interpolation"] = _interpolation_record(
        start_path,
        tuned_path,
        chosen,
        sorted(validation),
        table,
        rule,
        kept,
        rejected,
        refit,
        images,
        label_smoothing,
    )
    metadata["created"] = (
        datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )
    metadata["onnx_file"] = onnx_path.name
    metadata["sha256"] = sha256_of(onnx_path)
    write_metadata(metadata, output_dir)
    if reports_dir is not None:
        figures = evaluate_model_file(onnx_path, mnist.test, pendigits_dir, quick=quick)
        log(f"{name}: drawn figures {figures.as_dict()}")
        write_report(evaluation, reports_dir / name, figures)
    log(f"{name}: MNIST test {evaluation.raw.accuracy:.4f} -> {onnx_path}")
    return metadata


def _interpolation_record(
    start_path: Path,
    tuned_path: Path,
    chosen: float,
    chosen_on: list[str],
    table: dict[float, dict[str, float]],
    rule: dict[str, Any],
    kept: bool,
    rejected: float,
    refit: Refit,
    images: TrainingImages,
    label_smoothing: float,
) -> dict[str, object]:
    """What the metadata records of the mix: its inputs, the choice of ``a``, the "not a
    digit" decision and the last layer's re-fit, with the validation tables behind each."""
    return {
        "method": "WiSE-FT: (1 - a) * starting weights + a * fine-tuned weights, every "
        "kernel and bias (folded temperatures unfolded first), then calibrated afresh",
        "start": {"file": start_path.name, "sha256": sha256_of(start_path)},
        "fine_tuned": {"file": tuned_path.name, "sha256": sha256_of(tuned_path)},
        "a": chosen,
        "chosen_on": chosen_on,
        "rule": "lowest MNIST validation log-loss after each mix's own temperature",
        "not_a_digit": (
            f"kept: {rule['score']} (the top probability rejects under "
            f"{MIN_VALIDATION_REJECTION:.0%} of the validation non-digits after mixing)"
            if kept and rule["score"] == FEATURE_DETECTOR
            else "kept"
            if kept
            else f"no rule: its {rule['score']} rejected {rejected:.1%} of the validation "
            "non-digits, under "
            f"{MIN_VALIDATION_REJECTION:.0%}, and would only add false rejections"
        ),
        "validation_accuracy_by_a": {
            f"{a:g}": {n: round(v, 5) for n, v in row.items()} for a, row in table.items()
        },
        "last_layer": {
            "method": (
                "re-fitted on the mix's own frozen features: cross-entropy (label smoothing "
                f"{label_smoothing:g}) on MNIST's training part ({len(images.mnist)} images) "
                f"plus pen_weight times that on {len(images.pen)} training writers' pen "
                f"renders, L2 {L2:g} towards the mixed layer, {STEPS} steps of full-batch "
                "Adam from the mixed layer"
            ),
            "rule": "the largest pen weight whose MNIST validation log-loss (after its own "
            "temperature) is no higher than the mix's; none: the mixed layer stays",
            "pen_weight": refit.pen_weight,
            "validation_by_pen_weight": {
                f"{w:g}": {n: round(v, 5) for n, v in row.items()} for w, row in refit.table.items()
            },
        },
    }
