"""What one undo step costs the canvas after N strokes: ``python -m benchmarks.undo``.

A canvas holding N strokes drawn one by one (as the window builds them: each committed and
painted) is undone ``--steps`` times; each step is timed from ``undo()`` to the canvas
repainted, the part of an undo the canvas owns (the window then reads the drawing again,
which ``benchmarks.hardening`` measures). It should not grow with N.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np


def undo_times(count: int, steps: int) -> list[float]:
    """Milliseconds per undo step on a canvas of ``count`` strokes."""
    from PySide6.QtWidgets import QApplication

    from digitpad.core import Point, Stroke
    from digitpad.ui.canvas import DrawingCanvas

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    canvas = DrawingCanvas()
    canvas.resize(540, 540)
    canvas.show()
    app.processEvents()
    history = canvas._history
    for _ in range(count):
        x, y = rng.uniform((40, 40), (160, 220))  # the scene stays square: no rescale
        points = tuple(Point(x + 4 * k, y + 8 * float(np.sin(k / 2))) for k in range(15))
        history.commit(history.current.with_stroke(Stroke(points, 18.0)))
        canvas._content_changed(added=history.current.strokes[-1])
        canvas.repaint()
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        canvas.undo()
        canvas.repaint()
        times.append((time.perf_counter() - started) * 1000)
    canvas.close()
    canvas.deleteLater()
    app.processEvents()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, nargs="+", default=[10, 1000, 3000])
    parser.add_argument("--steps", type=int, default=40, help="undo steps timed (default 40)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for count in args.strokes:
        times = undo_times(count, min(args.steps, count))
        print(
            f"after {count:>5} strokes: undo median {statistics.median(times):5.1f} ms, "
            f"worst {max(times):5.1f} ms ({len(times)} steps)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
