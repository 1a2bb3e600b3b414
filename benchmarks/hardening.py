"""Memory and speed under abuse: a 50-megapixel picture, and a drawing of 3,000 strokes.

Run: ``python -m benchmarks.hardening [--strokes 1 1000 3000]``

1. *Opening a 50 MP picture.* Each run is a fresh process with the real window
   (offscreen): its peak resident memory (``VmHWM``) opening nothing, a 50 MP JPEG
   photo, a 50 MP PNG and a 50 MP TIFF, the time until the picture is read and
   predicted, and the longest the event loop went without running a 10 ms timer while
   the file was read (the window freezes for that long at most). The PNG and the TIFF
   are decoded by a child process (``digitpad.core.files._picture_child``); its own peak
   and time are measured by running that child's code on the file by itself.
2. *Render + predict after N strokes.* A canvas holding N strokes gets 20 more real
   strokes (mouse press, moves, release); timed from the release (the stroke is
   committed and both models predict from the strokes, as the window does) to the
   canvas repainted. The window's other readers of the drawing are not included.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

_FIFTY_MP = (8660, 5773)  # 49.99 megapixels: just inside the core's limit


def _write_fifty_megapixel_pictures(folder: Path) -> dict[str, Path]:
    """A photo-like 50 MP picture of a "7" (noisy paper), as JPEG, PNG and TIFF."""
    from PIL import Image, ImageDraw

    width, height = _FIFTY_MP
    image = Image.effect_noise((width, height), 12).point(lambda v: 200 + v // 8).convert("RGB")
    ImageDraw.Draw(image).line(
        [(2500, 1200), (6000, 1200), (3800, 4600)], fill=(20, 20, 20), width=260
    )
    paths = {
        "50 MP JPEG": folder / "fifty.jpg",
        "50 MP PNG": folder / "fifty.png",
        "50 MP TIFF": folder / "fifty.tiff",
    }
    image.save(paths["50 MP JPEG"], quality=90)
    image.save(paths["50 MP PNG"], compress_level=1)
    image.save(paths["50 MP TIFF"], compression="tiff_adobe_deflate")
    return paths


def _decoding_child_alone(path: Path) -> tuple[float, float] | None:
    """Peak MB and seconds of the decoding child on ``path``, or None if it is not used.

    The child's own code (``child_main``, limits included) runs in a process of its own
    that prints its ``VmHWM`` when done: the window's children cannot be measured from
    the window (``ru_maxrss`` carries the parent's peak over through fork and exec).
    """
    from PIL import Image

    from digitpad.core.files import DEFAULT_LIMITS, MAX_SIDE, child_command, decodes_in_a_child

    with Image.open(path) as image:
        if not decodes_in_a_child(image):
            return None
    code = (
        "import sys; from digitpad.core.files import child_main; "
        "from benchmarks.hardening import _peak_rss_mb; child_main(sys.argv[1:]); "
        "print(_peak_rss_mb(), file=sys.stderr)"
    )
    arguments = child_command(DEFAULT_LIMITS, MAX_SIDE)[-4:]
    started = time.perf_counter()
    with path.open("rb") as picture:
        finished = subprocess.run(
            [sys.executable, "-c", code, *arguments],
            stdin=picture,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
    return float(finished.stderr.split()[-1]), time.perf_counter() - started


def _open_in_fresh_window(path: str | None) -> dict[str, float]:
    """Runs in the child: open ``path`` (if any) in the background and measure."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from digitpad.core import Recognizer
    from digitpad.ui.main_window import MainWindow
    from digitpad.ui.settings import AppSettings
    from digitpad.ui.settings_file import SettingsFile

    app = QApplication([])
    settings = SettingsFile(Path(tempfile.mkdtemp()) / "settings.json")
    window = MainWindow(Recognizer.from_default_locations(), AppSettings(settings))
    window.show()
    app.processEvents()
    result: dict[str, float] = {}
    if path is not None:
        clock, gaps, last = QElapsedTimer(), [0], [0]
        ticker = QTimer()
        ticker.setInterval(10)

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        def done(*_: object) -> None:
            result["open_ms"] = clock.elapsed()
            app.quit()

        ticker.timeout.connect(tick)
        window.picture_loader.loaded.connect(done)
        window.picture_loader.failed.connect(done)
        clock.start()
        ticker.start()
        window.open_image_file_in_background(path)
        app.exec()
        result["longest_stall_ms"] = float(max(gaps))
        answers = window.prediction().answers
        result["digit"] = float(answers["cnn"].digit) if "cnn" in answers else -1.0
    result["peak_rss_mb"] = _peak_rss_mb()
    window.close()
    return result


def _peak_rss_mb() -> float:
    """This process's peak resident memory. ``VmHWM`` on Linux: ``ru_maxrss`` would carry
    over the parent's peak through fork and exec."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure_in_child(path: Path | None) -> dict[str, float]:
    code = (
        "import json, sys; from benchmarks.hardening import _open_in_fresh_window as f; "
        "print(json.dumps(f(sys.argv[1] or None)))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code, "" if path is None else str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _strokes_benchmark(counts: list[int], extra: int = 20) -> dict[int, tuple[float, float]]:
    """Median ms from a stroke's release to the canvas repainted and both models' answer,
    wall-clock and this thread's CPU time (which a busy machine does not inflate)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from digitpad.core import Point, Recognizer, Stroke
    from digitpad.ui.canvas import DrawingCanvas

    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(0)
    recognizer = Recognizer.from_default_locations()

    def scribble() -> list[tuple[float, float]]:
        x, y = rng.uniform((70, 80), (150, 200))  # inside the frame: the layout holds
        return [(x + 4 * k, y + 8 * np.sin(k / 2)) for k in range(15)]

    def send(canvas: DrawingCanvas, kind: QEvent.Type, x: float, y: float) -> None:
        position = QPointF(canvas.map_from_scene(x, y))
        pressed = kind != QEvent.Type.MouseButtonRelease
        event = QMouseEvent(
            kind,
            position,
            canvas.mapToGlobal(position),
            Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton if pressed else Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(canvas, event)

    medians = {}
    for count in counts:
        canvas = DrawingCanvas()
        canvas.resize(500, 500)
        canvas.show()
        # What the window does when a stroke is committed: predict from the strokes.
        canvas.changed.connect(
            lambda c=canvas: recognizer.predict_strokes(c.drawing_strokes() or ())
        )
        frame = Stroke((Point(60.0, 60.0), Point(220.0, 220.0)), 18.0)  # fixes the extent
        scribbles = (
            Stroke(tuple(Point(x, y) for x, y in scribble()), 18.0) for _ in range(count - 1)
        )
        _commit(canvas, [frame, *scribbles])
        canvas.repaint()
        times, cpu_times = [], []
        for _ in range(extra):
            points = scribble()
            send(canvas, QEvent.Type.MouseButtonPress, *points[0])
            for x, y in points[1:]:
                send(canvas, QEvent.Type.MouseMove, x, y)
            started, started_cpu = time.perf_counter(), time.thread_time()
            send(canvas, QEvent.Type.MouseButtonRelease, *points[-1])
            canvas.repaint()
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.thread_time() - started_cpu) * 1000)
        medians[count] = (statistics.median(times), statistics.median(cpu_times))
        wall, cpu = medians[count]
        print(f"after {count:>5} strokes: {wall:6.1f} ms (CPU {cpu:.1f} ms)", flush=True)
        canvas.close()
        canvas.deleteLater()
        app.processEvents()
    return medians


