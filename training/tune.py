"""Search the training recipe with KerasTuner, the architecture fixed, on validation only.

The tutorial behind digitpad's models says batch size, epochs and the like "can be tuned
using KerasTuner"; this does it for digitpad's own recipe. Each trial trains the model's
fixed architecture (``training.models``; only the dropout *rate* may change) through the
same ``training.fit.fit`` the shipped models were trained with, on MNIST training images,
and is scored by its best accuracy on the held-out validation images (the last ones of
the training set). The test set is never read. A time budget stops the search between
trials; the best recipe goes to a file that ``python -m training --recipe`` trains with.

Tuned on MNIST alone: the spec's pen digits, non-digits and fine-tuning steps are left
out of the trials and left as they are in the recipe file.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import keras
import keras_tuner

from training.data import Split
from training.fit import fit
from training.models import set_dropout_rate
from training.recipe import RECIPE_FORMAT, Recipe, apply_overrides
from training.specs import spec_for

OBJECTIVE = "val_accuracy"


@dataclass(frozen=True)
class SearchSpace:
    """The ranges searched; epochs from 1 to ``max_epochs``."""

    max_epochs: int = 12
    learning_rates: tuple[float, float] = (3e-4, 1e-2)
    warmup_epochs: tuple[float, ...] = (0.0, 0.3, 1.0)
    batch_sizes: tuple[int, ...] = (64, 128, 256)
    dropout_rates: tuple[float, float] = (0.2, 0.6)
    max_rotation_degrees: tuple[float, float] = (0.0, 15.0)
    max_shift_pixels: tuple[float, float] = (0.0, 3.0)
    scale_spread: tuple[float, float] = (0.0, 0.2)
    max_shear: tuple[float, float] = (0.0, 0.2)
    stroke_change_probability: tuple[float, float] = (0.0, 0.3)


def recipe_settings(
    hp: keras_tuner.HyperParameters, space: SearchSpace, dropout: bool
) -> dict[str, Any]:
    """One trial's recipe settings, in the recipe file's shape (``apply_overrides``)."""
    settings: dict[str, Any] = {
        "peak_learning_rate": hp.Float("peak_learning_rate", *space.learning_rates, sampling="log"),
        "warmup_epochs": hp.Choice("warmup_epochs", list(space.warmup_epochs)),
        "batch_size": hp.Choice("batch_size", list(space.batch_sizes)),
        "epochs": hp.Int("epochs", 1, space.max_epochs),
    }
    if dropout:
        settings["dropout_rate"] = hp.Float("dropout_rate", *space.dropout_rates, step=0.1)
    spread = hp.Float("scale_spread", *space.scale_spread)
    stroke = hp.Float("stroke_change_probability", *space.stroke_change_probability)
    settings["augmentation"] = {
        "max_rotation_degrees": hp.Float("max_rotation_degrees", *space.max_rotation_degrees),
        "max_shift_pixels": hp.Float("max_shift_pixels", *space.max_shift_pixels),
        "min_scale": 1.0 - spread,
        "max_scale": 1.0 + spread,
        "max_shear": hp.Float("max_shear", *space.max_shear),
        "thicken_probability": stroke,
        "thin_probability": stroke,
    }
    return settings


@dataclass
class TrialRecord:
    """One trial as the report shows it."""

    number: int
    settings: dict[str, Any]
    validation_accuracy: float
    best_epoch: int
    seconds: float


@dataclass
class _RecipeModel(keras_tuner.HyperModel):
    """The fixed architecture, trained with the trial's recipe by digitpad's own ``fit``."""

    model_name: str
    base: Recipe
    space: SearchSpace
    seed: int
    log: Callable[[str], None]
    records: list[TrialRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(name=self.model_name)

    def _has_dropout(self) -> bool:
        return any(isinstance(layer, keras.layers.Dropout) for layer in self._fresh().layers)

    def _fresh(self) -> keras.Model:
        keras.utils.set_random_seed(self.seed)  # every trial starts from the same weights
        return spec_for(self.model_name).build()

    def build(self, hp: keras_tuner.HyperParameters) -> keras.Model:
        model = self._fresh()
        settings = recipe_settings(hp, self.space, dropout=self._has_dropout())
        if "dropout_rate" in settings:
            set_dropout_rate(model, settings["dropout_rate"])
        return model

    def fit(
        self, hp: keras_tuner.HyperParameters, model: keras.Model, train: Split, **_: Any
    ) -> dict[str, float]:
        settings = recipe_settings(hp, self.space, dropout="dropout_rate" in hp.values)
        recipe = apply_overrides(self.base, settings)
        number = len(self.records) + 1
        self.log(f"trial {number}: {settings}")
        result = fit(model, train, recipe, self.seed, self.log)
        self.log(
            f"trial {number}: validation accuracy {result.validation_accuracy:.4f} "
            f"(best epoch {result.best_epoch}) in {result.duration_seconds:.0f}s"
        )
        self.records.append(
            TrialRecord(
                number,
                settings,
                result.validation_accuracy,
                result.best_epoch,
                result.duration_seconds,
            )
        )
        return {OBJECTIVE: result.validation_accuracy}


class _BudgetedSearch(keras_tuner.RandomSearch):
    """Random search that starts no new trial once the time budget is spent."""

    def __init__(
        self, *args: Any, budget_seconds: float, clock: Callable[[], float], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock
        self._deadline = clock() + budget_seconds

    def run_trial(self, trial: keras_tuner.engine.trial.Trial, *args: Any, **kwargs: Any) -> Any:
        # Build and fit only: the search keeps recipes, not weights, so KerasTuner's
        # checkpoint per trial and TensorBoard hook (which needs tensorboard) are skipped.
        return self._build_and_fit_model(trial, *args, **kwargs)

    def pre_create_trial(self) -> None:
        if self._clock() >= self._deadline:
            self.oracle.max_trials = len(self.oracle.trials)  # the oracle stops here


@dataclass(frozen=True)
class TuneResult:
    """Every trial run and the best one's recipe file document."""

    trials: list[TrialRecord]
    best: TrialRecord
    recipe_document: dict[str, Any]


