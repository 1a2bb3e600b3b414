"""Fine-tune both models on your own samples, on this machine, without TensorFlow.

Each bundled model's weights are read straight out of its ONNX file, trained in numpy
(``NumpyNet``, ``adapt``) on your samples mixed with replayed MNIST reference digits, and
written back into a copy of the same file: the same graph with other numbers, saved as
``<user models>/<name>.onnx`` + ``.json``, where every loading rule already looks. The
figures come with it: each model before and after on your samples (cross-validated, so a
sample is never scored by a model that trained on it) and on MNIST digits kept out of
the replay. The "not a digit" rule's threshold is chosen again for the personal model
(``_personal_rule``), so it never refuses the samples it learnt from; the "yours" figures
count a sample that rule refuses as not read, as the window would show it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from digitpad.core.files import atomic_write_bytes
from digitpad.core.paths import bundled_models_dir, user_models_dir
from digitpad.core.personal._adapt import AdaptCancelledError, Recipe, adapt
from digitpad.core.personal._jitter import StrokeJitter, stroke_variants
from digitpad.core.personal._non_digit_reference import NON_DIGITS_FILE, load_non_digit_reference
from digitpad.core.personal._numpy_net import NumpyNet, UnsupportedGraphError
from digitpad.core.personal._onnx_weights import OnnxFormatError, read_onnx_graph
from digitpad.core.personal._personal_rule import metadata_rule, rechosen_rule
from digitpad.core.personal._samples import Sample, SampleError, SampleStore
from digitpad.core.preprocessing import MODEL_PEN_RATIO, preprocess_bitmap, render_for_model
from digitpad.core.recognition import METADATA_KEY as REJECTION_KEY
from digitpad.core.recognition import (
    OUTPUT_NAME,
    DigitRule,
    ModelMetadata,
    OnnxModel,
    ReferenceDataError,
    bundled_model_names,
    load_reference_digits,
)

# Fewer samples than this teach a model nothing it can keep (and leave nothing to check
# it on); 10 is one per digit, though 5 per digit is what the figures were measured with.
MIN_SAMPLES = 10
# Cross-validation folds while there are few samples; from MANY_SAMPLES on, one held-out
# fifth says as much at a fraction of the cost.
FOLDS = 3
MANY_SAMPLES = 150
# Reference digits per class kept out of the replay to measure forgetting.
MNIST_CHECK_PER_CLASS = 100
# The numpy copy must agree with onnxruntime this closely, or the model is left alone.
PARITY_TOLERANCE = 1e-3
# Pictures per onnxruntime run when scoring the reference digits: a CNN's activations
# for all 10,000 at once would take a gigabyte.
SCORE_BATCH = 500
# Each fold's "not a digit" rule is re-chosen on every this many-th reference digit: it
# only decides whether that fold's held-out samples pass, and the CNN reads 10,000
# reference digits in about 2 s of CPU.
FOLD_REFERENCE_STEP = 4
METADATA_KEY = "fine_tuned_from"
YOURS_SUFFIX = " (yours)"


class FineTuneError(Exception):
    """Fine-tuning cannot run or was cancelled; the message says why in one line."""


@dataclass(frozen=True)
class ModelFigures:
    """One model's figures: accuracies 0..1 before (bundled) and after fine-tuning."""

    name: str
    display_name: str
    yours_before: float
    yours_after: float
    mnist_before: float
    mnist_after: float
    seconds: float
    path: Path


