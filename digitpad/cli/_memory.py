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

Memory touched for the first time costs a page fault per 4 KB page, dear on a virtual
machine (2-3 us each): ``digitpad predict`` of a 12 MP photo took 16,000 of them, a
tenth of its time. The heap is grown by ``TOP_PAD`` at once and the kernel asked to
back it with transparent huge pages, one fault per 2 MB (glibc's own
``glibc.malloc.hugetlb=1`` tunable does the same, but only when set before the process
starts): 6,500 faults and 20-25 ms less. Pages are committed only as they are touched,
at most 2 MB beyond what is used.
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
# The heap grows by this much more than each request (M_TOP_PAD): a 12 MP photo's
# reading fits in it, so the part backed by huge pages serves all of it.
_M_TOP_PAD = -2
TOP_PAD = 64 * 1024 * 1024
# madvise's advice for transparent huge pages (linux/mman.h) and their size on x86-64
# and arm64 (with 4 KB pages).
_MADV_HUGEPAGE = 14
HUGE_PAGE = 2 * 1024 * 1024
# A request bigger than the free top of a young heap and under MMAP_THRESHOLD: it
# makes the heap grow (by TOP_PAD beside it).
_GROWTH_REQUEST = 16 * 1024 * 1024


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


def heap_on_huge_pages() -> bool:
    """Grow the heap by ``TOP_PAD`` now and advise the kernel to back it with huge
    pages; whether it took the advice (False without glibc and Linux, or when
    ``keep_freed_memory`` did not run first: its thresholds keep the heap's memory in
    the heap). Where transparent huge pages are off, the advice changes nothing."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt, malloc, free = libc.mallopt, libc.malloc, libc.free
        sbrk, madvise = libc.sbrk, libc.madvise
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    malloc.argtypes, malloc.restype = (ctypes.c_size_t,), ctypes.c_void_p
    free.argtypes, free.restype = (ctypes.c_void_p,), None
    sbrk.argtypes, sbrk.restype = (ctypes.c_ssize_t,), ctypes.c_void_p
    madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    madvise.restype = ctypes.c_int
    if not mallopt(_M_TOP_PAD, TOP_PAD):
        return False
    block = malloc(_GROWTH_REQUEST)
    if not block:
        return False
    free(block)  # the heap keeps it: TOP_PAD is not beyond TRIM_THRESHOLD
    start = -(-block // HUGE_PAGE) * HUGE_PAGE
    end = (sbrk(0) or 0) // HUGE_PAGE * HUGE_PAGE  # the heap's end
    return end > start and madvise(start, end - start, _MADV_HUGEPAGE) == 0


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
