"""What a fine-tune learns from: your samples, their re-drawn copies, the replay.

Each stage reads or draws one item at a time and asks ``FineTuneProgress.check()``
before each, so a cancelled fine-tune stops within one sample, whatever the store's
size.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitpad.core.personal._fine_tune_progress import (
    FineTuneError,
    FineTuneProgress,
    empty_lists,
)
from digitpad.core.personal._jitter import StrokeJitter, stroke_variants
from digitpad.core.personal._non_digit_reference import NON_DIGITS_FILE, load_non_digit_reference
from digitpad.core.personal._samples import Sample, SampleError, SampleStore
from digitpad.core.preprocessing import MODEL_PEN_RATIO, preprocess_bitmap, render_for_model
from digitpad.core.recognition import ReferenceDataError, ReferenceDigits, load_reference_digits

# Fewer samples than this teach a model nothing it can keep (and leave nothing to check
# it on); 10 is one per digit, though 5 per digit is what the figures were measured with.
MIN_SAMPLES = 10
# Cross-validation folds while there are few samples; from MANY_SAMPLES on, one held-out
# fifth says as much at a fraction of the cost.
FOLDS = 3
MANY_SAMPLES = 150
# How often a fine-tune waiting for the store's listing asks whether it was cancelled.
_LISTING_POLL_SECONDS = 0.05
# Reference digits per class kept out of the replay to measure forgetting.
MNIST_CHECK_PER_CLASS = 100


def _readable(
    samples: Sequence[Sample], progress: FineTuneProgress
) -> tuple[list[np.ndarray], list[Sample], list[str]]:
    """Each readable sample's model input, the samples read, and why others were skipped."""
    inputs: list[np.ndarray] = []
    kept: list[Sample] = []
    skipped: list[str] = []
    progress.hold(kept)
    for sample in samples:
        progress.check()
        try:
            inputs.append(SampleStore.model_input(sample))
        except (SampleError, OSError) as error:
            skipped.append(f"{error}, skipped")
            continue
        kept.append(sample)
    return inputs, kept, skipped


def renderings(
    inputs: Sequence[np.ndarray],
    samples: Sequence[Sample],
    redraw: StrokeJitter,
    rng: np.random.Generator,
    progress: FineTuneProgress,
) -> list[np.ndarray]:
    """Per sample, its model input then (drawings only) its re-drawn copies (``redraw``),
    each through the app's own rasteriser and preprocessing (cancellable between any
    two: a sample's 14 copies take 0.1 s of CPU, most of a second on a busy machine)."""
    renderings = []
    for model_input, sample in zip(inputs, samples, strict=True):
        progress.check()
        variants = [model_input]
        for strokes, factor in (
            stroke_variants(sample.strokes, rng, redraw) if sample.strokes else ()
        ):
            progress.check()
            bitmap = render_for_model(strokes, pen_ratio=MODEL_PEN_RATIO * factor)
            redrawn = None if bitmap is None else preprocess_bitmap(bitmap)
            if redrawn is not None:
                variants.append(redrawn)
        renderings.append(np.stack(variants))
    return renderings


def folds(labels: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, str]:
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


def training_set(
    renderings: Sequence[np.ndarray], labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    images = np.concatenate(renderings)
    counts = [len(r) for r in renderings]
    return images, np.repeat(labels, counts)


@dataclass(frozen=True)
class TrainingSamples:
    """The readable samples: each one's model input, its label, and what was skipped."""

    kept: list[Sample]
    inputs: np.ndarray
    labels: np.ndarray
    skipped: list[str]


@dataclass(frozen=True)
class Replay:
    """The reference digits, split into replay and the MNIST check, and non-digits."""

    reference: ReferenceDigits
    images: np.ndarray
    labels: np.ndarray
    check_images: np.ndarray
    check_labels: np.ndarray
    non_digits: np.ndarray
    skipped: list[str]


def _listed(store: SampleStore, progress: FineTuneProgress) -> list[Sample]:
    """``store.samples()``, waited for while asking for cancellation.

    Listing reads every sample's files (49 s for 10,000 on a busy machine) and cannot
    stop part-way; it runs on a thread of its own, so a cancelled fine-tune returns at
    once and leaves the listing (read-only) to finish there and let go of what it read
    one sample at a time (``empty_lists``).
    """
    listed: list[list[Sample]] = []
    failed: list[BaseException] = []
    abandoned = False
    lock = threading.Lock()
    done = threading.Event()

    def run() -> None:
        try:
            found = store.samples()
        except BaseException as error:  # handed to the fine-tune's thread
            failed.append(error)
            found = []
        with lock:
            if not abandoned:
                listed.append(found)
        done.set()
        if abandoned:
            empty_lists([found])

    threading.Thread(target=run, name="digitpad-list-samples", daemon=True).start()
    while not done.wait(_LISTING_POLL_SECONDS):
        if progress.wants_to_stop():
            with lock:
                abandoned = True
            for found in listed:  # finished meanwhile: let go of it elsewhere too
                progress.hold(found)
            progress.check()
    if failed:
        raise failed[0]
    return listed[0]


def read_samples(
    source: SampleStore | Sequence[Sample], progress: FineTuneProgress
) -> TrainingSamples:
    progress.stage("Reading your samples")
    samples = _listed(source, progress) if isinstance(source, SampleStore) else list(source)
    progress.hold(samples)
    skipped = list(source.problems) if isinstance(source, SampleStore) else []
    inputs, kept, unreadable = _readable(samples, progress)
    if len(kept) < MIN_SAMPLES:
        raise FineTuneError(
            f"fine-tuning needs at least {MIN_SAMPLES} samples of your handwriting "
            f"(5 of each digit works best); there {'is' if len(kept) == 1 else 'are'} "
            f"{len(kept)}"
        )
    labels = np.array([s.label for s in kept], dtype=np.int64)
    return TrainingSamples(kept, np.stack(inputs), labels, skipped + unreadable)


def load_replay() -> Replay:
    """The shipped reference digits, split into replay and MNIST check, and non-digits."""
    try:
        reference = load_reference_digits()
    except ReferenceDataError as error:
        raise FineTuneError(f"the MNIST reference digits are missing: {error}") from None
    skipped = []
    try:
        non_digits = load_non_digit_reference().astype(np.float32)
    except ReferenceDataError as error:
        # Fine-tuning still works; the dense model's "not a digit" rule refuses less.
        non_digits = np.zeros((0, 28, 28), np.float32)
        skipped.append(f"{NON_DIGITS_FILE}: not replayed ({error})")
    replay, check = _mnist_split(reference.labels)
    return Replay(
        reference=reference,
        images=reference.images[replay].astype(np.float32),
        labels=reference.labels[replay],
        check_images=reference.images[check].astype(np.float32),
        check_labels=reference.labels[check],
        non_digits=non_digits,
        skipped=skipped,
    )
