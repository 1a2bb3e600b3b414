"""A session in the real window before it is closed, for ``benchmarks.quit``.

Run as ``python -m benchmarks.quit_session [--fine-tune]`` with a temporary HOME: the
real entry point (``digitpad.ui.app.run``) opens the window; once it is shown, this draws
digits and a number with real mouse events, opens Why? and waits for its explanations,
starts a fine-tune on 20 kept samples (and, with ``--fine-tune``, closes the window while it
runs; otherwise after it is done), then prints ``CLOSING_MARKER`` and closes the window as
the close button does.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest

from benchmarks.hand_input import ONE, SEVEN, TWO, ZERO, drag_to
from benchmarks.handwriting import fill_store
from digitpad.core import SampleStore
from digitpad.ui import app as entry
from digitpad.ui.main_window import MainWindow

CLOSING_MARKER = "digitpad: closing the window"


def _wait_until(condition, timeout_ms: int) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 50


def _stroke(window: MainWindow, points) -> None:
    canvas = window.canvas
    positions = [canvas.map_from_scene(x, y) for x, y in points]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=positions[0].toPoint())
    for position in positions[1:]:
        drag_to(canvas, position)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=positions[-1].toPoint())


def drive(window: MainWindow, close_while_fine_tuning: bool) -> None:
    """Use the window as a person would, then close it."""
    for shape in (SEVEN, TWO, ZERO, ONE):
        _stroke(window, shape)
        _wait_until(lambda: False, 200)
        window.canvas.clear()
    window.commands.explain.setChecked(True)
    _stroke(window, SEVEN)
    _wait_until(lambda: window.explanations.result() is not None, 60_000)
    window.canvas.clear()
    for shape in (ONE, SEVEN):  # a two-digit number
        _stroke(window, [(x * 0.5 + (0 if shape is ONE else 150), y) for x, y in shape])
    _wait_until(window.canvas.is_scene_settled, 3000)
    dialog = window.handwriting.show_fine_tune_dialog()
    dialog.start()
    if close_while_fine_tuning:
        _wait_until(lambda: dialog.progress.value() > 100, 120_000)
    else:
        _wait_until(lambda: not dialog.is_running(), 300_000)
        dialog.close()
    print(CLOSING_MARKER, flush=True)
    window.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fine-tune", action="store_true", help="close while fine-tuning")
    args = parser.parse_args(argv)
    fill_store(SampleStore(), 2)
    show = MainWindow.show

    def show_then_drive(window: MainWindow) -> None:
        show(window)
        QTimer.singleShot(500, lambda: drive(window, args.fine_tune))

    MainWindow.show = show_then_drive  # type: ignore[method-assign]
    sys.argv = sys.argv[:1]
    entry.run()


if __name__ == "__main__":
    main()
