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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from digitpad.core.paths import bundled_models_dir, user_models_dir
from digitpad.core.personal._adapt import AdaptCancelledError, FineTuneRecipe, adapt
from digitpad.core.personal._fine_tune_data import (
    MIN_SAMPLES,
    Replay,
    TrainingSamples,
    folds,
    load_replay,
    read_samples,
    renderings,
    training_set,
)
from digitpad.core.personal._fine_tune_progress import (
    FineTuneError,
    FineTuneProgress,
    Progress,
)
from digitpad.core.personal._jitter import StrokeJitter
from digitpad.core.personal._numpy_net import NumpyNet, UnsupportedGraphError
from digitpad.core.personal._onnx_weights import OnnxFormatError, read_onnx_graph
from digitpad.core.personal._personal_models import (
    METADATA_KEY,
    legacy_files,
    save_personal_models,
)
from digitpad.core.personal._personal_rule import metadata_rule, rechosen_rule
from digitpad.core.personal._samples import Sample, SampleStore
from digitpad.core.personal._side_by_side import Helpers
from digitpad.core.recognition import METADATA_KEY as REJECTION_KEY
from digitpad.core.recognition import (
    OUTPUT_NAME,
    DigitRule,
    ModelMetadata,
    OnnxModel,
    bundled_model_names,
)

# The numpy copy must agree with onnxruntime this closely, or the model is left alone.
PARITY_TOLERANCE = 1e-3
# Pictures per onnxruntime run when scoring the reference digits: a CNN's activations
# for all 10,000 at once would take a gigabyte.
SCORE_BATCH = 500
# Each fold's "not a digit" rule is re-chosen on every this many-th reference digit: it
# only decides whether that fold's held-out samples pass, and the CNN reads 10,000
# reference digits in about 2 s of CPU.
FOLD_REFERENCE_STEP = 4
YOURS_SUFFIX = " (yours)"


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


def recipe_for(net: NumpyNet) -> FineTuneRecipe:
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
        return FineTuneRecipe(
            steps=150, learning_rate=1e-3, anchor=0.003, frozen_tensors=2, kept_change=0.85
        )
    return FineTuneRecipe(
        steps=500, anchor=0.1, replay_batch=64, kept_change=0.85, non_digit_batch=8
    )


def _session(model_bytes: bytes) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def _run(session: ort.InferenceSession, images: np.ndarray, names: Sequence[str]) -> list[Any]:
    shape = session.get_inputs()[0].shape
    batch = np.asarray(images, np.float32).reshape(len(images), 28, 28, *shape[3:])
    return list(session.run(list(names), {session.get_inputs()[0].name: batch}))


def _scores(
    session: ort.InferenceSession,
    rule: DigitRule,
    images: np.ndarray,
    progress: FineTuneProgress,
) -> np.ndarray:
    """The "not a digit" rule's score of each image, as ``session``'s model reads it."""
    scores = []
    for rows in _batches(len(images), progress):
        found = _run(session, images[rows], [OUTPUT_NAME, *rule.outputs])
        outputs = dict(zip(rule.outputs, found[1:], strict=True))
        scores.append(rule.scores(found[0], outputs))
    return np.concatenate(scores) if scores else np.zeros(0)


def _batches(count: int, progress: FineTuneProgress, size: int = SCORE_BATCH) -> Iterator[slice]:
    """``size`` rows at a time, asking for cancellation before each: scoring 10,000
    samples at once would take a gigabyte and could not be interrupted."""
    for start in range(0, count, size):
        progress.check()
        yield slice(start, start + size)


def _answers(
    read: Callable[[np.ndarray], np.ndarray],
    images: np.ndarray,
    progress: FineTuneProgress,
    size: int = SCORE_BATCH,
) -> np.ndarray:
    """The digit read in each image, by ``read`` (images -> probabilities), in batches."""
    batches = _batches(len(images), progress, size)
    found = [read(images[rows]).argmax(axis=1) for rows in batches]
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _session_reader(session: ort.InferenceSession) -> Callable[[np.ndarray], np.ndarray]:
    return lambda images: _run(session, images, [OUTPUT_NAME])[0]


def _accuracy(
    session: ort.InferenceSession,
    images: np.ndarray,
    labels: np.ndarray,
    progress: FineTuneProgress,
) -> float:
    if not len(labels):
        return 0.0
    return float((_answers(_session_reader(session), images, progress) == labels).mean())


