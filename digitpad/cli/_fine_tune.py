"""``digitpad fine-tune``: train both models on your samples; ``--reset`` undoes it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from digitpad.cli._command import EXIT_FAILED, EXIT_OK, Runner
from digitpad.core.paths import user_models_dir
from digitpad.core.personal import (
    FineTuneError,
    FineTuneReport,
    SampleStore,
    fine_tune,
    reset_personal_models,
)


def _fine_tune_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad fine-tune",
        description="Fine-tune every model on the samples in your store and save them as "
        "your personal models (used by the window and 'digitpad predict').",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--reset", action="store_true", help="remove your personal models: back to the bundled ones"
    )
    return parser


def _print_progress() -> Callable[[float, str], None]:
    """A progress callback that prints each new phase once, on stderr."""
    shown: list[str] = []

    def progress(fraction: float, message: str) -> None:
        if not shown or shown[-1] != message:
            shown.append(message)
            print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    return progress


def _table(report: FineTuneReport) -> str:
    lines = [f"{'model':<16}{'your samples':<20}{'MNIST':<20}took"]
    for model in report.models:
        yours = f"{model.yours_before:.1%} -> {model.yours_after:.1%}"
        mnist = f"{model.mnist_before:.1%} -> {model.mnist_after:.1%}"
        lines.append(f"{model.display_name:<16}{yours:<20}{mnist:<20}{model.seconds:.1f} s")
    lines.append(f"your samples: {report.yours_method}; MNIST: {report.mnist_method}")
    folder = report.models[0].path.parent if report.models else user_models_dir()
    lines.append(f"saved in {folder} ('digitpad fine-tune --reset' undoes it)")
    return "\n".join(lines)


def _run(arguments: argparse.Namespace) -> int:
    if arguments.reset:
        try:
            removed = reset_personal_models()
        except OSError as error:
            reason = error.strerror or error
            print(f"digitpad: cannot remove your models: {reason}", file=sys.stderr)
            return EXIT_FAILED
        print(
            f"removed your models ({', '.join(removed)}): the bundled ones are used again"
            if removed
            else "no personal models: the bundled ones are in use"
        )
        return EXIT_OK
    store = SampleStore()
    try:
        report = fine_tune(store, progress=None if arguments.json else _print_progress())
    except FineTuneError as error:
        print(f"digitpad: {error}", file=sys.stderr)
        return EXIT_FAILED
    for problem in report.skipped:
        print(f"digitpad: {problem}", file=sys.stderr)
    print(json.dumps(report.to_dict()) if arguments.json else _table(report))
    return EXIT_OK


RUNNER = Runner(build_parser=_fine_tune_parser, run=_run)
