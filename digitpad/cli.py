"""The ``digitpad`` command: open the window, or predict image files from a terminal.

``digitpad`` and ``digitpad FILE`` open the app; ``digitpad predict FILE...`` prints each
file's digits; ``digitpad --self-test`` checks an installation. Exit codes: 0 success,
1 some file or model failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from digitpad import __version__
from digitpad.core import EXPECTED_MODELS, ImageLoadError, Recognizer, load_image, run_self_test

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
MODEL_CHOICES = (*EXPECTED_MODELS, "all")
_COLUMN = 12


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad",
        usage="digitpad [FILE] [--theme {light,dark,system}] | digitpad predict ... | "
        "digitpad --self-test | digitpad --version",
        description="Draw a digit and watch a dense network and a CNN read it. Without "
        "options, or with an image FILE, the window opens (window options: see "
        "'digitpad-gui --help'). 'digitpad predict --help' reads image files from the "
        "terminal instead.",
    )
    parser.add_argument("--version", action="version", version=f"digitpad {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="load both models, read the bundled sample drawings, exit 0 if all are right",
    )
    return parser


def _predict_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad predict", description="Print the digit each model reads in each image."
    )
    parser.add_argument(
        "--model", choices=MODEL_CHOICES, default="all", help="which model to run (default all)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line per file")
    parser.add_argument("files", nargs="+", metavar="FILE", help="image files")
    return parser


def _exit_code(exit_: SystemExit) -> int:
    """argparse's own exits (usage error, --help, --version) as a returned exit code."""
    return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace | int:
    """Parse, returning the exit code instead of exiting when argparse would exit."""
    try:
        return parser.parse_args(list(argv))
    except SystemExit as exit_:
        return _exit_code(exit_)


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
            for name, answer in prediction.models.items()
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
    loaded = [m.name for m in recognizer.onnx_models]
    models = loaded if model == "all" else [name for name in loaded if name == model]
    if not models:
        print(f"digitpad: no usable model ({model})", file=sys.stderr)
        return EXIT_FAILED
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``digitpad`` console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["predict"]:
        arguments = _parse(_predict_parser(), argv[1:])
        if isinstance(arguments, int):
            return arguments
        return run_predict(arguments.files, arguments.model, as_json=arguments.json)
    parser = _app_parser()
    try:
        arguments, window_argv = parser.parse_known_args(argv)
    except SystemExit as exit_:  # --help, --version
        return _exit_code(exit_)
    if arguments.self_test:
        if window_argv:
            parser.print_usage(sys.stderr)
            print(f"digitpad: --self-test takes no other arguments: {window_argv}", file=sys.stderr)
            return EXIT_USAGE
        return run_self_test()
    # The window parses its own arguments (FILE, --theme); Qt loads only when it is wanted.
    from digitpad.ui.app import main as app_main

    try:
        return app_main(window_argv)
    except SystemExit as exit_:  # the window's own usage errors
        return _exit_code(exit_)


if __name__ == "__main__":
    sys.exit(main())
