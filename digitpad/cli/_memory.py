"""How a subcommand's process treats its memory: kept for reuse, start-up left alone.

A subcommand keeps the memory it frees for its next arrays instead of handing it back.
A reading makes and drops arrays of megabytes (the decoded photo, its float copies, the
writing finder's masks). glibc's malloc hands freed memory back to the system once more
than a few megabytes of it lie free at the top of its heap (and maps big blocks afresh
until it has seen one freed), so the next arrays are mapped anew and every page of them
faults in again: in ``digitpad predict`` of a 12 MP photo, 4,000 of its 20,000 page
faults and about 10 ms of CPU. With the limits raised, those arrays reuse pages already
mapped. A subcommand reads its files and exits, so memory kept is never held long; the
window, which runs for hours, keeps glibc's defaults.

Importing a subcommand's modules (numpy, Pillow, onnxruntime, the core) makes tens of
thousands of objects that live as long as the process; Python's cyclic garbage
collector walks the newest of them some seventy times while they are made, and a full
collection later walks them all (6 ms): together 5-7 ms of ``digitpad predict``. They
are made with the collector paused, then frozen (never walked again); the collector
runs as usual for everything after.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable

# glibc's mallopt parameters: free memory at the top of the heap beyond M_TRIM_THRESHOLD
# goes back to the system; blocks from M_MMAP_THRESHOLD up are mapped on their own.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
TRIM_THRESHOLD = 64 * 1024 * 1024
# glibc's own ceiling for the threshold it adapts by itself on 64-bit systems.
MMAP_THRESHOLD = 32 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep up to ``TRIM_THRESHOLD`` of freed memory for reuse and
    to serve blocks under ``MMAP_THRESHOLD`` from it; whether it agreed (False without
    glibc: macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


def load_frozen(load: Callable[[], object]) -> None:
    """Call ``load`` (which imports a subcommand's modules) with the cyclic garbage
    collector paused, then freeze what exists so no later collection walks it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        load()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
