"""Fitting one model: the tf.data pipeline, the optimiser and schedule, best-epoch keeping."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from training.augment import augment_batch
from training.data import NUM_CLASSES, Split
from training.drawn_data import NOT_A_DIGIT, DrawnData
from training.recipe import Recipe


@dataclass(frozen=True)
class FitResult:
    """The model at its best validation epoch and how training went."""

    model: keras.Model
    best_epoch: int
    validation_accuracy: float
    epochs_run: int
    duration_seconds: float


def split_validation(train: Split, validation_size: int) -> tuple[Split, Split]:
    """Hold out the last ``validation_size`` training images for model selection."""
    if not 0 < validation_size < len(train):
        raise ValueError(f"validation size {validation_size} must be in 1..{len(train) - 1}")
    cut = len(train) - validation_size
    return Split(train.images[:cut], train.labels[:cut]), Split(
        train.images[cut:], train.labels[cut:]
    )


def targets(labels: np.ndarray) -> np.ndarray:
    """One-hot rows for digits; for ``NOT_A_DIGIT`` every digit alike (outlier exposure:
    the model learns to spread its answer for letters, scribbles and shapes)."""
    rows = np.full((len(labels), NUM_CLASSES), 1.0 / NUM_CLASSES, dtype=np.float32)
    digits = labels != NOT_A_DIGIT
    rows[digits] = np.eye(NUM_CLASSES, dtype=np.float32)[labels[digits].astype(np.int64)]
    return rows


def _joined(first: Split, second: Split) -> Split:
    return Split(
        np.concatenate([first.images, second.images]),
        np.concatenate([first.labels.astype(np.int64), second.labels.astype(np.int64)]),
    )


def _as_model_input(images: tf.Tensor, input_rank: int) -> tf.Tensor:
    """(N, 28, 28, 1) float32 -> the model's own input rank (3 dense, 4 CNN)."""
    return images if input_rank == 4 else images[..., 0]


def training_dataset(train: Split, recipe: Recipe, seed: int, input_rank: int) -> tf.data.Dataset:
    """An endless, seeded, shuffled, per-batch augmented stream of (images, one-hot) pairs."""
    images = train.images[..., None]
    labels = targets(train.labels)
    settings = recipe.augmentation

    def augment(step: tf.Tensor, batch: tuple[tf.Tensor, tf.Tensor]) -> tuple[tf.Tensor, tf.Tensor]:
        pixels, onehot = batch
        step_seed = tf.stack([tf.constant(seed, tf.int64), step])
        pixels = augment_batch(tf.cast(pixels, tf.float32), step_seed, settings)
        return _as_model_input(pixels, input_rank), onehot

    return (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(len(labels), seed=seed, reshuffle_each_iteration=True)
        .repeat()
        .batch(recipe.batch_size, drop_remainder=True)
        .enumerate()
        .map(augment, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
        .prefetch(tf.data.AUTOTUNE)
    )


class _KeepBest(keras.callbacks.Callback):
    """Remember the weights of the best validation epoch and print one line per epoch."""

    def __init__(self, epochs: int, log: Callable[[str], None]) -> None:
        super().__init__()
        self.epochs = epochs
        self.log = log
        self.best: tuple[float, float] = (-1.0, 0.0)  # (accuracy, -loss)
        self.best_epoch = 0
        self.best_weights: list[np.ndarray] | None = None
        self._started = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        logs = logs or {}
        score = (float(logs["val_accuracy"]), -float(logs["val_loss"]))
        marker = ""
        if score > self.best:
            self.best, self.best_epoch = score, epoch + 1
            self.best_weights = self.model.get_weights()
            marker = "  *best"
        learning_rate = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        self.log(
            f"  epoch {epoch + 1:>2}/{self.epochs}  {time.perf_counter() - self._started:5.1f}s  "
            f"loss {logs['loss']:.4f}  acc {logs['accuracy']:.4f}  "
            f"val_loss {logs['val_loss']:.4f}  val_acc {logs['val_accuracy']:.4f}  "
            f"lr {learning_rate:.2e}{marker}"
        )


def fit(
    model: keras.Model,
    train: Split,
    recipe: Recipe,
    seed: int,
    log: Callable[[str], None] = print,
    drawn: DrawnData | None = None,
) -> FitResult:
    """Train ``model`` in place and leave it at its best validation epoch.

    Parameters
    ----------
    model
        A freshly built model (``build_dense()`` or ``build_cnn()``).
    train
        The MNIST training split; its last ``recipe.validation_size`` images validate.
    recipe
        Optimiser, schedule, epochs, augmentation.
    seed
        Seeds dropout, shuffling and augmentation. The initial weights are drawn when the
        model is built, so seed them before that (``keras.utils.set_random_seed``).
    log
        Where the per-epoch progress lines go.
    drawn
        Pen digits and non-digits trained on beside MNIST; their validation writers'
        digits join MNIST's validation images in choosing the best epoch.
    """
    keras.utils.set_random_seed(seed)
    fit_split, validation = split_validation(train, recipe.validation_size)
    if drawn is not None:
        fit_split = _joined(fit_split, drawn.train)
        validation = _joined(validation, drawn.validation_digits)
    input_rank = len(model.input_shape)
    steps_per_epoch = len(fit_split) // recipe.batch_size
    if steps_per_epoch == 0:
        raise ValueError(f"{len(fit_split)} training images are fewer than one batch")
    total_steps = steps_per_epoch * recipe.epochs
    warmup_steps = min(int(recipe.warmup_epochs * steps_per_epoch), total_steps - 1)
    schedule = keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=recipe.peak_learning_rate / 10,
        decay_steps=max(total_steps - warmup_steps, 1),
        alpha=0.01,
        warmup_target=recipe.peak_learning_rate,
        warmup_steps=warmup_steps,
    )
    model.compile(
        optimizer=keras.optimizers.AdamW(schedule, weight_decay=recipe.weight_decay),
        loss=keras.losses.CategoricalCrossentropy(label_smoothing=recipe.label_smoothing),
        metrics=[keras.metrics.CategoricalAccuracy(name="accuracy")],
    )
    validation_images = validation.images.astype(np.float32)
    if input_rank == 4:
        validation_images = validation_images[..., None]
    validation_labels = targets(validation.labels)
    keep_best = _KeepBest(recipe.epochs, log)
    started = time.perf_counter()
    model.fit(
        training_dataset(fit_split, recipe, seed, input_rank),
        epochs=recipe.epochs,
        steps_per_epoch=steps_per_epoch,
        validation_data=(validation_images, validation_labels),
        validation_batch_size=1000,
        callbacks=[keep_best],
        shuffle=False,  # the dataset shuffles itself, with the run's seed
        verbose=0,
    )
    duration = time.perf_counter() - started
    model.set_weights(keep_best.best_weights)
    return FitResult(
        model=model,
        best_epoch=keep_best.best_epoch,
        validation_accuracy=keep_best.best[0],
        epochs_run=recipe.epochs,
        duration_seconds=duration,
    )