def _read_right(
    session: ort.InferenceSession,
    rule: DigitRule | None,
    images: np.ndarray,
    labels: np.ndarray,
    progress: FineTuneProgress,
) -> int:
    """How many of ``images`` the model reads as their label, as the window shows it: a
    picture its "not a digit" rule refuses counts as not read."""
    names = [OUTPUT_NAME, *(() if rule is None else rule.outputs)]
    right = 0
    for rows in _batches(len(images), progress):
        found = _run(session, images[rows], names)
        read = found[0].argmax(axis=1) == labels[rows]
        if rule is not None:
            outputs = dict(zip(rule.outputs, found[1:], strict=True))
            read &= rule.scores(found[0], outputs) >= rule.threshold
        right += int(read.sum())
    return right


@dataclass
class _Base:
    """A bundled model ready to fine-tune."""

    name: str
    metadata: ModelMetadata
    data: bytes
    net: NumpyNet
    recipe: FineTuneRecipe = field(default_factory=FineTuneRecipe)


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
    progress: FineTuneProgress,
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
        _scores(session, digit_rule, reference, progress),
        f"{len(reference)} MNIST reference digits",
        _scores(session, digit_rule, taught, progress),
        _scores(session, digit_rule, copies, progress),
    )
    return entry, metadata_rule({REJECTION_KEY: entry})


def _bases(
    folder: Path, reference: np.ndarray, progress: FineTuneProgress
) -> tuple[list[_Base], list[str]]:
    bases, skipped = [], []
    for name in bundled_model_names(folder):
        progress.check()
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


@dataclass(frozen=True)
class _Tuned:
    """One fine-tuned model: its file's bytes, its figures and its re-chosen rule."""

    base: _Base
    data: bytes
    figures: ModelFigures
    rule: dict[str, Any] | None


def _check_target(target: Path, bases: Sequence[_Base], bundled: Path) -> None:
    """Refuse to fine-tune a model someone put in ``target`` under a bundled model's
    name: theirs would win over the personal one (``user_model_folders``)."""
    ours = set(legacy_files(target, bundled))  # what an older version saved there
    for base in bases:
        if base.name not in ours and any(
            (target / f"{base.name}{suffix}").exists() for suffix in (".onnx", ".json")
        ):
            raise FineTuneError(
                f"{target / base.name}.onnx is a model you put there, not one digitpad "
                "fine-tuned; move it elsewhere first so it is not overwritten"
            )


class _Trainer:
    """Trains copies of the bundled models on chosen samples, with shared settings."""

    def __init__(
        self,
        samples: TrainingSamples,
        replay: Replay,
        redrawn: dict[StrokeJitter, list[np.ndarray]],
        progress: FineTuneProgress,
        seed: int,
    ) -> None:
        self.samples = samples
        self.replay = replay
        self.redrawn = redrawn
        self.progress = progress
        self.seed = seed
        self.work: dict[str, float] = {}

    def plan(self, base: _Base, message: str) -> Callable[[float], None]:
        """The next training run of ``base`` in the plan, with its progress message
        (``FineTuneProgress.training``)."""
        return self.progress.training(self.work[base.name], message)

    def train(self, base: _Base, chosen: np.ndarray, step: Callable[[float], None]) -> NumpyNet:
        """A copy of ``base`` trained on the samples ``chosen``, reporting to ``step``
        (from ``plan``)."""
        net = _fresh(base)
        renderings = self.redrawn[base.recipe.redraw]
        images, labels = training_set([renderings[i] for i in chosen], self.samples.labels[chosen])
        try:
            adapt(
                net,
                images,
                labels,
                self.replay.images,
                self.replay.labels,
                base.recipe,
                np.random.default_rng(self.seed),
                progress=step,
                cancelled=self.progress.is_cancelled,
                non_digits=self.replay.non_digits,
            )
        except AdaptCancelledError:
            raise self.progress.cancel_error() from None
        self.progress.trained(step, self.work[base.name])
        return net


@dataclass(frozen=True)
class _Final:
    """A model trained on every sample: its file, its rule and what it reads."""

    data: bytes
    rule: dict[str, Any] | None
    right_before: int
    evaluated: int
    mnist_before: float
    mnist_after: float
    seconds: float


def _fold(
    base: _Base,
    trainer: _Trainer,
    assignment: np.ndarray,
    fold: int,
    run: Callable[[float], None],
    bundled_scores: Future[np.ndarray],
) -> tuple[int, int, float]:
    """Train ``base`` without the samples of ``fold`` and read those: how many it reads
    right (with the "not a digit" rule it would be given), of how many, in how long."""
    began = time.perf_counter()
    samples, progress = trainer.samples, trainer.progress
    inside = np.flatnonzero(assignment != fold)
    outside = np.flatnonzero(assignment == fold)
    net = trainer.train(base, inside, run)
    fold_session = _session(read_onnx_graph(base.data).with_weights(net.weights))
    reference = trainer.replay.reference.images
    _, fold_rule = _personal_rule(
        base,
        fold_session,
        bundled_scores.result()[::FOLD_REFERENCE_STEP],
        reference[::FOLD_REFERENCE_STEP],
        samples.inputs[inside],
        _copies(trainer.redrawn[base.recipe.redraw], inside),
        progress,
    )
    right = _read_right(
        fold_session, fold_rule, samples.inputs[outside], samples.labels[outside], progress
    )
    return right, len(outside), time.perf_counter() - began