@dataclass(frozen=True)
class FineTuneReport:
    """What ``fine_tune`` did: the models written and how they read before and after.

    ``yours_method`` says how the "yours" figures were measured (e.g. "3-fold
    cross-validation on 50 samples"); ``mnist_method`` which MNIST digits were read.
    """

    models: tuple[ModelFigures, ...]
    samples_used: int
    per_digit: dict[int, int]
    yours_method: str
    mnist_method: str
    seconds: float
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (paths as strings)."""
        document = asdict(self)
        for model in document["models"]:
            model["path"] = str(model["path"])
        return document


Progress = Callable[[float, str], None]


def _readable(samples: Sequence[Sample]) -> tuple[list[np.ndarray], list[Sample], list[str]]:
    """Each readable sample's model input, the samples read, and why others were skipped."""
    inputs, kept, skipped = [], [], []
    for sample in samples:
        try:
            inputs.append(SampleStore.model_input(sample))
        except (SampleError, OSError) as error:
            skipped.append(f"{error}, skipped")
            continue
        kept.append(sample)
    return inputs, kept, skipped


def _renderings(
    inputs: Sequence[np.ndarray],
    samples: Sequence[Sample],
    redraw: StrokeJitter,
    rng: np.random.Generator,
) -> list[np.ndarray]:
    """Per sample, its model input then (drawings only) its re-drawn copies (``redraw``),
    each through the app's own rasteriser and preprocessing."""
    renderings = []
    for model_input, sample in zip(inputs, samples, strict=True):
        variants = [model_input]
        for strokes, factor in (
            stroke_variants(sample.strokes, rng, redraw) if sample.strokes else ()
        ):
            bitmap = render_for_model(strokes, pen_ratio=MODEL_PEN_RATIO * factor)
            redrawn = None if bitmap is None else preprocess_bitmap(bitmap)
            if redrawn is not None:
                variants.append(redrawn)
        renderings.append(np.stack(variants))
    return renderings


