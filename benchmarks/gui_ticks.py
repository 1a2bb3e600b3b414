"""How long the GUI thread's event loop is held up: gaps between 10 ms timer ticks.

Shared by the window benchmarks: a gap well over 10 ms is time the window could not
paint or take input.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEventLoop, QTimer


def tick_gaps_ms(start: Callable[[QEventLoop], object]) -> np.ndarray:
    """Gaps (ms) between 10 ms ticks from ``start(loop)`` until ``loop`` quits (``start``
    begins the work and arranges the quit)."""
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    start(loop)
    timer.start()
    loop.exec()
    timer.stop()
    return np.array(gaps[1:]) * 1000.0