def _final(
    base: _Base,
    trainer: _Trainer,
    assignment: np.ndarray,
    run: Callable[[float], None],
    bundled_scores: Future[np.ndarray],
) -> _Final:
    """Train ``base`` on every sample, re-choose its rule, and read the samples (bundled
    model) and the MNIST check (both)."""
    began = time.perf_counter()
    samples, replay, progress = trainer.samples, trainer.replay, trainer.progress
    count = len(samples.labels)
    everything = np.arange(count)
    net = trainer.train(base, everything, run)
    data = read_onnx_graph(base.data).with_weights(net.weights)
    after = _session(data)
    rule, _ = _personal_rule(
        base,
        after,
        bundled_scores.result(),
        replay.reference.images,
        samples.inputs,
        _copies(trainer.redrawn[base.recipe.redraw], everything),
        progress,
    )
    before = _session(base.data)
    evaluated = np.flatnonzero(assignment >= 0)
    right_before = _read_right(
        before,
        metadata_rule(base.metadata.raw),
        samples.inputs[evaluated],
        samples.labels[evaluated],
        progress,
    )
    return _Final(
        data=data,
        rule=rule,
        right_before=right_before,
        evaluated=len(evaluated),
        mnist_before=_accuracy(before, replay.check_images, replay.check_labels, progress),
        mnist_after=_accuracy(after, replay.check_images, replay.check_labels, progress),
        seconds=time.perf_counter() - began,
    )


def _bundled_scores(base: _Base, reference: np.ndarray, progress: FineTuneProgress) -> np.ndarray:
    """The bundled model's "not a digit" scores of the reference digits (none without a
    rule): what each personal rule is re-chosen against."""
    digit_rule = metadata_rule(base.metadata.raw)
    if digit_rule is None:
        return np.zeros(0)
    return _scores(_session(base.data), digit_rule, reference, progress)


def _tune(
    bases: Sequence[_Base],
    trainer: _Trainer,
    assignment: np.ndarray,
    target: Path,
    helpers: Helpers,
    scores: dict[str, Future[np.ndarray]],
) -> list[_Tuned]:
    """Cross-validate each of ``bases`` on the samples, then train it on all of them and
    score it, every run on the helpers, the longest first.

    Every sample is read as the window will read it: with the "not a digit" rule the
    model trained without it would be given, so the figures agree with the window.
    """
    fold_ids = [int(f) for f in np.unique(assignment) if f >= 0]
    folds: dict[str, list[Future[tuple[int, int, float]]]] = {}
    finals: dict[str, Future[_Final]] = {}
    count = len(trainer.samples.labels)
    for base in sorted(bases, key=lambda b: -trainer.work[b.name]):
        shown = base.metadata.display_name
        folds[base.name] = [
            helpers.start(
                partial(
                    _fold,
                    base,
                    trainer,
                    assignment,
                    fold,
                    trainer.plan(
                        base,
                        f"{shown}: checking on your held-out samples ({number} of {len(fold_ids)})",
                    ),
                    scores[base.name],
                )
            )
            for number, fold in enumerate(fold_ids, start=1)
        ]
        run = trainer.plan(base, f"{shown}: learning from all {count} samples")
        finals[base.name] = helpers.start(
            partial(_final, base, trainer, assignment, run, scores[base.name])
        )
    # Waited for in the order they began, so progress is passed on as it happens.
    held = {name: helpers.results(futures) for name, futures in folds.items()}
    ends = {name: helpers.results([future])[0] for name, future in finals.items()}
    tuned = []
    for base in bases:
        mine, end = held[base.name], ends[base.name]
        figures = ModelFigures(
            name=base.name,
            display_name=base.metadata.display_name + YOURS_SUFFIX,
            yours_before=end.right_before / max(end.evaluated, 1),
            yours_after=sum(r for r, _, _ in mine) / max(sum(n for _, n, _ in mine), 1),
            mnist_before=end.mnist_before,
            mnist_after=end.mnist_after,
            seconds=end.seconds + sum(s for _, _, s in mine),  # the work, on either core
            path=target / f"{base.name}.onnx",  # until saved into its set's folder
        )
        tuned.append(_Tuned(base, end.data, figures, end.rule))
    return tuned


