"""digitpad's GUI entry point: one QApplication, one recogniser, one main window.

The recogniser is built here, once, and handed to the window; nothing below this module
opens a model file.
"""

from __future__ import annotations

import argparse
import atexit
import sys
from pathlib import Path
from typing import NoReturn

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from digitpad import __version__
from digitpad.core import Recognizer
from digitpad.process_exit import exit_now
from digitpad.ui.background_task import wait_for_abandoned
from digitpad.ui.display_check import display_problem, qt_start_failures_in_one_line
from digitpad.ui.icons import app_icon
from digitpad.ui.main_window import MainWindow
from digitpad.ui.process_memory import keep_big_blocks_returnable
from digitpad.ui.settings import APPLICATION, ORGANIZATION, AppSettings
from digitpad.ui.settings_file import SettingsFile
from digitpad.ui.theme import Theme, apply_theme, theme_from_environment

SHOWN_MARKER = "digitpad: window shown"


def build_parser(prog: str = "digitpad-gui") -> argparse.ArgumentParser:
    """The window's options; ``prog`` is the command that opened it (usage lines name it)."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Draw a digit and watch every installed model read it."
    )
    parser.add_argument("image", nargs="?", type=Path, help="an image to open at start")
    parser.add_argument(
        "--theme",
        choices=[theme.value for theme in Theme],
        help="light, dark or the system's (default; also DIGITPAD_THEME)",
    )
    # For the start-up benchmark (python -m benchmarks.startup): print a marker
    # once the window is on screen, then quit.
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    return parser


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        with qt_start_failures_in_one_line():
            app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("digitpad")
    app.setWindowIcon(app_icon())
    return app


def main(
    argv: list[str] | None = None, prog: str = "digitpad-gui", wait_for_workers: bool = True
) -> int:
    """Open the window (with ``argv``'s optional image) and run until it is closed.

    Cancelled work still running when the window closed is waited for before returning
    (a normal interpreter exit must not destroy a running thread) unless
    ``wait_for_workers`` is False, for a caller that ends the process at once.
    """
    args = build_parser(prog).parse_args(sys.argv[1:] if argv is None else argv)
    keep_big_blocks_returnable()
    # Qt aborts the process when it cannot open a display; say what is missing instead.
    if QApplication.instance() is None and (problem := display_problem()) is not None:
        print(problem, file=sys.stderr)
        return 1
    app = _application()
    apply_theme(app, Theme(args.theme) if args.theme else theme_from_environment())
    recognizer = Recognizer.from_default_locations()
    window = MainWindow(recognizer, AppSettings(SettingsFile()))
    window.show()
    QTimer.singleShot(0, window.prepare_explanations)  # the first "Why?" needs no wait
    if args.image is not None:
        window.open_image_file_in_background(args.image)
    if args.quit_when_shown:
        QTimer.singleShot(0, lambda: _report_shown_and_quit(app))
    code = app.exec()
    if wait_for_workers:
        wait_for_abandoned()
    return code


def exit_at_once(code: int) -> NoReturn:
    """End the process now that the window is closed and the settings are written.

    A normal interpreter exit tore down every module, Qt wrapper and onnxruntime
    session one by one, and onnxruntime then updated its usage database: the process
    stayed alive 1-2 s after the window vanished (measured under Xvfb from Ctrl+Q to
    process exit: 1.25 s, 2.0 s after some drawing; 0.02 s with this). Exit handlers
    still run and output is flushed; nothing else is left to save.
    """
    # All but PySide's own handler, which deletes every Qt object Python holds one by one
    # (memory the process's end frees anyway) and so waited for a thread pool's running
    # task: 4 s after a session with Why? open, as long as it took to finish.
    pyside_teardown = getattr(QtCore, "__moduleShutdown", None)
    if pyside_teardown is not None:
        atexit.unregister(pyside_teardown)
    exit_now(code)


def run() -> NoReturn:
    """The ``digitpad-gui`` command: open the window, and exit as soon as it closes."""
    exit_at_once(main(wait_for_workers=False))


def _report_shown_and_quit(app: QApplication) -> None:
    print(SHOWN_MARKER, flush=True)
    app.quit()


if __name__ == "__main__":
    raise SystemExit(main())
