"""Regenerate the README screenshots from the real app, drawn with real mouse events.

Run from the repository root, preferably under a real X server so the window is a real
xcb window::

    xvfb-run -a -s "-screen 0 1280x960x24" python -m docs.make_screenshots

Without a display it falls back to Qt's offscreen platform. Each screenshot runs in its
own process (``--shot NAME``) so the theme is set at start-up exactly as the app does.
Settings go to a temporary file; the user's are never touched.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

# The digits are the hand-drawn shapes the app's tests draw (run with -m from the
# repository root so the benchmarks package is importable).
from benchmarks.hand_input import (
    SEVEN,
    THREE_BOTTOM,
    THREE_TOP,
    TWO,
    ScenePoints,
    drag_to,
    line,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF

    from digitpad.ui.canvas import DrawingCanvas
    from digitpad.ui.main_window import MainWindow

DOCS = Path(__file__).resolve().parent
SHOTS = {
    "light": "screenshot-light.png",
    "dark": "screenshot-dark.png",
    "error": "screenshot-error.png",
    "why": "screenshot-why.png",
    "number": "screenshot-number.png",
    "small": "screenshot-small.png",
    "not-a-digit": "screenshot-not-a-digit.png",
    "robustness": "screenshot-robustness.png",
    "paper-digit": "screenshot-paper-digit.png",
    "paper-number": "screenshot-paper-number.png",
}
# The paper shots open the committed generated photos the paper tests read (a digit in a
# shadow, a number on ruled paper), by their names from the folder they are in.
PAPER = DOCS.parent / "tests" / "data" / "paper"
PAPER_PHOTOS = {"paper-digit": "shadow-1-seed1.jpg", "paper-number": "ruled-3-seed1.jpg"}
# The robustness shot: a drawn 7 turned by this many degrees (the CNN reads another digit).
ROBUSTNESS_TURN = 40
# The "not a digit" shot: a capital A in two strokes, canvas coordinates (280 x 280).
LETTER_A = (
    line((70, 232), (140, 48)) + line((140, 48), (210, 232))[1:],
    line((98, 160), (182, 160)),
)
# The number shot: "1984" in one held-out pendigits writer's hand, and the digit hovered.
NUMBER = "1984"
NUMBER_WRITER = 5
WINDOW_SIZE = (1040, 620)
WHY_WINDOW_SIZE = (1180, 880)  # room for the "Why?" dock below the canvas


def draw(canvas: DrawingCanvas, points: ScenePoints) -> None:
    """One stroke with real mouse events (press, held-button moves, release)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    def click(kind: QEvent.Type, position: QPointF, held: Qt.MouseButton) -> None:
        global_position = canvas.mapToGlobal(position)
        button, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        event = QMouseEvent(kind, position, global_position, button, held, modifiers)
        QApplication.sendEvent(canvas, event)
        QApplication.processEvents()

    positions = [canvas.map_from_scene(x, y) for x, y in points]
    click(QEvent.Type.MouseButtonPress, positions[0], Qt.MouseButton.LeftButton)
    for position in positions[1:]:
        drag_to(canvas, position)
        QApplication.processEvents()
    click(QEvent.Type.MouseButtonRelease, positions[-1], Qt.MouseButton.NoButton)


