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

from training.data import MnistDataError, load_mnist
from training.pendigits import DEFAULT_PENDIGITS, PenDigitsError
from training.recipe import DEFAULT_SEED
from training.specs import model_names

_PEN_HELP = "folder with pendigits-orig.tra(.gz), the pen digits (default: %(default)s)"
_DATA_HELP = "folder with the four MNIST IDX files (gzipped or not); default: Keras download"


def _train_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m training",
        description="Train, export to ONNX and evaluate digitpad's models. "
        "Run 'python -m training evaluate MODEL.onnx' to evaluate any exported model, "
        "'python -m training interpolate START.onnx TUNED.onnx' to mix a fine-tune.",
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
    args = _train_parser().parse_args(argv)
    names = model_names() if args.model == "all" else [args.model]
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
        return _train(argv)
    except (MnistDataError, PenDigitsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
