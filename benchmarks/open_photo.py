"""Does the window stay responsive while it opens a 12 MP phone photo?

The GUI thread runs a 10 ms timer while the window opens each photo the way the Open
menu, a drop or the command line does (``open_image_file_in_background``), until its
reading is on screen; the longest gap between ticks is the longest the window could not
paint or take input. The photos are ``benchmarks.paper``'s (4000 x 3000 JPEG).

Run: ``python -m benchmarks.open_photo [--photos 4]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

# digitpad before numpy (here through benchmarks.paper), as in the app: one BLAS thread.
import digitpad  # noqa: F401

if TYPE_CHECKING:
    from PySide6.QtCore import QEventLoop

    from digitpad.ui.main_window import MainWindow


def _quit_when_read(window: MainWindow, loop: QEventLoop) -> None:
    """Quit once the photo is on the canvas and nothing is loading or reading it (the
    window before the picture reader read it on the GUI thread: no ``picture_reader``)."""
    reader = getattr(window, "picture_reader", None)
    busy = window.picture_loader.is_busy() or (reader is not None and reader.is_busy())
    if window.canvas.content.background is not None and not busy:
        loop.quit()


def _digit(window: MainWindow) -> str:
    answer = window.headline_answer()
    return "nothing" if answer is None else str(answer.digit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=4, help="12 MP photos opened")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks.gui_ticks import tick_gaps_ms
    from benchmarks.paper import write_12mp
    from digitpad.core import Recognizer
    from digitpad.ui.main_window import MainWindow
    from digitpad.ui.settings import AppSettings
    from digitpad.ui.settings_file import SettingsFile

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        paths = write_12mp(Path(folder), args.photos)
        window = MainWindow(
            Recognizer.from_default_locations(), AppSettings(SettingsFile(Path(folder) / "s"))
        )
        window.show()
        app.processEvents()
        worst: list[float] = []
        for path in paths:

            def start(loop: QEventLoop, path: Path = path) -> None:
                # From inside the loop, as a menu click would: the ticks see every stall.
                QTimer.singleShot(20, lambda: window.open_image_file_in_background(path))
                poll = QTimer(loop)
                poll.timeout.connect(lambda: _quit_when_read(window, loop))
                poll.start(5)

            window.canvas.clear()
            app.processEvents()
            gaps = tick_gaps_ms(start)
            worst.append(float(gaps.max()))
            print(
                f"{path.name:<14} longest GUI stall {gaps.max():6.1f} ms, "
                f"ticks over 50 ms: {int((gaps > 50).sum())}, reading: "
                f"{window.number.number_text('cnn') or _digit(window)}"
            )
        window.close()
    print(f"longest GUI stall while opening a 12 MP photo: median {np.median(worst):.0f} ms")
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