def write_number(window: MainWindow, number: str) -> None:
    """Write ``number`` digit by digit in one real writer's strokes (pendigits' held-out
    writer ``NUMBER_WRITER``), then hover the mouse over the second digit."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from benchmarks.numbers import place_digit
    from training.pendigits import load_pendigits, split_by_writer

    own = [d for d in split_by_writer(load_pendigits(), "test") if d.writer == NUMBER_WRITER]
    left = 20.0
    for label in map(int, number):
        strokes = place_digit(next(d for d in own if d.label == label), 120.0, left, 200.0, 12.0)
        for stroke in strokes:
            draw(window.canvas, [(p.x, p.y) for p in stroke.points])
        left = max(p.x for s in strokes for p in s.points) + 30.0
    box = window.number.reading().digits[1].box
    position = window.canvas.map_from_scene((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    buttons, modifiers = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    hover = QMouseEvent(
        QEvent.Type.MouseMove, position, window.canvas.mapToGlobal(position), buttons, buttons,
        modifiers,
    )  # fmt: skip
    QApplication.sendEvent(window.canvas, hover)


def settle(milliseconds: int) -> None:
    """Run the event loop for a while (app.quit() would close the windows in Qt 6)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def take(shot: str, output: Path) -> None:
    """Build the window as the app does, act out the scene and save the window's pixels."""

    from PySide6.QtWidgets import QApplication, QWidget

    from digitpad.core import TRANSFORMS, Recognizer
    from digitpad.ui.icons import app_icon
    from digitpad.ui.main_window import MainWindow
    from digitpad.ui.settings import AppSettings
    from digitpad.ui.settings_file import SettingsFile
    from digitpad.ui.theme import Theme, apply_theme

    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    apply_theme(app, Theme.DARK if shot == "dark" else Theme.LIGHT)
    with tempfile.TemporaryDirectory() as folder:
        settings = SettingsFile(Path(folder) / "settings.json")
        window = MainWindow(Recognizer.from_default_locations(), AppSettings(settings))
        window.resize(*(WHY_WINDOW_SIZE if shot == "why" else WINDOW_SIZE))
        window.show()
        settle(400)
        shown: QWidget = window
        if shot == "light":
            draw(window.canvas, TWO)
        elif shot == "dark":
            draw(window.canvas, THREE_TOP)
            draw(window.canvas, THREE_BOTTOM)
        elif shot == "number":
            write_number(window, NUMBER)
        elif shot == "not-a-digit":
            for stroke in LETTER_A:
                draw(window.canvas, stroke)
        elif shot == "small":  # the minimum size: toolbars in two rows, keyboard focus shown
            window.resize(window.minimumSizeHint())
            settle(300)
            draw(window.canvas, THREE_TOP)
            draw(window.canvas, THREE_BOTTOM)
            window.activateWindow()
            window.canvas.setFocus()
        elif shot == "robustness":
            draw(window.canvas, SEVEN)
            dialog = window.show_robustness()
            for _ in range(100):
                if dialog.report() is not None:
                    break
                settle(100)
            dialog.select_transform("turn")
            turn = next(t for t in TRANSFORMS if t.name == "turn")
            dialog.slider.setValue(turn.amounts.index(ROBUSTNESS_TURN))
            shown = dialog  # the Robustness window, not the main one
        elif shot == "why":
            window.commands.explain.trigger()
            draw(window.canvas, THREE_TOP)
            draw(window.canvas, THREE_BOTTOM)
            for _ in range(100):  # the first explanation also indexes the training digits
                if window.explanations.result() is not None:
                    break
                settle(100)
        elif shot in PAPER_PHOTOS:
            os.chdir(PAPER)
            window.open_image_file(PAPER_PHOTOS[shot])
        else:
            draw(window.canvas, TWO)
            # Opened by a relative name, as from a file manager, so the message shows the
            # file's name rather than a temporary folder's.
            os.chdir(folder)
            Path("holiday-notes.png").write_text("not a picture at all\n")
            window.open_image_file("holiday-notes.png")
        settle(400)  # let the status bar and repaints settle
        answers = {name: a.digit for name, a in window.prediction().answers.items()}
        print(f"{shot}: predicted {answers}; {window.results.headline.text()}")
        if app.platformName() == "xcb":  # what the X server shows, read from the root window
            frame = shown.geometry()
            pixels = shown.screen().grabWindow(
                0, frame.x(), frame.y(), frame.width(), frame.height()
            )
        else:
            pixels = shown.grab()
        pixels.save(str(output))
        window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate docs/screenshot-*.png")
    parser.add_argument("--shot", choices=sorted(SHOTS), help="take only this one, in-process")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.shot:
        take(args.shot, DOCS / SHOTS[args.shot])
        return 0
    for shot in SHOTS:
        subprocess.run([sys.executable, "-m", "docs.make_screenshots", "--shot", shot], check=True)
        print(f"wrote {DOCS / SHOTS[shot]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
