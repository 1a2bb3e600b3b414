"""One model end to end: fit, export to ONNX, evaluate with the app's code, write metadata."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import keras

from digitpad.core.recognition import METADATA_KEY
from training.data import Mnist, load_mnist
from training.drawn_data import DrawnData, build_drawn_data
from training.drawn_eval import evaluate_model_file
from training.evaluate import evaluate_onnx
from training.export import export_onnx
from training.fit import fit, split_validation
from training.interpolate import interpolate_models
from training.metadata import build_metadata, write_metadata
from training.models import set_dropout_rate
from training.not_a_digit import calibrate, choose_rejection
from training.pendigits import DEFAULT_PENDIGITS, WRITER_SPLIT
from training.recipe import DEFAULT_SEED, Recipe, apply_overrides
from training.report import write_report
from training.specs import ModelSpec, spec_for
from training.warm_start import load_onnx_weights

# --smoke: a few hundred images and one epoch, to check the whole path in seconds.
SMOKE_TRAIN_IMAGES, SMOKE_VALIDATION_IMAGES, SMOKE_TEST_IMAGES = 1280, 128, 300
SMOKE_PEN_DIGITS, SMOKE_PEN_VARIANTS = 40, 2  # digits per writer split, renders of each
SMOKE_NON_DIGIT_SHARE = 0.05  # one epoch of a few hundred images still learns the digits
SMOKE_LEARNING_RATE = 3e-3


@dataclass(frozen=True)
class TrainConfig:
    """Everything one training run needs; the command line only fills this in."""

    model: str
    output_dir: Path
    reports_dir: Path | None
    data_dir: Path | None = None
    epochs: int | None = None
    seed: int = DEFAULT_SEED
    smoke: bool = False
    pendigits_dir: Path = DEFAULT_PENDIGITS
    init_from: Path | None = None
    """A folder with ``<model>.onnx`` of the same architecture to start from."""
    recipe_overrides: Mapping[str, Any] = field(default_factory=dict)
    """Settings that replace the spec's recipe (a tuned recipe file's ``recipe``)."""


def _recipe(config: TrainConfig, spec: ModelSpec) -> Recipe:
    recipe = apply_overrides(spec.recipe, config.recipe_overrides)
    if config.smoke:
        # From scratch in one tiny epoch: a fine-tuning recipe's gentle rate would not learn.
        recipe = replace(
            recipe,
            epochs=1,
            batch_size=64,
            validation_size=SMOKE_VALIDATION_IMAGES,
            peak_learning_rate=SMOKE_LEARNING_RATE,
            warmup_epochs=1.0,
        )
    if config.epochs is not None:
        recipe = replace(recipe, epochs=config.epochs)
    return recipe


@lru_cache(maxsize=4)
def _drawn_data(
    variants: int, non_digits: int, seed: int, folder: Path, limit: int | None
) -> DrawnData:
    """Rendered once per run and shared by models whose recipes ask for the same data."""
    return build_drawn_data(variants, non_digits, seed, folder, limit=limit)


def _drawn_for(config: TrainConfig, recipe: Recipe, mnist: Mnist) -> DrawnData | None:
    if not recipe.pen_variants and not recipe.non_digit_share:
        return None
    limit = SMOKE_PEN_DIGITS if config.smoke else None
    variants = min(recipe.pen_variants, SMOKE_PEN_VARIANTS) if config.smoke else recipe.pen_variants
    # pendigits has about 250 digits per writer
    pen_renders = variants * (limit or len(WRITER_SPLIT["train"]) * 250)
    digits = pen_renders + len(mnist.train) - recipe.validation_size
    share = (
        min(recipe.non_digit_share, SMOKE_NON_DIGIT_SHARE)
        if config.smoke
        else recipe.non_digit_share
    )
    non_digits = round(share * digits)
    return _drawn_data(variants, non_digits, config.seed, config.pendigits_dir, limit)


def _smoke_slice(mnist: Mnist) -> Mnist:
    return Mnist(
        mnist.train.head(SMOKE_TRAIN_IMAGES + SMOKE_VALIDATION_IMAGES),
        mnist.test.head(SMOKE_TEST_IMAGES),
    )


def _mix_with_initial(
    config: TrainConfig, recipe: Recipe, mnist: Mnist, log: Callable[[str], None]
) -> dict[str, object]:
    """Replace the fine-tuned model just written by its mix with the initial weights."""
    assert config.init_from is not None
    with tempfile.TemporaryDirectory() as folder:
        tuned = Path(folder) / f"{config.model}.onnx"
        for suffix in (".onnx", ".json"):
            written = config.output_dir / f"{config.model}{suffix}"
            shutil.copyfile(written, tuned.with_suffix(suffix))
        return interpolate_models(
            config.init_from / f"{config.model}.onnx",
            tuned,
            config.output_dir,
            config.reports_dir,
            mnist,
            config.pendigits_dir,
            seed=config.seed,
            log=log,
            validation_size=recipe.validation_size,
            quick=config.smoke,
            label_smoothing=recipe.label_smoothing,
        )


def train(
    config: TrainConfig, mnist: Mnist | None = None, log: Callable[[str], None] = print
) -> dict[str, object]:
    """Train, export, evaluate and describe one model; return its metadata document.

    Parameters
    ----------
    config
        Which model, where to read MNIST and write the model and its report.
    mnist
        Already loaded data, to share one load between models; read from
        ``config.data_dir`` when None.
    log
        Where progress lines go.
    """
    spec = spec_for(config.model)
    mnist = mnist or load_mnist(config.data_dir)
    if config.smoke:
        mnist = _smoke_slice(mnist)
    recipe = _recipe(config, spec)
    drawn = _drawn_for(config, recipe, mnist)
    keras.utils.set_random_seed(config.seed)  # the initial weights come from this seed
    model = spec.build()
    if recipe.dropout_rate is not None:
        set_dropout_rate(model, recipe.dropout_rate)
    if config.init_from is not None:
        load_onnx_weights(model, config.init_from / f"{config.model}.onnx")
        log(f"{config.model}: starting from {config.init_from / config.model}.onnx")
    log(f"{config.model}: {model.count_params():,} parameters, {recipe.epochs} epochs")
    fitted = fit(model, mnist.train, recipe, config.seed, log, drawn)
    log(
        f"{config.model}: trained in {fitted.duration_seconds:.0f}s, best epoch "
        f"{fitted.best_epoch} (validation accuracy {fitted.validation_accuracy:.4f})"
    )
    validation = None
    if drawn is not None:
        validation = {
            "mnist_validation": split_validation(mnist.train, recipe.validation_size)[1],
            "pen_validation_writers": drawn.validation_digits,
        }
        calibration = calibrate(model, validation)
        log(f"{config.model}: calibration {calibration}")
    onnx_path = export_onnx(model, config.output_dir / f"{config.model}.onnx")
    evaluation = evaluate_onnx(onnx_path, mnist.test)
    train_size = len(mnist.train) - recipe.validation_size
    metadata = build_metadata(
        spec,
        fitted,
        recipe.describe(train_size),
        config.seed,
        evaluation.raw,
        evaluation.dataset,
        onnx_path,
    )
    if drawn is not None and validation is not None:
        metadata["calibration"] = calibration
        if recipe.non_digit_share > 0:  # a model never shown non-digits gets no rule
            metadata[METADATA_KEY] = choose_rejection(
                onnx_path, validation, drawn.validation_non_digits
            )
            log(f"{config.model}: not a digit {metadata[METADATA_KEY]}")
        training = metadata["training"]
        assert isinstance(training, dict)
        training["pen_data"] = {
            "source": "UCI pendigits (training part), training.pendigits",
            "writers": {part: list(writers) for part, writers in WRITER_SPLIT.items()},
            "trained_on": "train writers only; validation writers choose epoch, T, threshold",
            "initialised_from": None if config.init_from is None else "shipped model weights",
        }
    write_metadata(metadata, config.output_dir)
    if recipe.interpolate_with_initial and config.init_from is not None:
        return _mix_with_initial(config, recipe, mnist, log)
    if config.reports_dir is not None:
        figures = None
        if drawn is not None:
            figures = evaluate_model_file(
                onnx_path, mnist.test, config.pendigits_dir, quick=config.smoke
            )
            log(f"{config.model}: drawn figures {figures.as_dict()}")
        write_report(evaluation, config.reports_dir / config.model, figures)
    log(
        f"{config.model}: ONNX test accuracy {evaluation.raw.accuracy:.4f} raw, "
        f"{evaluation.preprocessed.accuracy:.4f} through preprocess_bitmap -> {onnx_path}"
    )
    return metadata
