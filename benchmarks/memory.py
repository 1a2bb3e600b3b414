"""The window's resident memory over a session: ``python -m benchmarks.memory``.

A real ``MainWindow`` (offscreen unless a display is set) in a fresh profile reads 200
MNIST test digits put on its canvas as pictures, explains every tenth of them (20
explanations, on the dock's worker as in the app), then fine-tunes both models on 50
samples the way the fine-tune dialog does (a ``BackgroundTask``, the window reloading
the personal models afterwards). Resident memory (``VmRSS``) is read when the window is
idle, after the session, and once more after the event loop has idled a few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

READINGS = 200
EXPLAIN_EVERY = 10
SETTLE_SECONDS = 3.0


def resident_mb() -> float:
    """This process's resident set size in MB, as ``top`` shows it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _spin(seconds: float) -> None:
    """Let the event loop run for ``seconds`` (queued signals, deferred deletes)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
    QCoreApplication.sendPostedEvents(None, 0)


def session() -> dict[str, float]:
    """Run the session described in the module docstring; resident MB at each stage."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from benchmarks.handwriting import fill_store
    from benchmarks.latency import canvas_bitmaps
    from digitpad.core import Recognizer, SampleStore, fine_tune
    from digitpad.ui.app import _application
    from digitpad.ui.background_task import BackgroundTask
    from digitpad.ui.main_window import MainWindow
    from digitpad.ui.process_memory import keep_big_blocks_returnable
    from digitpad.ui.qimage_convert import gray_array_to_qimage
    from digitpad.ui.settings import AppSettings
    from digitpad.ui.settings_file import SettingsFile

    keep_big_blocks_returnable()  # as digitpad.ui.app.main does first
    app = _application()
    assert isinstance(app, QApplication)
    window = MainWindow(Recognizer.from_default_locations(), AppSettings(SettingsFile()))
    window.show()
    _spin(1.0)
    figures = {"idle_mb": resident_mb()}
    pictures = [gray_array_to_qimage(b[..., 1].copy()) for b in canvas_bitmaps(READINGS)]
    for number, picture in enumerate(pictures):
        window.open_qimage(picture, "benchmark")
        window.predict_now(announce=False)
        if number % EXPLAIN_EVERY == 0:
            window.explanations.runner.request(window.prediction().model_input)
            window.explanations.runner.wait(60000)
            _spin(0.0)
    figures["after_readings_mb"] = resident_mb()
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-samples-") as folder:
        store = SampleStore(Path(folder))
        fill_store(store, 5)
        task = BackgroundTask(lambda progress, cancelled: fine_tune(store, progress=progress))
        outcome: list[object] = []
        task.succeeded.connect(outcome.append)
        task.failed.connect(outcome.append)
        task.start_low_priority()
        while task.isRunning() or not outcome:
            _spin(0.05)
        window.set_recognizer(Recognizer.from_default_locations())
    figures["after_session_mb"] = resident_mb()
    _spin(SETTLE_SECONDS)
    figures["settled_mb"] = resident_mb()
    window.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-home-") as home:
        # A fresh profile: settings, caches and personal models in a throwaway home.
        for name, sub in (
            ("HOME", ""),
            ("XDG_CONFIG_HOME", ".config"),
            ("XDG_CACHE_HOME", ".cache"),
            ("XDG_DATA_HOME", ".local/share"),
        ):
            os.environ[name] = str(Path(home) / sub)
        started = time.perf_counter()
        figures = session()
        figures["seconds"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:<20} {value:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
