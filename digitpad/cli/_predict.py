"""``digitpad predict FILE...``: each file's digit and confidence per model, or JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from digitpad.cli._command import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Command
from digitpad.core import ImageLoadError, Recognizer, bundled_model_names, load_image

_COLUMN = 12


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
    parser.add_argument("files", nargs="+", metavar="FILE", help="image files")
    return parser


def _predict_file(recognizer: Recognizer, path: str, models: Sequence[str]) -> dict[str, Any]:
    """The ``--json`` document for one file: its predictions, or the reason there are none."""
    try:
        prediction = recognizer.predict(load_image(path))
    except ImageLoadError as error:
        return {"file": path, "error": str(error)}
    if prediction.nothing_drawn:
        return {"file": path, "error": f"{path}: nothing drawn (no ink found)"}
    return {
        "file": path,
        "predictions": {
            name: {"digit": answer.digit, "probabilities": list(answer.probabilities)}
            for name, answer in prediction.answers.items()
            if name in models
        },
    }


def _table_row(document: dict[str, Any], models: Sequence[str], file_width: int) -> str:
    cells = [document["file"].ljust(file_width)]
    if "error" in document:
        return f"{cells[0]}  error: {document['error']}"
    for name in models:
        answer = document["predictions"][name]
        confidence = answer["probabilities"][answer["digit"]]
        cells.append(f"{answer['digit']}  {confidence:6.1%}".ljust(_COLUMN))
    return "  ".join(cells).rstrip()


def run_predict(files: Sequence[str], model: str = "all", *, as_json: bool = False) -> int:
    """Print each file's predictions; 0 when every file got an answer from every model."""
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
    file_width = max(len("file"), *(len(path) for path in files))
    if not as_json:
        header = ["file".ljust(file_width), *(name.ljust(_COLUMN) for name in models)]
        print("  ".join(header).rstrip())
    for path in files:
        document = _predict_file(recognizer, path, models)
        ok = ok and "error" not in document
        if as_json:
            print(json.dumps(document, ensure_ascii=False), flush=True)
        else:
            print(_table_row(document, models, file_width), flush=True)
    return EXIT_OK if ok else EXIT_FAILED


def _run(arguments: argparse.Namespace) -> int:
    return run_predict(arguments.files, arguments.model, as_json=arguments.json)


COMMAND = Command(
    name="predict",
    summary="print the digit each model reads in each image file",
    build_parser=_predict_parser,
    run=_run,
)
