"""Does the window stall when the Samples dialog opens on a big store, or when a sample
is kept while it is open?

A store of ``--samples`` drawings (one drawing's files copied under distinct ids, a
tenth per digit) is written to a temporary folder. The GUI thread runs a 10 ms timer;
the gaps between its ticks are how long the event loop could not paint or take input:
first while the Samples dialog opens and fills (``--seconds``), then while a drawing is
kept from a canvas (what a correction does) and the open dialog catches up.

Run: ``python -m benchmarks.samples_dialog [--samples 100000] [--seconds 20]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


def fill_store(root: Path, count: int) -> None:
    """``count`` drawings: one real drawing's two files copied under new ids."""
    from digitpad.core import Point, SampleStore, Stroke

    seven = (Stroke((Point(20, 20), Point(80, 20), Point(45, 110)), 10.0),)
    picture = np.full((120, 100), 255, np.uint8)
    picture[20:110, 40:50] = 0
    model = SampleStore(root / "model").add_drawing(7, seven, picture)
    png, strokes = model.image.read_bytes(), model.image.with_suffix(".json").read_text()
    for label in range(10):
        folder = root / "samples" / str(label)
        folder.mkdir(parents=True)
        document = strokes.replace('"label": 7', f'"label": {label}')
        for number in range(label, count, 10):
            name = f"20260101T{number:012d}-{number % 0xFFFFFF:06x}"
            (folder / f"{name}.png").write_bytes(png)
            (folder / f"{name}.json").write_text(document)


def tick_gaps_ms(action: Callable[[], Any], seconds: float) -> np.ndarray:
    """Gaps (ms) between 10 ms ticks on the GUI thread for ``seconds`` from ``action()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    from benchmarks.gui_ticks import tick_gaps_ms as gaps_until_quit

    def start(loop: QEventLoop) -> None:
        QTimer.singleShot(50, action)
        QTimer.singleShot(round(seconds * 1000), loop.quit)

    return gaps_until_quit(start)


def summary(name: str, gaps: np.ndarray) -> str:
    return (
        f"{name:<26} median {np.median(gaps):5.1f} ms  p99 {np.percentile(gaps, 99):7.1f} ms  "
        f"max {gaps.max():7.1f} ms  over 100 ms: {int((gaps > 100).sum())}"
    )


def _draw(canvas: Any) -> None:
    """One stroke on ``canvas`` with real mouse events."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    points = [canvas.map_from_scene(x, y) for x, y in ((60, 60), (220, 60), (120, 230))]
    steps = [
        (QMouseEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseMove, points[1], Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseMove, points[2], Qt.MouseButton.LeftButton),
        (QMouseEvent.Type.MouseButtonRelease, points[2], Qt.MouseButton.NoButton),
    ]
    for kind, point, buttons in steps:
        QApplication.sendEvent(
            canvas,
            QMouseEvent(
                kind,
                QPointF(point),
                QPointF(point),
                Qt.MouseButton.LeftButton,
                buttons,
                Qt.KeyboardModifier.NoModifier,
            ),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured after opening")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-") as folder:
        for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(Path(folder) / name.lower())
        from PySide6.QtWidgets import QApplication

        from digitpad.core import SampleStore
        from digitpad.ui.canvas import DrawingCanvas
        from digitpad.ui.sample_library import SampleLibrary
        from digitpad.ui.samples_dialog import SamplesDialog

        app = QApplication.instance() or QApplication([])
        started = time.perf_counter()
        fill_store(Path(folder), args.samples)
        print(f"{args.samples} samples written in {time.perf_counter() - started:.0f} s")
        library = SampleLibrary(SampleStore(Path(folder) / "samples"))
        shown: list[Any] = []
        opened = tick_gaps_ms(
            lambda: shown.append(SamplesDialog(library)) or shown[0].show(), args.seconds
        )
        dialog = shown[0]
        print(summary("opening the dialog", opened))
        print(f"  then: {dialog.summary.text()[:60]}; grid {dialog.grid.count()} items")
        canvas = DrawingCanvas()
        canvas.resize(280, 280)
        canvas.show()
        _draw(canvas)
        kept = tick_gaps_ms(lambda: library.keep_canvas(7, canvas), 5.0)
        print(summary("keeping one drawing", kept))
        print(f"  then: {dialog.digits.item(7).text()}")
        for stop in (getattr(dialog, "stop", None), getattr(library, "stop", None)):
            if stop is not None:
                stop()
        dialog.deleteLater()
        canvas.deleteLater()
        app.processEvents()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
