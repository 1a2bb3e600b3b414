"""What every ``digitpad`` subcommand provides, and the helpers they share.

Each subcommand lives in its own module and exports one ``Runner``; the dispatcher in
``digitpad.cli`` lists each once as a ``Command`` (name, summary, and how to load its
module), so adding a subcommand is one module and one entry there. A subcommand's module
is imported only when it runs: ``digitpad predict`` never loads the explanations, the
robustness sweep or fine-tuning.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NamedTuple

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Runner(NamedTuple):
    """A subcommand's argument parser and runner.

    ``run`` takes the parsed arguments and returns the exit code; it never calls
    ``sys.exit`` itself, so tests and the dispatcher see every outcome as a value.
    (Named tuples, these two records: every ``digitpad`` command makes them first thing,
    and a frozen dataclass takes half a millisecond to make, a named tuple an eighth.)
    """

    build_parser: Callable[[], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace], int]


class Command(NamedTuple):
    """A subcommand as ``digitpad --help`` lists it: its name and one-line summary, and
    ``load``, which imports its module (only when it is used) and returns its ``Runner``."""

    name: str
    summary: str
    load: Callable[[], Runner]


def exit_code(exit_: SystemExit) -> int:
    """argparse's own exits (usage error, --help, --version) as a returned exit code."""
    return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE


def parse(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace | int:
    """Parse, returning the exit code instead of exiting when argparse would exit."""
    try:
        return parser.parse_args(list(argv))
    except SystemExit as exit_:
        return exit_code(exit_)
