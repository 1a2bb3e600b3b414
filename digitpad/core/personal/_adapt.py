"""The fine-tuning loop: a few hundred Adam steps that teach a model one person's hand.

Each batch mixes that person's digits (jittered afresh every step) with replayed MNIST
reference digits, and the loss holds every weight near its bundled value (L2-SP, an L2
penalty toward the starting point rather than toward zero), so the model learns the new
hand without forgetting MNIST. The settings in ``FineTuneRecipe`` were chosen on the pen-tablet
validation writers (``python -m benchmarks.personalise --writers validation``), never on
the writers the figures are reported for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from digitpad.core.personal._jitter import Jitter, StrokeJitter, jitter
from digitpad.core.personal._numpy_net import NumpyNet, softmax


class AdaptCancelledError(Exception):
    """The caller asked to stop; nothing was written."""


@dataclass(frozen=True)
class FineTuneRecipe:
    """How one model is fine-tuned."""

    steps: int = 150
    user_batch: int = 32
    replay_batch: int = 32
    learning_rate: float = 5e-4
    # L2-SP strength: the loss adds anchor * sum((w - w_bundled)^2) over trained weights.
    anchor: float = 0.01
    dropout: float = 0.0
    # Layers left as they are, by position among the trainable tensors (e.g. the first
    # convolution's kernel and bias), which also saves back-propagating into them.
    frozen_tensors: int = 0
    jitter: Jitter = field(default_factory=Jitter)
    # The re-drawn copies of each drawing added to the user's digits before training.
    redraw: StrokeJitter = field(default_factory=StrokeJitter)
    # Share of the learned change kept at the end; below 1 moves the weights back toward
    # the bundled ones along the straight line between them (weight-space ensembling),
    # which gives back MNIST accuracy faster than it takes back the new hand.
    kept_change: float = 1.0
    # Replayed non-digits (letters, scribbles, shapes) per batch, taught as even
    # probabilities over the ten digits: keeps a model trained that way (outlier
    # exposure) refusing them; 0 for a model whose "not a digit" rule reads its features.
    non_digit_batch: int = 0


def adam_update(
    weights: dict[str, np.ndarray],
    grads: dict[str, np.ndarray],
    moments: dict[str, tuple[np.ndarray, np.ndarray]],
    step: int,
    learning_rate: float,
) -> None:
    """One Adam step (betas 0.9 / 0.999) on ``weights`` in place; ``moments`` carries the
    running averages between steps (empty at step 1). The fine-tune's optimiser, also used
    by training's small full-batch fits."""
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    corrected = learning_rate * np.sqrt(1 - beta2**step) / (1 - beta1**step)
    # In place, in float32, in the order the textbook formulas read (the same roundings).
    for name, grad in grads.items():
        if name not in moments:
            moments[name] = (np.zeros_like(grad), np.zeros_like(grad))
        first, second = moments[name]
        first *= beta1
        first += (1 - beta1) * grad
        squared = (1 - beta2) * grad
        squared *= grad
        second *= beta2
        second += squared
        update = corrected * first
        root = np.sqrt(second)
        root += epsilon
        update /= root
        weights[name] -= update.astype(np.float32, copy=False)


def adapt(
    net: NumpyNet,
    user_images: np.ndarray,
    user_labels: np.ndarray,
    replay_images: np.ndarray,
    replay_labels: np.ndarray,
    recipe: FineTuneRecipe,
    rng: np.random.Generator,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    non_digits: np.ndarray | None = None,
) -> None:
    """Fine-tune ``net``'s weights in place on the user's digits plus replay.

    ``user_images`` ``(M, 28, 28)`` may hold several renderings of each sample; every
    batch draws from them with replacement and jitters what it draws. ``replay_labels``
    are digits ``(R,)``, or probabilities ``(R, 10)`` to teach the replayed digits as the
    bundled model read them (distillation), which keeps more of what it knew.
    ``non_digits`` ``(K, 28, 28)``, when given and ``recipe.non_digit_batch`` is set,
    adds that many of them to every batch with even probabilities as their target.

    Raises
    ------
    AdaptCancelledError
        ``cancelled()`` returned True between two steps.
    """
    trained = net.trainable[recipe.frozen_tensors :]
    anchors = {name: net.weights[name].copy() for name in trained}
    moments: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    others = 0 if non_digits is None or not len(non_digits) else recipe.non_digit_batch
    for step in range(1, recipe.steps + 1):
        if cancelled is not None and cancelled():
            raise AdaptCancelledError
        mine = rng.integers(0, len(user_images), recipe.user_batch)
        replayed = rng.integers(0, len(replay_images), recipe.replay_batch)
        parts = [jitter(user_images[mine], rng, recipe.jitter), replay_images[replayed]]
        if others:
            assert non_digits is not None
            parts.append(non_digits[rng.integers(0, len(non_digits), others)])
        images = np.concatenate(parts)
        logits, cache = net.forward(images, dropout=recipe.dropout, rng=rng, trained=trained)
        grad = softmax(logits)
        grad[len(images) - others :] -= 1.0 / grad.shape[1]  # even targets for non-digits
        grad[np.arange(recipe.user_batch), user_labels[mine]] -= 1.0
        if replay_labels.ndim == 2:  # the bundled model's own probabilities (distillation)
            grad[recipe.user_batch :] -= replay_labels[replayed]
        else:
            grad[recipe.user_batch + np.arange(recipe.replay_batch), replay_labels[replayed]] -= 1.0
        grads = net.backward(cache, grad / len(images), trained)
        for name in trained:
            grads[name] += (2.0 * recipe.anchor) * (net.weights[name] - anchors[name])
        adam_update(net.weights, grads, moments, step, recipe.learning_rate)
        if progress is not None:
            progress(step / recipe.steps)
    for name in trained:
        net.weights[name] = anchors[name] + np.float32(recipe.kept_change) * (
            net.weights[name] - anchors[name]
        )