def _folds(labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """A fold number per sample, stratified by digit, and how the figures are measured."""
    count = len(labels)
    folds = FOLDS if count < MANY_SAMPLES else 5
    assignment = np.zeros(count, dtype=np.int64)
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        assignment[members] = (np.arange(len(members)) + rng.integers(folds)) % folds
    if count < MANY_SAMPLES:
        return assignment, f"{folds}-fold cross-validation on {count} samples"
    # Many samples: train on four fifths once, read the last fifth.
    assignment = np.where(assignment == 0, 0, -1)
    held = int((assignment == 0).sum())
    return assignment, f"{held} of {count} samples held out"


def _mnist_split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference digits for replay and, disjoint from them, for the MNIST check."""
    check = np.concatenate([np.flatnonzero(labels == d)[:MNIST_CHECK_PER_CLASS] for d in range(10)])
    replay = np.setdiff1d(np.arange(len(labels)), check)
    return replay, np.sort(check)


def recipe_for(net: NumpyNet) -> Recipe:
    """The fine-tuning settings for a network, chosen on the validation pen writers.

    Both learn from each drawing plus its re-drawn copies (``StrokeJitter``: turned up
    to 15 degrees, slanted up to 0.35, 0.7-1.4 times as wide, other pens), which on the
    validation writers cut the log-loss on their other digits by a fifth against pen
    changes alone. A network with convolutions keeps its first one as it is: its 3x3
    edge detectors serve every hand, and not back-propagating into it saves a third of
    the time. Its few weights move freely (a light anchor, a faster rate); more steps, a
    higher rate, a larger share of your digits per batch or wilder copies bought no
    accuracy on those writers, and most cost MNIST points. The dense network's 100,000
    first-layer weights forget MNIST faster, so it gets a firmer anchor, more replay and
    more, cheap, steps (500 lost fewer MNIST points than 300). Both keep 85 % of the
    change they learnt (the weights move back toward the bundled ones along the
    straight line between them), which costs the writers' digits nothing and gives back
    some MNIST points and some of the "not a digit" rule's refusals
    (``python -m benchmarks.personalise --writers validation``). The dense network's
    rule reads its top probability, which it learnt to keep low for non-digits, so 8 of
    the shipped non-digits in every batch keep even targets (without them it refused
    89 % of the validation non-digits instead of 91 %; with 16, no more than with 8);
    the CNN's rule reads its features and needs none.
    """
    if any(layer.op == "conv" for layer in net.layers):
        return Recipe(steps=150, learning_rate=1e-3, anchor=0.003, frozen_tensors=2, keep=0.85)
    return Recipe(steps=500, anchor=0.1, replay_batch=64, keep=0.85, non_digit_batch=8)


def _session(model_bytes: bytes) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def _run(session: ort.InferenceSession, images: np.ndarray, names: Sequence[str]) -> list[Any]:
    shape = session.get_inputs()[0].shape
    batch = np.asarray(images, np.float32).reshape(len(images), 28, 28, *shape[3:])
    return list(session.run(list(names), {session.get_inputs()[0].name: batch}))


def _scores(session: ort.InferenceSession, rule: DigitRule, images: np.ndarray) -> np.ndarray:
    """The "not a digit" rule's score of each image, as ``session``'s model reads it."""
    scores = []
    for start in range(0, len(images), SCORE_BATCH):
        found = _run(session, images[start : start + SCORE_BATCH], [OUTPUT_NAME, *rule.outputs])
        outputs = dict(zip(rule.outputs, found[1:], strict=True))
        scores.append(rule.scores(found[0], outputs))
    return np.concatenate(scores) if scores else np.zeros(0)


def _accuracy(session: ort.InferenceSession, images: np.ndarray, labels: np.ndarray) -> float:
    (probabilities,) = _run(session, images, [OUTPUT_NAME])
    return float((probabilities.argmax(axis=1) == labels).mean()) if len(labels) else 0.0


def _read_right(
    session: ort.InferenceSession, rule: DigitRule | None, images: np.ndarray, labels: np.ndarray
) -> int:
    """How many of ``images`` the model reads as their label, as the window shows it: a
    picture its "not a digit" rule refuses counts as not read."""
    if not len(labels):
        return 0
    names = [OUTPUT_NAME, *(() if rule is None else rule.outputs)]
    found = _run(session, images, names)
    right = found[0].argmax(axis=1) == labels
    if rule is not None:
        outputs = dict(zip(rule.outputs, found[1:], strict=True))
        right &= rule.scores(found[0], outputs) >= rule.threshold
    return int(right.sum())


@dataclass
class _Base:
    """A bundled model ready to fine-tune."""

    name: str
    metadata: ModelMetadata
    data: bytes
    net: NumpyNet
    recipe: Recipe = field(default_factory=Recipe)


def _copies(renderings: Sequence[np.ndarray], chosen: np.ndarray) -> np.ndarray:
    """The re-drawn copies of the samples ``chosen`` (each rendering after the first)."""
    found = [renderings[i][1:] for i in chosen]
    return np.concatenate(found) if found else np.zeros((0, 28, 28), np.float32)


def _personal_rule(
    base: _Base,
    session: ort.InferenceSession,
    bundled_scores: np.ndarray,
    reference: np.ndarray,
    taught: np.ndarray,
    copies: np.ndarray,
) -> tuple[dict[str, Any] | None, DigitRule | None]:
    """The bundled rule re-chosen for ``session``'s model (``_personal_rule``), which
    learnt from the samples ``taught`` (model inputs) and their re-drawn ``copies``: it
    refuses none of the samples and few of the copies.
    ``bundled_scores`` are the bundled model's scores of the ``reference`` digits."""
    digit_rule = metadata_rule(base.metadata.raw)
    if digit_rule is None:
        return None, None
    entry = rechosen_rule(
        base.metadata.raw[REJECTION_KEY],
        bundled_scores,
        _scores(session, digit_rule, reference),
        f"{len(reference)} MNIST reference digits",
        _scores(session, digit_rule, taught),
        _scores(session, digit_rule, copies),
    )
    return entry, metadata_rule({REJECTION_KEY: entry})


def _bases(folder: Path, reference: np.ndarray) -> tuple[list[_Base], list[str]]:
    bases, skipped = [], []
    for name in bundled_model_names(folder):
        try:
            metadata = ModelMetadata.read(folder / f"{name}.json")
            model = OnnxModel.load(folder / metadata.onnx_file, metadata)
            data = (folder / metadata.onnx_file).read_bytes()
            net = NumpyNet.from_graph(read_onnx_graph(data))
            gap = np.abs(net.probabilities(reference) - model.predict_batch(reference)).max()
            if gap > PARITY_TOLERANCE:
                raise UnsupportedGraphError(f"numpy copy differs from onnxruntime by {gap:.2g}")
        except (OSError, ValueError, OnnxFormatError, UnsupportedGraphError) as error:
            skipped.append(f"{name}: cannot be fine-tuned ({error})")
            continue
        except Exception as error:  # ModelLoadError and onnxruntime's own errors
            skipped.append(f"{name}: cannot be fine-tuned ({error})")
            continue
        bases.append(_Base(name, metadata, data, net))
    return bases, skipped


def _step_seconds(base: _Base, images: np.ndarray, labels: np.ndarray) -> float:
    """How long one training step takes, timed on a throwaway copy of the network."""
    started = time.perf_counter()
    one_step = replace(base.recipe, steps=1)
    adapt(_fresh(base), images, labels, images, labels, one_step, np.random.default_rng(0))
    return max(time.perf_counter() - started, 1e-6)


def _fresh(base: _Base) -> NumpyNet:
    return NumpyNet(base.net.layers, base.net.weights)


def _training_set(
    renderings: Sequence[np.ndarray], labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    images = np.concatenate(renderings)
    counts = [len(r) for r in renderings]
    return images, np.repeat(labels, counts)


def _metadata(
    base: _Base,
    data: bytes,
    figures: ModelFigures,
    report: FineTuneReport,
    rule: dict[str, Any] | None,
) -> dict[str, Any]:
    document = dict(base.metadata.raw)
    document.update(
        display_name=figures.display_name,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        sha256=hashlib.sha256(data).hexdigest(),
        evaluation={
            "dataset": report.mnist_method,
            "accuracy": round(figures.mnist_after, 6),
            "evaluated_with": f"onnxruntime {ort.__version__}",
        },
    )
    document[METADATA_KEY] = {"file": base.metadata.onnx_file, "sha256": base.metadata.sha256}
    document["fine_tuning"] = {
        "samples": report.samples_used,
        "per_digit": report.per_digit,
        "yours": {
            "method": report.yours_method,
            "before": figures.yours_before,
            "after": figures.yours_after,
        },
        "mnist": {
            "method": report.mnist_method,
            "before": figures.mnist_before,
            "after": figures.mnist_after,
        },
        "recipe": asdict(base.recipe),
        "duration_seconds": round(figures.seconds, 2),
    }
    if rule is not None:  # the bundled rule, its threshold re-chosen (_personal_rule)
        document[REJECTION_KEY] = rule
    return document


def fine_tune(
    source: SampleStore | Sequence[Sample],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    models_dir: Path | None = None,
    bundled_dir: Path | None = None,
    seed: int = 0,
    recipe: Callable[[NumpyNet], Recipe] = recipe_for,
) -> FineTuneReport:
    """Fine-tune every bundled model on ``source``'s samples; write the personal models.

    Always starts from the bundled models (never from an earlier personal one), so
    fine-tuning again with more samples does not drift. Runs for seconds: call it from a
    worker thread; ``progress(fraction, message)`` and ``cancelled()`` are called from
    that thread between training steps. Nothing is written unless every model finished.
    ``models_dir`` and ``bundled_dir`` default to the user's and the bundled models
    folders; ``recipe`` picks each network's settings (tests and benchmarks shorten it).

    Raises
    ------
    FineTuneError
        Fewer than ``MIN_SAMPLES`` readable samples, no model can be fine-tuned, the
        reference digits are missing, or ``cancelled()`` returned True.
    """
    started = time.perf_counter()
    report_progress = progress or (lambda fraction, message: None)
    samples = source.samples() if isinstance(source, SampleStore) else list(source)
    skipped = list(source.problems) if isinstance(source, SampleStore) else []
    report_progress(0.0, "Reading your samples")
    inputs, kept, unreadable = _readable(samples)
    skipped += unreadable
    if len(kept) < MIN_SAMPLES:
        raise FineTuneError(
            f"fine-tuning needs at least {MIN_SAMPLES} samples of your handwriting "
            f"(5 of each digit works best); there {'is' if len(kept) == 1 else 'are'} "
            f"{len(kept)}"
        )
    labels = np.array([s.label for s in kept], dtype=np.int64)
    bases_inputs = np.stack(inputs)
    try:
        reference = load_reference_digits()
    except ReferenceDataError as error:
        raise FineTuneError(f"the MNIST reference digits are missing: {error}") from None
    replay, check = _mnist_split(reference.labels)
    replay_images = reference.images[replay].astype(np.float32)
    replay_labels = reference.labels[replay]
    check_images = reference.images[check].astype(np.float32)
    check_labels = reference.labels[check]
    try:
        non_digits = load_non_digit_reference().astype(np.float32)
    except ReferenceDataError as error:
        # Fine-tuning still works; the dense model's "not a digit" rule refuses less.
        non_digits = np.zeros((0, 28, 28), np.float32)
        skipped.append(f"{NON_DIGITS_FILE}: not replayed ({error})")
    bases, not_tunable = _bases(bundled_dir or bundled_models_dir(), check_images[::50])
    skipped += not_tunable
    if not bases:
        raise FineTuneError("no model can be fine-tuned: " + "; ".join(not_tunable))
    target = models_dir or user_models_dir()
    personal = personal_model_names(target)
    for base in bases:
        if base.name not in personal and any(
            (target / f"{base.name}{suffix}").exists() for suffix in (".onnx", ".json")
        ):
            raise FineTuneError(
                f"{target / base.name}.onnx is a model you put there, not one digitpad "
                "fine-tuned; move it elsewhere first so it is not overwritten"
            )

    rng = np.random.default_rng(seed)
    assignment, yours_method = _folds(labels, rng)
    fold_ids = [f for f in np.unique(assignment) if f >= 0]
    for base in bases:
        base.recipe = recipe(base.net)
    # Re-drawn once per setting (both models usually share one), for every fold alike.
    report_progress(0.0, "Re-drawing your samples")
    redrawn = {
        redraw: _renderings(inputs, kept, redraw, np.random.default_rng(seed))
        for redraw in {base.recipe.redraw for base in bases}
    }
    # Progress counts work, not steps: a CNN step costs ten dense ones.
    work = {b.name: b.recipe.steps * _step_seconds(b, check_images, check_labels) for b in bases}
    total = sum(work.values()) * (len(fold_ids) + 1)
    done = 0.0

    def run(base: _Base, chosen: np.ndarray, message: str) -> NumpyNet:
        nonlocal done
        net = _fresh(base)
        renderings = redrawn[base.recipe.redraw]
        images, image_labels = _training_set([renderings[i] for i in chosen], labels[chosen])
        first = done

        def step(fraction: float) -> None:
            report_progress((first + fraction * work[base.name]) / total, message)

        try:
            adapt(
                net,
                images,
                image_labels,
                replay_images,
                replay_labels,
                base.recipe,
                np.random.default_rng(seed),
                progress=step,
                cancelled=cancelled,
                non_digits=non_digits,
            )
        except AdaptCancelledError:
            raise FineTuneError("fine-tuning cancelled; your models are unchanged") from None
        done += work[base.name]
        return net

    results = []
    for base in bases:
        began = time.perf_counter()
        shown = base.metadata.display_name
        before = _session(base.data)
        digit_rule = metadata_rule(base.metadata.raw)
        bundled_scores = (
            np.zeros(0) if digit_rule is None else _scores(before, digit_rule, reference.images)
        )
        renderings = redrawn[base.recipe.redraw]

        held_out_correct, held_out = 0, 0
        for number, fold in enumerate(fold_ids, start=1):
            inside = np.flatnonzero(assignment != fold)
            outside = np.flatnonzero(assignment == fold)
            net = run(
                base,
                inside,
                f"{shown}: checking on your held-out samples ({number} of {len(fold_ids)})",
            )
            # Read as the window will: with the rule this fold's model would be given.
            fold_session = _session(read_onnx_graph(base.data).with_weights(net.weights))
            _, fold_rule = _personal_rule(
                base,
                fold_session,
                bundled_scores[::FOLD_REFERENCE_STEP],
                reference.images[::FOLD_REFERENCE_STEP],
                bases_inputs[inside],
                _copies(renderings, inside),
            )
            held_out_correct += _read_right(
                fold_session, fold_rule, bases_inputs[outside], labels[outside]
            )
            held_out += len(outside)
        net = run(base, np.arange(len(kept)), f"{shown}: learning from all {len(kept)} samples")
        data = read_onnx_graph(base.data).with_weights(net.weights)
        after = _session(data)
        evaluated = np.flatnonzero(assignment >= 0)
        rule, _ = _personal_rule(
            base,
            after,
            bundled_scores,
            reference.images,
            bases_inputs,
            _copies(renderings, np.arange(len(kept))),
        )
        right_before = _read_right(before, digit_rule, bases_inputs[evaluated], labels[evaluated])
        figures = ModelFigures(
            name=base.name,
            display_name=shown + YOURS_SUFFIX,
            yours_before=right_before / max(len(evaluated), 1),
            yours_after=held_out_correct / max(held_out, 1),
            mnist_before=_accuracy(before, check_images, check_labels),
            mnist_after=_accuracy(after, check_images, check_labels),
            seconds=time.perf_counter() - began,
            path=target / f"{base.name}.onnx",
        )
        results.append((base, data, figures, rule))

    report = FineTuneReport(
        models=tuple(figures for _, _, figures, _ in results),
        samples_used=len(kept),
        per_digit={d: int((labels == d).sum()) for d in range(10)},
        yours_method=yours_method,
        mnist_method=f"{len(check)} MNIST training digits kept out of the replay",
        seconds=0.0,
        skipped=tuple(skipped),
    )
    report_progress(1.0, "Saving your models")
    for base, data, figures, rule in results:
        document = json.dumps(_metadata(base, data, figures, report, rule), indent=2) + "\n"
        atomic_write_bytes(figures.path, data)
        atomic_write_bytes(figures.path.with_suffix(".json"), document.encode())
    return replace(report, seconds=time.perf_counter() - started)


def personal_model_names(models_dir: Path | None = None) -> tuple[str, ...]:
    """Models in the user's folder that digitpad fine-tuned (marked in their metadata)."""
    folder = models_dir or user_models_dir()
    names = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(document, dict) and METADATA_KEY in document:
            names.append(path.stem)
    return tuple(names)


def reset_personal_models(models_dir: Path | None = None) -> tuple[str, ...]:
    """Remove the fine-tuned models (and only those): the bundled ones apply again.

    Returns the names removed. Other models in the folder (retrained ones a person put
    there) are left alone.
    """
    folder = models_dir or user_models_dir()
    names = personal_model_names(folder)
    for name in names:
        # The JSON first: a crash in between leaves an ONNX file with no metadata, which
        # the app reports and skips, never a personal model that looks bundled.
        (folder / f"{name}.json").unlink(missing_ok=True)
        (folder / f"{name}.onnx").unlink(missing_ok=True)
    return names


__all__ = [
    "MIN_SAMPLES",
    "FineTuneError",
    "FineTuneReport",
    "ModelFigures",
    "fine_tune",
    "personal_model_names",
    "recipe_for",
    "reset_personal_models",
]
