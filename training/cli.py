"""Command line: ``python -m training`` trains; ``python -m training evaluate`` re-evaluates.

It only parses arguments; the work happens in ``training.train`` and ``training.evaluate``,
imported when a command runs, so ``--help`` answers without loading TensorFlow.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from training.data import MNIST_DIR, MnistDataError, load_mnist, load_split
from training.pendigits import DEFAULT_PENDIGITS, PenDigitsError
from training.recipe import DEFAULT_SEED, RecipeFileError, apply_overrides, read_recipe_file
from training.robustness import DEFAULT_IMAGES
from training.specs import model_names, spec_for

_PEN_HELP = "folder with pendigits-orig.tra(.gz), the pen digits (default: %(default)s)"
_DATA_HELP = "folder with the four MNIST IDX files (gzipped or not); default: Keras download"


def _train_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description="Train, export to ONNX and evaluate digitpad's models. "
        "Run 'python -m training evaluate MODEL.onnx' to evaluate any exported model, "
        "'python -m training interpolate START.onnx TUNED.onnx' to mix a fine-tune, "
        "'python -m training robustness' to measure the models under shifts, turns and more, "
        "'python -m training tune --model M' to search a recipe.",
    )
    parser.add_argument("--data-dir", type=Path, help=_DATA_HELP)
    parser.add_argument("--model", choices=[*model_names(), "all"], default="all")
    parser.add_argument("--epochs", type=int, help="override each model's epoch count")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("assets/models"),
        help="where <name>.onnx and <name>.json go (default: assets/models)",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        default=Path("reports"),
        help="where the evaluation reports go (default: reports)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--pendigits-dir",
        type=Path,
        default=DEFAULT_PENDIGITS,
        help=_PEN_HELP,
    )
    parser.add_argument(
        "--init-from",
        type=Path,
        help="start from the weights of <model>.onnx in this folder (fine-tuning)",
    )
    parser.add_argument(
        "--recipe",
        type=Path,
        metavar="FILE",
        help="train with the settings of a recipe file (python -m training tune writes one); "
        "--model must name its model",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few hundred images and one epoch, to test the whole path",
    )
    return parser


def _evaluate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training evaluate",
        description="Evaluate an exported ONNX model on the MNIST test set and write a report.",
    )
    parser.add_argument("onnx", type=Path, help="a model under the digitpad ONNX contract")
    parser.add_argument("--data-dir", type=Path, help=_DATA_HELP)
    parser.add_argument(
        "--reports",
        type=Path,
        default=Path("reports"),
        help="the report goes into REPORTS/<model file stem>/",
    )
    parser.add_argument("--pendigits-dir", type=Path, default=DEFAULT_PENDIGITS, help=_PEN_HELP)
    return parser


def _interpolate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training interpolate",
        description="Mix a fine-tuned model's weights with those it started from (WiSE-FT), "
        "choose the mix on validation data, calibrate it, set its 'not a digit' threshold "
        "and write <name>.onnx, <name>.json and its report.",
    )
    parser.add_argument("start", type=Path, help="the model the fine-tune started from")
    parser.add_argument("tuned", type=Path, help="the fine-tuned model (its .json beside it)")
    parser.add_argument("--data-dir", type=Path, help=_DATA_HELP)
    parser.add_argument("--pendigits-dir", type=Path, default=DEFAULT_PENDIGITS, help=_PEN_HELP)
    parser.add_argument("--output", type=Path, default=Path("assets/models"))
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    return parser


def _add_offline_data_dir(parser: argparse.ArgumentParser) -> None:
    """``--data-dir``, defaulting to the offline MNIST copy (the tests' and benchmarks')."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=MNIST_DIR,
        help="folder with the MNIST IDX files (default: %(default)s)",
    )


def _robustness_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training robustness",
        description="Evaluate the shipped models on MNIST test digits shifted, turned, scaled, "
        "thinned or thickened and made noisy (the core's transforms), with digitpad's "
        "normalisation, on raw MNIST and re-normalised; writes robustness.json and "
        "robustness.png into REPORTS/robustness/.",
    )
    _add_offline_data_dir(parser)
    parser.add_argument(
        "--models",
        type=Path,
        default=Path("assets/models"),
        help="folder of the models to evaluate (default: %(default)s)",
    )
    parser.add_argument(
        "--images",
        type=int,
        default=DEFAULT_IMAGES,
        help="how many test digits, from the first (default: %(default)s)",
    )
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    return parser


def _robustness(argv: Sequence[str]) -> int:
    args = _robustness_parser().parse_args(argv)
    from digitpad.core import Recognizer
    from training.robustness import robustness_report, write_robustness_report

    recognizer = Recognizer.from_folders([args.models])
    if recognizer.failures or not recognizer.loaded_models:
        problems = "; ".join(map(str, recognizer.failures)) or "no models"
        print(f"error: {args.models}: {problems}", file=sys.stderr)
        return 2
    test = load_split(args.data_dir, "test").head(args.images)
    started = time.perf_counter()
    document = robustness_report(
        recognizer.loaded_models, test, progress=lambda line: print(line, flush=True)
    )
    json_path, png_path = write_robustness_report(document, args.reports / "robustness")
    print(f"wrote {json_path} and {png_path} in {time.perf_counter() - started:.0f}s")
    return 0


