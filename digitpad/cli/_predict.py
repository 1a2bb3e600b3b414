"""``digitpad predict FILE...``: each file's digit and confidence per model, or JSON lines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from digitpad.cli._command import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Runner
from digitpad.cli._number import number_cell, number_document, number_predictions, read_file
from digitpad.cli._output import display_path, print_json_line
from digitpad.core import Recognizer, bundled_model_names

_COLUMN = 12  # the narrowest column: "not a digit"


def _predict_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad predict", description="Print the digit each model reads in each image."
    )
    parser.add_argument(
        "--model",
        default="all",
        metavar="NAME",
        help="which model to run: 'all' (default) or a loaded model's name "
        f"(shipped: {', '.join(bundled_model_names())})",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line per file")
    parser.add_argument(
        "--number",
        action="store_true",
        help="read each file as a number of several digits: the number, and each digit "
        "with its probabilities and box",
    )
    parser.add_argument(
        "--region",
        type=_region,
        metavar="X,Y,W,H",
        help="read only this part of each picture: its top-left corner, width and height "
        "in the file's pixels",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="image files; - reads one from standard input"
    )
    return parser


def _region(text: str) -> tuple[float, float, float, float]:
    """``X,Y,W,H`` as numbers, width and height positive."""
    parts = text.split(",")
    try:
        x, y, w, h = (float(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected X,Y,W,H (four numbers), got {text!r}") from None
    if w <= 0 or h <= 0:
        raise argparse.ArgumentTypeError(
            f"the region's width and height must be positive: {text!r}"
        )
    return x, y, w, h


def _predict_file(
    recognizer: Recognizer,
    path: str,
    models: Sequence[str],
    region: Sequence[float] | None = None,
) -> dict[str, Any]:
    """The ``--json`` document for one file: its predictions, or the reason there are none.

    The file is read once, as the window reads it (``read_number``): a picture of one
    digit gives that digit's answers; a picture of several digits gives the number, as
    ``--number`` does. The path is in ``file`` (escaped where it is not UTF-8); errors
    give only the reason. A model that gave no usable answer has ``{"error": reason}``.
    """
    shown = display_path(path)
    found = read_file(recognizer, path, region)
    if isinstance(found, str):
        return {"file": shown, "error": found}
    reading, scale = found
    prediction = reading.lone_digit()
    if prediction is None:
        return {"file": shown, "predictions": number_predictions(reading, models, scale)}
    predictions: dict[str, Any] = {
        name: {"error": reason} for name, reason in prediction.errors.items() if name in models
    }
    for name, answer in prediction.answers.items():
        if name in models:
            predictions[name] = {
                "digit": answer.digit,
                "is_digit": answer.is_digit,
                "probabilities": list(answer.probabilities),
            }
    ordered = {name: predictions[name] for name in models if name in predictions}
    return {"file": shown, "predictions": ordered}


def _failed(document: dict[str, Any]) -> bool:
    """Whether the file, or any model on it, gave no answer."""
    return "error" in document or any("error" in p for p in document["predictions"].values())


def _cell(answer: dict[str, Any]) -> str:
    if "error" in answer:
        return "error"
    if "number" in answer:
        return number_cell(answer)
    if not answer["is_digit"]:
        return "not a digit"
    confidence = answer["probabilities"][answer["digit"]]
    return f"{answer['digit']}  {confidence:6.1%}"


def _table_row(document: dict[str, Any], columns: dict[str, str], file_width: int) -> str:
    """One file's row; ``columns`` maps each model's name to its column's heading."""
    cells = [document["file"].ljust(file_width)]
    if "error" in document:
        return f"{cells[0]}  error: {document['error']}"
    reasons = []
    for name, heading in columns.items():
        answer = document["predictions"][name]
        if "error" in answer:
            reasons.append(f"{name}: {answer['error']}")
        cells.append(_cell(answer).ljust(max(_COLUMN, len(heading))))
    row = "  ".join(cells).rstrip()
    return f"{row}  ({'; '.join(reasons)})" if reasons else row


def run_predict(
    files: Sequence[str],
    model: str = "all",
    *,
    as_json: bool = False,
    as_number: bool = False,
    region: Sequence[float] | None = None,
) -> int:
    """Print each file's predictions (``as_number``: read as a number of several digits);
    0 when every file got an answer from every model."""
    recognizer = Recognizer.from_default_locations()
    for failure in recognizer.failures:
        print(f"digitpad: model not loaded: {failure}", file=sys.stderr)
    loaded = [m.name for m in recognizer.loaded_models]
    models = loaded if model == "all" else [name for name in loaded if name == model]
    if not models:
        known = ", ".join(["all", *loaded])
        _predict_parser().print_usage(sys.stderr)
        print(f"digitpad: no usable model named {model!r} (loaded: {known})", file=sys.stderr)
        # A name no folder holds is a usage error; a known model that failed to load is not.
        named = model in bundled_model_names() or any(
            model == f.path.stem for f in recognizer.failures
        )
        return EXIT_FAILED if named else EXIT_USAGE
    ok = not recognizer.failures
    file_width = max(len("file"), *(len(display_path(path)) for path in files))
    # Headed by the models that answer as the window names them: "CNN (yours)" after a
    # fine-tune, not the file name "cnn" whoever answered.
    shown = {m.name: m.display_name for m in recognizer.model_metadata}
    columns = {name: shown.get(name, name) for name in models}
    if not as_json:
        header = [
            "file".ljust(file_width),
            *(heading.ljust(max(_COLUMN, len(heading))) for heading in columns.values()),
        ]
        print("  ".join(header).rstrip())
    for path in files:
        read = number_document if as_number else _predict_file
        document = read(recognizer, path, models, region)
        ok = ok and not _failed(document)
        if as_json:
            print_json_line(document)
        else:
            print(_table_row(document, columns, file_width), flush=True)
    return EXIT_OK if ok else EXIT_FAILED


def _run(arguments: argparse.Namespace) -> int:
    return run_predict(
        arguments.files,
        arguments.model,
        as_json=arguments.json,
        as_number=arguments.number,
        region=arguments.region,
    )


RUNNER = Runner(build_parser=_predict_parser, run=_run)
