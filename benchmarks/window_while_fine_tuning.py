"""Does the window stay responsive while both models fine-tune on a worker thread?

The GUI thread runs a 10 ms timer, first with nothing else going on (the machine's own
noise), then while ``fine_tune`` trains on 50 samples in the app's ``BackgroundTask``;
the gaps between ticks are how long the event loop could not paint or take input. The
samples are one made-up hand (``benchmarks.handwriting``); everything is written to
a temporary folder.

Run: ``python -m benchmarks.window_while_fine_tuning [--per-digit 5] [--idle-seconds 20]``
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from digitpad.ui.background_task import BackgroundTask


def tick_gaps_ms(task: BackgroundTask | None, idle_s: float) -> np.ndarray:
    """Gaps (ms) between 10 ms timer ticks on the GUI thread while ``task`` runs (started
    as the fine-tune dialog starts it), or for ``idle_s`` seconds without one."""
    from PySide6.QtCore import QEventLoop, QTimer

    from benchmarks import gui_ticks

    def start(loop: QEventLoop) -> None:
        if task is not None:
            task.finished.connect(loop.quit)
            task.start_low_priority()
        else:
            QTimer.singleShot(round(idle_s * 1000), loop.quit)

    return gui_ticks.tick_gaps_ms(start)


def summary(name: str, gaps: np.ndarray) -> str:
    import numpy as np

    return (
        f"{name:<22} ticks {len(gaps):>5}  median {np.median(gaps):5.1f} ms  "
        f"p99 {np.percentile(gaps, 99):6.1f} ms  max {gaps.max():6.1f} ms  "
        f"over 100 ms: {int((gaps > 100).sum())}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-digit", type=int, default=5, help="samples of each digit")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # numpy is imported only after digitpad (lazily, here and above), as in the app:
    # digitpad keeps OpenBLAS on one thread, and two BLAS threads fighting for two busy
    # cores make fine-tuning ten times slower.
    from PySide6.QtWidgets import QApplication

    from benchmarks.handwriting import fill_store
    from digitpad.core import SampleStore, fine_tune
    from digitpad.ui.background_task import BackgroundTask

    _app = QApplication.instance() or QApplication([])  # the event loop needs one
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-") as folder:
        store = SampleStore(Path(folder) / "samples")
        fill_store(store, args.per_digit)
        task = BackgroundTask(
            lambda progress, cancelled: fine_tune(
                store, progress=progress, cancelled=cancelled, models_dir=Path(folder) / "models"
            )
        )
        outcome: list[object] = []
        task.succeeded.connect(outcome.append)
        task.failed.connect(outcome.append)
        idle = tick_gaps_ms(None, args.idle_seconds)
        started = time.perf_counter()
        busy = tick_gaps_ms(task, 0.0)
        took = time.perf_counter() - started
    print(summary("idle event loop", idle))
    print(summary("while fine-tuning", busy))
    result = type(outcome[0]).__name__ if outcome else "no result"
    print(f"fine-tune of {10 * args.per_digit} samples: {took:.1f} s ({result})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