def _tune_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training tune",
        description="Search a model's training recipe (learning rate and warm-up, batch size, "
        "epochs, dropout rate, augmentation) with KerasTuner, the architecture fixed, scored "
        "on the validation images only; writes best_recipe.json, trials.json, trials.md and "
        "trials.png. Train with the result: python -m training --model M --recipe FILE.",
    )
    parser.add_argument("--model", choices=model_names(), required=True)
    parser.add_argument("--trials", type=int, default=20, help="at most (default: %(default)s)")
    parser.add_argument(
        "--time-budget",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="start no trial after this long (default: %(default)s)",
    )
    parser.add_argument(
        "--max-epochs", type=int, default=12, help="epochs searched: 1..this (default: %(default)s)"
    )
    parser.add_argument(
        "--train-images",
        type=int,
        help="use only the first N MNIST training images, a fifth of them validating "
        "(default: all, the last 5,000 validating)",
    )
    _add_offline_data_dir(parser)
    parser.add_argument("--out", type=Path, help="where the files go (default: reports/tune/MODEL)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    return parser


def _tune(argv: Sequence[str]) -> int:
    parser = _tune_parser()
    args = parser.parse_args(argv)
    if args.trials < 1 or args.max_epochs < 1 or args.time_budget <= 0:
        parser.error("--trials, --max-epochs and --time-budget must be positive")
    train = load_split(args.data_dir, "train")
    validation_size = None
    if args.train_images is not None:
        if not 10 <= args.train_images <= len(train):
            parser.error(f"--train-images must be in 10..{len(train)}")
        train = train.head(args.train_images)
        validation_size = args.train_images // 5
    from training.tune import SearchSpace, tune  # TensorFlow and KerasTuner: only now
    from training.tune_report import write_tune_report

    result = tune(
        args.model,
        train,
        args.trials,
        args.time_budget,
        args.seed,
        SearchSpace(max_epochs=args.max_epochs),
        validation_size,
        log=lambda line: print(line, flush=True),
    )
    paths = write_tune_report(result, args.out or Path("reports") / "tune" / args.model)
    print(
        f"best: trial {result.best.number} of {len(result.trials)}, validation accuracy "
        f"{result.best.validation_accuracy:.4f}; recipe in {paths['recipe']}, trials in "
        f"{paths['table']}"
    )
    return 0


def _interpolate(argv: Sequence[str]) -> int:
    args = _interpolate_parser().parse_args(argv)
    for path in (args.start, args.tuned, args.tuned.with_suffix(".json")):
        if not path.is_file():
            print(f"error: {path} is not a file", file=sys.stderr)
            return 2
    mnist = load_mnist(args.data_dir)
    from training.interpolate import interpolate_models

    interpolate_models(
        args.start, args.tuned, args.output, args.reports, mnist, args.pendigits_dir, seed=args.seed
    )
    return 0


def _evaluate(argv: Sequence[str]) -> int:
    args = _evaluate_parser().parse_args(argv)
    from training.drawn_eval import evaluate_model_file
    from training.evaluate import evaluate_onnx
    from training.report import write_report

    test = load_mnist(args.data_dir).test
    result = evaluate_onnx(args.onnx, test)
    folder = args.reports / args.onnx.stem
    write_report(result, folder, evaluate_model_file(args.onnx, test, args.pendigits_dir))
    print(
        f"{args.onnx}: accuracy {result.raw.accuracy:.4f} raw, "
        f"{result.preprocessed.accuracy:.4f} through preprocess_bitmap; report in {folder}"
    )
    return 0


def _train(argv: Sequence[str]) -> int:
    parser = _train_parser()
    args = parser.parse_args(argv)
    names = model_names() if args.model == "all" else [args.model]
    overrides: dict[str, object] = {}
    if args.recipe is not None:
        recipe_model, overrides = read_recipe_file(args.recipe)
        if names != [recipe_model]:
            parser.error(
                f"{args.recipe} is a recipe for {recipe_model}: use --model {recipe_model}"
            )
        apply_overrides(spec_for(recipe_model).recipe, overrides)  # bad settings: stop now
    mnist = load_mnist(args.data_dir)
    from training.train import TrainConfig, train  # TensorFlow: only once the data is good

    started = time.perf_counter()
    for name in names:
        config = TrainConfig(
            model=name,
            output_dir=args.output,
            reports_dir=args.reports,
            data_dir=args.data_dir,
            epochs=args.epochs,
            seed=args.seed,
            smoke=args.smoke,
            pendigits_dir=args.pendigits_dir,
            init_from=args.init_from,
            recipe_overrides=overrides,
        )
        train(config, mnist)
    print(f"done: {', '.join(names)} in {time.perf_counter() - started:.0f}s", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the training or evaluation command; bad data exits 2 with a one-line message."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["evaluate"]:
            return _evaluate(argv[1:])
        if argv[:1] == ["interpolate"]:
            return _interpolate(argv[1:])
        if argv[:1] == ["robustness"]:
            return _robustness(argv[1:])
        if argv[:1] == ["tune"]:
            return _tune(argv[1:])
        return _train(argv)
    except (MnistDataError, PenDigitsError, RecipeFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