def _commit(canvas, strokes) -> None:
    """Put ``strokes`` in the canvas history as if drawn one by one (one repaint at the end)."""
    content = canvas.content
    for stroke in strokes:
        content = content.with_stroke(stroke)
    canvas._history.commit(content)
    canvas._content_changed()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, nargs="+", default=[1, 1000, 3000])
    parser.add_argument("--skip-pictures", action="store_true")
    args = parser.parse_args()
    if not args.skip_pictures:
        with tempfile.TemporaryDirectory() as folder:
            paths = _write_fifty_megapixel_pictures(Path(folder))
            print("opening a picture in a fresh window (offscreen)")
            print(
                f"{'picture':<12} {'peak RSS':>9} {'read + predicted':>17} "
                f"{'longest stall':>14}  cnn"
            )
            rows = {"nothing": None, **paths}
            for name, path in rows.items():
                got = _measure_in_child(path)
                opened = f"{got['open_ms']:.0f} ms" if "open_ms" in got else "-"
                stall = f"{got['longest_stall_ms']:.0f} ms" if "longest_stall_ms" in got else "-"
                digit = f"{got['digit']:.0f}" if "digit" in got else ""
                print(f"{name:<12} {got['peak_rss_mb']:>6.0f} MB {opened:>17} {stall:>14}  {digit}")
            print("\ndecoding child on its own (a separate process, freed when it exits)")
            for name, path in paths.items():
                child = _decoding_child_alone(path)
                if child is None:
                    print(f"{name:<12} decoded in the window's process (no child)")
                else:
                    peak, seconds = child
                    print(f"{name:<12} {peak:>6.0f} MB {seconds * 1000:>14.0f} ms")
    print(
        "\nrender + predict per stroke (canvas repaint, Recognizer.predict_strokes), median of 20"
    )
    _strokes_benchmark(args.strokes)


if __name__ == "__main__":
    main()
