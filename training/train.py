"""One model end to end: fit, export to ONNX, evaluate with the app's code, write metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import keras

from training.data import Mnist, load_mnist
from training.evaluate import evaluate_onnx
from training.export import export_onnx
from training.fit import fit
from training.metadata import build_metadata, write_metadata
from training.recipe import DEFAULT_SEED, Recipe
from training.report import write_report
from training.specs import ModelSpec, spec_for

# --smoke: a few hundred images and one epoch, to check the whole path in seconds.
SMOKE_TRAIN_IMAGES, SMOKE_VALIDATION_IMAGES, SMOKE_TEST_IMAGES = 640, 128, 300


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


def _recipe(config: TrainConfig, spec: ModelSpec) -> Recipe:
    recipe = spec.recipe
    if config.smoke:
        recipe = replace(recipe, epochs=1, batch_size=64, validation_size=SMOKE_VALIDATION_IMAGES)
    if config.epochs is not None:
        recipe = replace(recipe, epochs=config.epochs)
    return recipe


def _smoke_slice(mnist: Mnist) -> Mnist:
    return Mnist(
        mnist.train.head(SMOKE_TRAIN_IMAGES + SMOKE_VALIDATION_IMAGES),
        mnist.test.head(SMOKE_TEST_IMAGES),
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
    keras.utils.set_random_seed(config.seed)  # the initial weights come from this seed
    model = spec.build()
    log(f"{config.model}: {model.count_params():,} parameters, {recipe.epochs} epochs")
    fitted = fit(model, mnist.train, recipe, config.seed, log)
    log(
        f"{config.model}: trained in {fitted.duration_seconds:.0f}s, best epoch "
        f"{fitted.best_epoch} (validation accuracy {fitted.validation_accuracy:.4f})"
    )
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
    write_metadata(metadata, config.output_dir)
    if config.reports_dir is not None:
        write_report(evaluation, config.reports_dir / config.model)
    log(
        f"{config.model}: ONNX test accuracy {evaluation.raw.accuracy:.4f} raw, "
        f"{evaluation.preprocessed.accuracy:.4f} through preprocess_bitmap -> {onnx_path}"
    )
    return metadata
