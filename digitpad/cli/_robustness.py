"""``digitpad robustness FILE...``: how each model's answer moves as the input is changed.

Each file is read as ``predict`` reads it; its 28 x 28 model input is then shifted,
turned, scaled, thinned or thickened and made noisy, one thing at a time (the core's
``TRANSFORMS``), and every model reads every changed input. ``--json`` prints one object
per file per line with every input and answer; the table shows, per model and transform,
the digit read at each amount and the probability of the digit read at rest.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from digitpad.cli._command import EXIT_FAILED, EXIT_OK, Runner
from digitpad.cli._input import read_picture
from digitpad.cli._output import display_path, json_rows, print_json_line
from digitpad.core import (
    ImageLoadError,
    Prediction,
    Recognizer,
    RobustnessReport,
    sweep_robustness,
)

_LABEL_WIDTH = 24
_CELL = 4


def _robustness_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad robustness",
        description="Shift, turn, scale, thin or thicken, and add noise to each image's "
        "model input, one change at a time, and show how each model's answer moves.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line per file")
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="image files ('-': standard input)"
    )
    return parser


def _answers(prediction: Prediction) -> dict[str, Any]:
    answers: dict[str, Any] = {name: {"error": why} for name, why in prediction.errors.items()}
    for name, answer in prediction.answers.items():
        answers[name] = {"digit": answer.digit, "probabilities": list(answer.probabilities)}
    return answers


def robustness_document(report: RobustnessReport, shown: str) -> dict[str, Any]:
    """The ``--json`` document of one file's sweep."""
    transforms = {
        name: [
            {
                "amount": int(amount) if float(amount).is_integer() else amount,
                "input": json_rows(prediction.model_input),
                "predictions": _answers(prediction),
            }
            for amount, prediction in zip(sweep.transform.amounts, sweep.predictions, strict=True)
            if prediction.model_input is not None
        ]
        for name, sweep in report.sweeps.items()
    }
    return {"file": shown, "input": json_rows(report.model_input), "transforms": transforms}


def _sweep_file(
    recognizer: Recognizer, path: str
) -> tuple[dict[str, Any], RobustnessReport | None]:
    shown = display_path(path)
    try:
        model_input = recognizer.predict(read_picture(path)).model_input
    except ImageLoadError as error:
        return {"file": shown, "error": error.reason}, None
    if model_input is None:
        return {"file": shown, "error": "nothing drawn (no ink found)"}, None
    report = sweep_robustness(recognizer, model_input)
    return robustness_document(report, shown), report


def _amount(value: float) -> str:
    return f"{value:g}"


def _table(report: RobustnessReport, shown: str, display_names: dict[str, str]) -> list[str]:
    """Per model: each transform's range, the digit read at each amount, and the
    probability (in %) of the digit read at rest."""
    lines = [f"{shown}:"]
    for model, display in display_names.items():
        if model in report.errors:
            lines.append(f"  {display}: error: {report.errors[model]}")
            continue
        first = next(iter(report.sweeps.values()))
        rest_digit = first.predictions[first.transform.rest].answers[model].digit
        lines.append(f"  {display} (reads {rest_digit} as it is; p = probability of {rest_digit})")
        for sweep in report.sweeps.values():
            t = sweep.transform
            probabilities = sweep.probabilities(model)
            label = f"{t.name} {_amount(t.amounts[0])}..{_amount(t.amounts[-1])} {t.unit}"
            digits = "".join(f"{int(np.argmax(p)):>{_CELL}}" for p in probabilities)
            chances = "".join(f"{round(100 * p[rest_digit]):>{_CELL}}" for p in probabilities)
            lines.append(f"    {label:<{_LABEL_WIDTH}} digit{digits}")
            lines.append(f"    {'':<{_LABEL_WIDTH}} p %  {chances}")
    return lines


def run_robustness(files: Sequence[str], *, as_json: bool = False) -> int:
    """Sweep each file; 0 when every file was read and every model answered."""
    recognizer = Recognizer.from_default_locations()
    for failure in recognizer.failures:
        print(f"digitpad: model not loaded: {failure}", file=sys.stderr)
    display_names = {m.name: m.display_name for m in recognizer.loaded_models}
    ok = not recognizer.failures and bool(recognizer.loaded_models)
    for path in files:
        document, report = _sweep_file(recognizer, path)
        ok = ok and report is not None and not report.errors
        if as_json:
            print_json_line(document)
        elif report is None:
            print(f"{document['file']}: error: {document['error']}", flush=True)
        else:
            print("\n".join(_table(report, document["file"], display_names)), flush=True)
    return EXIT_OK if ok else EXIT_FAILED


def _run(arguments: argparse.Namespace) -> int:
    return run_robustness(arguments.files, as_json=arguments.json)


RUNNER = Runner(build_parser=_robustness_parser, run=_run)