def tune(
    model_name: str,
    train: Split,
    trials: int,
    budget_seconds: float,
    seed: int,
    space: SearchSpace = SearchSpace(),
    validation_size: int | None = None,
    log: Callable[[str], None] = print,
    clock: Callable[[], float] = time.monotonic,
) -> TuneResult:
    """Random-search ``model_name``'s recipe on ``train`` (its last images validate).

    Parameters
    ----------
    train
        MNIST training images only; the test set plays no part.
    trials
        At most this many trials; fewer when ``budget_seconds`` runs out first (a trial
        that has started runs to its end).
    validation_size
        Held-out images at the end of ``train``; the spec's recipe's by default.
    """
    base = spec_for(model_name).recipe
    base = replace(
        base,
        pen_variants=0,
        non_digit_share=0.0,
        interpolate_with_initial=False,
        validation_size=validation_size or base.validation_size,
    )
    hypermodel = _RecipeModel(model_name, base, space, seed, log)
    with tempfile.TemporaryDirectory(prefix="digitpad-tune-") as folder:
        tuner = _BudgetedSearch(
            hypermodel,
            objective=keras_tuner.Objective(OBJECTIVE, direction="max"),
            max_trials=trials,
            seed=seed,
            directory=folder,
            project_name=model_name,
            overwrite=True,
            budget_seconds=budget_seconds,
            clock=clock,
        )
        tuner.search(train=train, verbose=0)  # each trial logs its own lines
    records = hypermodel.records
    if not records:
        raise RuntimeError("no trial finished: raise --time-budget or --trials")
    best = max(records, key=lambda record: (record.validation_accuracy, -record.number))
    document = {
        "format": RECIPE_FORMAT,
        "model": model_name,
        "recipe": best.settings,
        "validation_accuracy": best.validation_accuracy,
        "tuned_on": (
            f"MNIST training images, {len(train) - base.validation_size} trained on, the last "
            f"{base.validation_size} validating; trial {best.number} of {len(records)}"
        ),
    }
    return TuneResult(records, best, document)
