"""The ``digitpad`` command: open the window, or work with images from a terminal.

``digitpad`` and ``digitpad FILE`` open the app; ``digitpad COMMAND ...`` runs one of the
subcommands listed in ``COMMANDS`` (``digitpad predict FILE...`` prints each file's
digits); ``digitpad --self-test`` checks an installation. Exit codes: 0 success, 1 some
file or model failed, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from digitpad import __version__
from digitpad.cli._command import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Command,
    Runner,
    exit_code,
    parse,
)
from digitpad.cli._memory import heap_on_huge_pages, keep_freed_memory, load_frozen
from digitpad.cli._output import run_guarded
from digitpad.process_exit import exit_now

# Each subcommand's module is imported when it runs, not before (see ``Command``).


def _load_predict() -> Runner:
    from digitpad.cli import _predict

    return _predict.RUNNER


def _load_explain() -> Runner:
    from digitpad.cli import _explain

    return _explain.RUNNER


def _load_robustness() -> Runner:
    from digitpad.cli import _robustness

    return _robustness.RUNNER


def _load_samples() -> Runner:
    from digitpad.cli import _samples

    return _samples.RUNNER


def _load_fine_tune() -> Runner:
    from digitpad.cli import _fine_tune

    return _fine_tune.RUNNER


# Every subcommand, in the order ``digitpad --help`` lists them.
COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        Command("predict", "print the digit each model reads in each image file", _load_predict),
        Command(
            "explain",
            "show why each model read each image file as it did (heat map, similar digits)",
            _load_explain,
        ),
        Command(
            "robustness",
            "show how each model's answer moves when an image is shifted, turned, scaled, "
            "thinned or made noisy",
            _load_robustness,
        ),
        Command("samples", "add, list, export or clear samples of your handwriting", _load_samples),
        Command(
            "fine-tune",
            "train the models on your samples (--reset: back to the bundled models)",
            _load_fine_tune,
        ),
    )
}

__all__ = ["COMMANDS", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "Command", "Runner", "main", "run"]


def _app_parser() -> argparse.ArgumentParser:
    from digitpad.core import bundled_model_names

    commands = "\n".join(f"  {name:<12} {c.summary}" for name, c in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="digitpad",
        usage="digitpad [FILE] [--theme {light,dark,system}] | digitpad COMMAND ... | "
        "digitpad --self-test | digitpad --version",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Draw a digit and watch every installed model "
        f"(shipped: {', '.join(bundled_model_names())}) read it. Without "
        "options, or with an image FILE, the window opens (window options: see "
        "'digitpad-gui --help').",
        epilog=f"commands ('digitpad COMMAND --help' for each):\n{commands}",
    )
    parser.add_argument("--version", action="version", version=f"digitpad {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="load the models, read the bundled sample drawings, exit 0 if all are right",
    )
    return parser


def _unknown_command(word: str) -> str | None:
    """The error for a first argument that looks like a mistyped command, else None.

    A word that names no file and has no extension or path separator cannot be a picture
    to open, so ``digitpad predcit x.png`` is a typo, not a window with two files.
    """
    if word.startswith("-") or word in COMMANDS or "." in word or "/" in word:
        return None
    if Path(word).exists():
        return None
    import difflib  # only for a mistyped command (with heapq, a millisecond of start-up)

    close = difflib.get_close_matches(word, COMMANDS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"digitpad: unknown command '{word}'{hint}; commands: {', '.join(COMMANDS)}"


def _self_test() -> int:
    from digitpad.core import run_self_test

    result = run_self_test()
    for check in result.checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.message}")
    print("self-test passed" if result.passed else "self-test FAILED")
    return EXIT_OK if result.passed else EXIT_FAILED


def run() -> NoReturn:
    """The ``digitpad`` console command: ``main``, then end the process at once
    (``exit_now``: the exit handlers run and the output is flushed, nothing is torn down).

    A subcommand keeps the memory it frees for reuse, on a heap backed by huge pages,
    and its modules are imported with the garbage collector paused and then frozen
    (``digitpad.cli._memory``); the window does none of it.
    """
    if sys.argv[1:2] and sys.argv[1] in COMMANDS:
        if keep_freed_memory():
            heap_on_huge_pages()
        load_frozen(COMMANDS[sys.argv[1]].load)
    exit_now(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``digitpad`` console script; returns the exit code.

    No traceback ever reaches the terminal: a closed or full output ends in at most one
    line (``run_guarded``).
    """
    return run_guarded(lambda: _dispatch(list(sys.argv[1:] if argv is None else argv)))


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        command = COMMANDS[argv[0]]
        runner = command.load()
        arguments = parse(runner.build_parser(), argv[1:])
        return arguments if isinstance(arguments, int) else runner.run(arguments)
    if argv and (error := _unknown_command(argv[0])):
        print(error, file=sys.stderr)
        return EXIT_USAGE
    parser = _app_parser()
    try:
        arguments, window_argv = parser.parse_known_args(argv)
    except SystemExit as exit_:  # --help, --version
        return exit_code(exit_)
    if arguments.self_test:
        if window_argv:
            parser.print_usage(sys.stderr)
            print(f"digitpad: --self-test takes no other arguments: {window_argv}", file=sys.stderr)
            return EXIT_USAGE
        return _self_test()
    # The window parses its own arguments (FILE, --theme); Qt loads only when it is wanted.
    from digitpad.ui.app import exit_at_once
    from digitpad.ui.app import main as app_main

    try:
        code = app_main(window_argv, prog="digitpad")
    except SystemExit as exit_:  # the window's own usage errors
        return exit_code(exit_)
    exit_at_once(code)  # the window is closed: do not linger tearing down
