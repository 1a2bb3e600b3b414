"""Give memory back to the system once big temporary arrays are freed (glibc on Linux).

glibc serves a request above its mmap threshold with a mapping of its own, returned to
the system on ``free``; below it, from a heap that rarely shrinks. The threshold starts
at 128 KB but rises to the size of each mapped block freed, up to 32 MB, so after the
first explanation (batches of a few MB through both models, on worker threads with
heaps of their own) every later one left its arrays in heaps that kept them: the window
held 100-130 MB more after 20 explanations than after one. A fixed threshold stops that
rise; readings (canvas copies of ~300 KB) stay below it and keep the fast heap.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys

# mallopt's parameter number for the threshold (malloc.h: M_MMAP_THRESHOLD).
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 512 * 1024


def keep_big_blocks_returnable() -> bool:
    """Fix glibc's mmap threshold; False where there is no glibc (nothing to do there)."""
    if not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    return False