def _save(tuned: Sequence[_Tuned], report: FineTuneReport, target: Path, bundled: Path) -> Path:
    """Write every model and its metadata as one set; the set's folder."""
    files = {}
    for model in tuned:
        document = _metadata(model.base, model.data, model.figures, report, model.rule)
        files[f"{model.base.name}.onnx"] = model.data
        files[f"{model.base.name}.json"] = (json.dumps(document, indent=2) + "\n").encode()
    try:
        return save_personal_models(files, target, bundled)
    except OSError as error:
        reason = error.strerror or str(error)
        raise FineTuneError(
            f"cannot save your personal models in {target} ({reason}); "
            "the models you had are unchanged"
        ) from None


def fine_tune(
    source: SampleStore | Sequence[Sample],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    models_dir: Path | None = None,
    bundled_dir: Path | None = None,
    seed: int = 0,
    recipe: Callable[[NumpyNet], FineTuneRecipe] = recipe_for,
) -> FineTuneReport:
    """Fine-tune every bundled model on ``source``'s samples; write the personal models.

    Always starts from the bundled models (never from an earlier personal one), so
    fine-tuning again with more samples does not drift. Runs for seconds: call it from a
    worker thread; ``progress(fraction, message)`` and ``cancelled()`` are called from
    that thread, ``cancelled()`` once per sample read or re-drawn and every 10 ms while
    the training runs (two at a time on helper threads, ``Helpers``), which stop within
    a step, so cancelling is prompt. Nothing is written unless every model finished, and then
    all models are saved as one set (``save_personal_models``). ``models_dir`` and
    ``bundled_dir`` default to the user's and the bundled models folders; ``recipe``
    picks each network's settings (tests and benchmarks shorten it).

    Raises
    ------
    FineTuneError
        Fewer than ``MIN_SAMPLES`` readable samples, no model can be fine-tuned, the
        reference digits are missing, the models cannot be saved, or ``cancelled()``
        returned True.
    """
    started = time.perf_counter()
    tracker = FineTuneProgress(progress, cancelled)
    samples = read_samples(source, tracker)
    replay = load_replay()
    bundled = bundled_dir or bundled_models_dir()
    bases, not_tunable = _bases(bundled, replay.check_images[::50], tracker)
    if not bases:
        raise FineTuneError("no model can be fine-tuned: " + "; ".join(not_tunable))
    target = models_dir or user_models_dir()
    _check_target(target, bases, bundled)

    rng = np.random.default_rng(seed)
    assignment, yours_method = folds(samples.labels, rng)
    for base in bases:
        base.recipe = recipe(base.net)
    tracker.stage("Re-drawing your samples")
    with Helpers(tracker) as helpers:
        # The bundled models score the reference digits (onnxruntime, which lets go of
        # the GIL) while this thread re-draws the samples (Python, which holds it).
        scores = {
            base.name: helpers.start(
                partial(_bundled_scores, base, replay.reference.images, tracker)
            )
            for base in bases
        }
        # Re-drawn once per setting (both models usually share one), for every fold alike.
        redrawn = {
            redraw: renderings(
                list(samples.inputs), samples.kept, redraw, np.random.default_rng(seed), tracker
            )
            for redraw in {base.recipe.redraw for base in bases}
        }
        trainer = _Trainer(samples, replay, redrawn, tracker, seed)
        for base in bases:
            tracker.check()
            step = _step_seconds(base, replay.check_images, replay.check_labels)
            trainer.work[base.name] = base.recipe.steps * step
        runs = 1 + len([f for f in np.unique(assignment) if f >= 0])
        tracker.plan(sum(trainer.work.values()) * runs)
        tuned = _tune(bases, trainer, assignment, target, helpers, scores)

    report = FineTuneReport(
        models=tuple(model.figures for model in tuned),
        samples_used=len(samples.kept),
        per_digit={d: int((samples.labels == d).sum()) for d in range(10)},
        yours_method=yours_method,
        mnist_method=f"{len(replay.check_labels)} MNIST training digits kept out of the replay",
        seconds=0.0,
        skipped=tuple(samples.skipped + replay.skipped + not_tunable),
    )
    tracker.stage("Saving your models")
    folder = _save(tuned, report, target, bundled)
    saved = tuple(replace(m, path=folder / m.path.name) for m in report.models)
    return replace(report, models=saved, seconds=time.perf_counter() - started)


__all__ = [
    "MIN_SAMPLES",
    "FineTuneReport",
    "ModelFigures",
    "fine_tune",
    "recipe_for",
]
