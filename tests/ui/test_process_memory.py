"""The window's process hands big freed blocks back to the system."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD = """
import numpy as np
from digitpad.ui.process_memory import keep_big_blocks_returnable

def resident_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

assert keep_big_blocks_returnable()
# Freeing a mapped block raises glibc's own threshold to its size; after that, blocks
# of 1-8 MB came from the heap and stayed resident once freed.
first = np.ones(8 * 2**20, dtype=np.uint8)
del first
before = resident_kb()
kept = []
for _ in range(40):
    blocks = [np.ones(2 * 2**20, dtype=np.uint8) for _ in range(8)]
    kept.append(np.ones(1000, dtype=np.uint8))  # a small survivor between them
    del blocks
print(resident_kb() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_freed_arrays_of_a_few_megabytes_leave_the_process():
    grown_kb = int(
        subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True
        ).stdout
    )
    assert grown_kb < 4 * 1024
