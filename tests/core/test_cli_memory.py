"""A subcommand's process and its memory (``digitpad.cli._memory``): arrays made again
after others were dropped reuse pages already mapped instead of faulting in new ones,
and what start-up made is frozen out of the garbage collector's walks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from digitpad.core import samples_dir

_GLIBC = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")

# Eight 1 MB arrays made and dropped ten times, as a reading makes and drops its copies
# of a picture; ``rounds`` prints the page faults of the last nine.
_ROUNDS = """
import resource, sys
import numpy as np

def rounds():
    faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    arrays = [np.ones(131072) for _ in range(8)]
    del arrays
    before = faults()
    for _ in range(9):
        arrays = [np.ones(131072) for _ in range(8)]
        del arrays
    print(faults() - before)
"""
_PAGES = 8 * 1024 * 1024 // 4096


def _faults(code: str, *argv: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", _ROUNDS + code, *argv], capture_output=True, text=True, check=True
    )
    return int(result.stdout.split()[-1])


@_GLIBC
def test_kept_memory_is_reused_without_new_page_faults() -> None:
    keep = "from digitpad.cli._memory import keep_freed_memory\nassert keep_freed_memory()\n"
    # By default glibc hands the 8 MB back every round and faults it in again.
    assert _faults("rounds()") > 5 * _PAGES
    assert _faults(keep + "rounds()") < _PAGES // 10


def _huge_pages_on() -> bool:
    """Whether the kernel backs memory advised for it with transparent huge pages."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as settings:
            return "[never]" not in settings.read()
    except OSError:
        return False


# Sixteen 1 MB arrays made for the first time (numpy asks for huge pages itself only for
# arrays of 4 MB and more); prints their page faults.
_FIRST_TOUCH = """
import resource
import numpy as np
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
before = faults()
arrays = [np.ones(131072) for _ in range(16)]
print(faults() - before)
"""


@_GLIBC
@pytest.mark.skipif(not _huge_pages_on(), reason="transparent huge pages are off")
def test_a_subcommands_heap_faults_in_huge_pages() -> None:
    from digitpad.cli._memory import HUGE_PAGE, TOP_PAD

    assert TOP_PAD - HUGE_PAGE >= 16 * 1024 * 1024  # the arrays fit in the advised part
    keep = "from digitpad.cli._memory import keep_freed_memory, heap_on_huge_pages\n"
    pages = 16 * 1024 * 1024 // 4096
    # A 4 KB page at a time by default; a 2 MB one on the advised heap (but for the
    # part of a huge page before the advised part begins).
    assert _faults(_FIRST_TOUCH) > 0.9 * pages
    advised = _faults(keep + "assert keep_freed_memory() and heap_on_huge_pages()\n" + _FIRST_TOUCH)
    assert advised < pages // 4
    # Without keep_freed_memory's thresholds the heap does not keep its memory: no advice.
    assert _faults(keep + "assert not heap_on_huge_pages()\n" + _FIRST_TOUCH) > 0.9 * pages


@_GLIBC
def test_a_subcommand_keeps_freed_memory_and_the_rest_do_not() -> None:
    # The rounds run as ``digitpad`` exits (its exit handlers run), after the command.
    command = (
        "import atexit\n"
        "atexit.register(rounds)\n"
        "sys.argv = ['digitpad', *sys.argv[1:]]\n"
        "from digitpad.cli import run\n"
        "run()\n"
    )
    assert _faults(command, "predict", str(samples_dir() / "digit-7.png")) < _PAGES // 10
    # Not a subcommand (nor the window, which runs for hours): glibc's defaults.
    assert _faults(command, "--version") > 5 * _PAGES


def test_a_subcommands_start_up_is_frozen_and_the_collector_runs_after() -> None:
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(gc.get_freeze_count(), gc.isenabled()))\n"
        "sys.argv = ['digitpad', *sys.argv[1:]]\n"
        "from digitpad.cli import run\n"
        "run()\n"
    )
    for argv, frozen in (
        (["predict", str(samples_dir() / "digit-7.png")], True),
        (["--version"], False),
    ):
        result = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
        )
        count, enabled = result.stdout.split()[-2:]
        assert (int(count) > 10_000) is frozen  # numpy's, Pillow's, the core's objects
        assert enabled == "True"
